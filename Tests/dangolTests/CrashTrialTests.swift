import Foundation
import XCTest

/// Crash trials: dangol killed with SIGKILL at a random moment of a change,
/// fifty times; after each, the vault opens, `dangol check` and
/// `git fsck --full --strict` pass, and the customer is at the old or the new
/// version, never between. (CRASH_TRIALS runs more.)
final class CrashTrialTests: XCTestCase {
    func note(_ s: Sandbox, _ id: String) throws -> String? {
        let r = try s.dangol("show", id, "--json")
        XCTAssertEqual(r.code, 0, r.err)
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        return json?["note"] as? String
    }

    func testKilledAtAnyMomentOfAChangeTheVaultIsWhole() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "강하늘", "--phone", "010-2020-3030", "--note", "trial start")
        // How long a whole `dangol set` takes here (the quickest of three),
        // so that kills land inside it.
        var whole = Double.infinity
        for i in 0..<3 {
            let t0 = Date()
            try s.ok("set", id, "note=trial warm-up \(i)")
            whole = min(whole, Date().timeIntervalSince(t0))
        }
        whole = max(whole, 0.02)
        var rng = SystemRandomNumberGenerator()
        var before = "trial warm-up 2"
        var interrupted = 0
        let trials = Int(ProcessInfo.processInfo.environment["CRASH_TRIALS"] ?? "") ?? 50
        for trial in 0..<trials {
            let next = "trial \(trial)"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Sandbox.binary)
            p.arguments = ["set", id, "note=\(next)"]
            p.environment = s.env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(Double.random(in: 0...whole, using: &rng) * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal {
                interrupted += 1
            } else {
                // Finished before the kill: it must have succeeded, whatever the
                // trial before it left behind (a stale ref lock, say).
                XCTAssertEqual(p.terminationStatus, 0, "trial \(trial): an unkilled change failed")
            }

            XCTAssertEqual(try s.dangol("check").code, 0, "trial \(trial): dangol check")
            let fsck = try s.git("fsck", "--full", "--strict", "--no-dangling")
            XCTAssertEqual(fsck.code, 0, "trial \(trial): \(fsck.err)")
            let now = try note(s, id)
            XCTAssertTrue(now == before || now == next, "trial \(trial): note is \(now ?? "nil")")
            before = now ?? before
        }
        XCTAssertGreaterThan(interrupted, trials / 4, "most kills should land while dangol runs")
        try s.ok("set", id, "note=after the trials")
        XCTAssertEqual(try note(s, id), "after the trials", "the vault takes changes after every crash")
    }
}
