import Foundation
import XCTest

/// A file system that fails writes: the fault shim (Tests/FaultShim) makes
/// the k-th write call under the vault fail with EIO, either that call only
/// (a transient fault) or it and every later one (a disk that stays broken),
/// for every k a change makes. After each: the command succeeded and the
/// change is there, or it failed saying the disk failed and the vault is as
/// it was; `dangol check`, `git fsck --full --strict` and `audit verify`
/// pass; the next command works. FAULT_SWEEP=full runs both kinds of fault
/// at every k, for more commands (scripts/proof.sh).
final class FailingWriteTests: XCTestCase {
    struct Figures {
        var trials = 0
        var failed = 0
        var saved = 0
    }

    static let full = ProcessInfo.processInfo.environment["FAULT_SWEEP"] == "full"

    /// Compiles the shim with the system's C compiler into the sandbox.
    static func buildShim(_ s: Sandbox) throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FaultShim/faultshim.c").path
        guard let cc = ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { throw XCTSkip("no C compiler (cc, gcc or clang) to build the fault shim: run make test-deps (installs gcc)") }
        let shim = s.root + "/faultshim.so"
        let r = try s.run(cc, ["-shared", "-fPIC", "-O2", "-o", shim, source, "-ldl"])
        XCTAssertEqual(r.code, 0, "building the fault shim: \(r.err)")
        return shim
    }

    /// Runs dangol with the k-th write under the vault failing (0: none),
    /// and returns its output with the number of write calls it made.
    func faulty(_ s: Sandbox, shim: String, at k: Int, sticky: Bool, _ args: [String]) throws
        -> (Sandbox.Output, calls: Int)
    {
        let countFile = s.root + "/faultshim-count"
        let r = try s.run(Sandbox.binary, args, env: [
            "LD_PRELOAD": shim, "FAULTSHIM_DIR": s.vault, "FAULTSHIM_AT": "\(k)",
            "FAULTSHIM_STICKY": sticky ? "1" : "0", "FAULTSHIM_COUNT": countFile,
        ])
        let calls = Int((try? String(contentsOfFile: countFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        return (r, calls)
    }

    /// Sweeps a change over every write call it makes. `args(label)` is the
    /// change, unique per trial; `saved(label)` says whether the vault holds it.
    /// `before()` runs ahead of each trial (a count to compare with).
    func sweep(_ s: Sandbox, shim: String, _ name: String, both: Bool, before: () throws -> Void = {},
               args: (String) throws -> [String], saved: (String) throws -> Bool) throws -> Figures {
        let (probe, calls) = try faulty(s, shim: shim, at: 0, sticky: false, try args("\(name)-probe"))
        XCTAssertEqual(probe.code, 0, "\(name) without faults: \(probe.err)")
        XCTAssertGreaterThan(calls, 10, "\(name): the shim saw the vault's writes")
        var figures = Figures()
        // A little past the count: the next run may make a few more calls
        // (a new fan-out directory), and a fault never reached must not hurt.
        for k in 1...(calls + 4) {
            for sticky in both ? [false, true] : [k % 2 == 1] {
                let label = "\(name)-\(sticky ? "broken" : "once")-\(k)"
                try before()
                let head = try s.head()
                let (r, _) = try faulty(s, shim: shim, at: k, sticky: sticky, try args(label))
                let moved = try s.head() != head
                figures.trials += 1
                if r.code == 0 {
                    figures.saved += 1
                    XCTAssertTrue(moved, "\(label): succeeded without a commit")
                    XCTAssertTrue(try saved(label), "\(label): succeeded, but the change is not there")
                } else {
                    figures.failed += 1
                    XCTAssertFalse(moved, "\(label): failed, but the branch moved: \(r.err)")
                    XCTAssertFalse(try saved(label), "\(label): failed, but the change is there")
                    XCTAssertTrue(r.err.contains("the disk that holds the vault"), "\(label): unclear error: \(r.err)")
                }
                try s.assertWhole(label)
            }
        }
        return figures
    }

    func testEveryWriteOfAChangeFailingLeavesTheVaultWhole() throws {
        let s = try Sandbox()
        let shim = try Self.buildShim(s)
        try s.initVault()
        let id = try s.ok("add", "--name", "강하늘", "--phone", "010-2020-3030", "--note", "before the faults")
        let t0 = Date()
        var all = [String: Figures]()
        all["set"] = try sweep(s, shim: shim, "set", both: Self.full, args: { ["set", id, "note=\($0)"] }) {
            try s.customer(id)?["note"] as? String == $0
        }
        if Self.full {
            all["visit"] = try sweep(s, shim: shim, "visit", both: true,
                                     args: { ["visit", id, "--service", "커트", "--note", $0] }) { label in
                let visits = try s.customer(id)?["visits"] as? [[String: Any]] ?? []
                return visits.contains { $0["note"] as? String == label }
            }
            // A new customer is there when the list has grown.
            var customers = 0
            let count = { customers = try s.customerCount() }
            all["add"] = try sweep(s, shim: shim, "add", both: true, before: count,
                                   args: { ["add", "--name", "오지은", "--phone", "010-5151-6262", "--note", $0] }) { _ in
                try s.customerCount() == customers + 1
            }
            let csv = s.root + "/two.csv"
            try Data("이름,휴대폰,메모\n서지호,010-3131-4141,imported\n문가은,010-7171-8181,imported\n".utf8)
                .write(to: URL(fileURLWithPath: csv))
            all["import"] = try sweep(s, shim: shim, "import", both: true, before: count,
                                      args: { _ in ["import", csv] }) { _ in
                try s.customerCount() == customers + 2
            }
        }
        // The vault takes a normal change after all of them.
        try s.ok("set", id, "note=after the faults")
        XCTAssertEqual(try s.customer(id)?["note"] as? String, "after the faults")
        for (name, f) in all.sorted(by: { $0.key < $1.key }) {
            print("fault sweep \(name): \(f.trials) trials, \(f.failed) failed cleanly, \(f.saved) saved")
            XCTAssertGreaterThan(f.failed, 0, "\(name): no fault made the change fail")
        }
        print(String(format: "fault sweep: %.1f s", Date().timeIntervalSince(t0)))
    }

    /// An erasure that fails before its references switch did not happen:
    /// it leaves no journal behind (which would call it interrupted and,
    /// after any later change, make it impossible to finish), and the same
    /// erase run again works.
    func testAnErasureFailingBeforeItsSwitchLeavesNothingToResume() throws {
        let s = try Sandbox()
        let shim = try Self.buildShim(s)
        try s.initVault()
        let erased = try s.ok("add", "--name", "윤서준", "--phone", "010-4444-1111")
        let head = try s.head()
        // Only the file that tells backups which refs an erasure rewrote:
        // written after the journal, before the switch.
        let r = try s.run(Sandbox.binary, ["erase", erased, "--reason", "고객 요청", "--yes"], env: [
            "LD_PRELOAD": shim, "FAULTSHIM_DIR": s.vault + "/.git/dangol-rewrites.json", "FAULTSHIM_AT": "1",
        ])
        XCTAssertEqual(r.code, 1, r.err)
        XCTAssertTrue(r.err.contains("the disk that holds the vault failed a write"), r.err)
        XCTAssertEqual(try s.head(), head)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/.git/dangol-erase"), "a journal was left")
        try s.ok("add", "--name", "오지은", "--phone", "010-5151-6262")
        try s.assertWhole("after the failed erasure")
        try s.ok("erase", erased, "--reason", "고객 요청", "--yes")
        XCTAssertEqual(try s.dangol("show", erased).code, 4)
    }

    /// After an erasure is interrupted past its journal (killed here), a
    /// change is refused until the erasure is finished: a change made in
    /// between would move the branch from under the journal, and the
    /// erasure could then never finish.
    func testAChangeWaitsForAnInterruptedErasure() throws {
        let s = try Sandbox()
        try s.initVault()
        let kept = try s.ok("add", "--name", "강하늘", "--phone", "010-2020-3030")
        let erased = try s.ok("add", "--name", "윤서준", "--phone", "010-4444-1111")
        let killed = try s.dangol("erase", erased, "--reason", "요청", "--yes", env: ["DANGOL_TEST_CRASH_AT": "journal-written"])
        XCTAssertEqual(killed.code, SIGKILL, killed.err)
        let refused = try s.dangol("set", kept, "note=while the erasure waits")
        XCTAssertEqual(refused.code, 6, refused.err)
        XCTAssertTrue(refused.err.contains("run dangol erase --resume before changing the vault"), refused.err)
        try s.ok("show", kept)
        try s.ok("erase", "--resume")
        try s.ok("set", kept, "note=after the erasure")
        XCTAssertEqual(try s.dangol("show", erased).code, 4)
        try s.assertWhole("after the resumed erasure")
    }

    /// Every write of an erasure failing, both kinds (FAULT_SWEEP=full):
    /// the erasure succeeded, or it failed and either did nothing or
    /// switched to the new history, which `dangol erase --resume` finishes.
    func testEveryWriteOfAnErasureFailingLeavesAVaultThatFinishesIt() throws {
        guard Self.full else { throw XCTSkip("long run: FAULT_SWEEP=full runs it (scripts/proof.sh)") }
        let s = try Sandbox()
        let shim = try Self.buildShim(s)
        try s.initVault()
        try s.ok("add", "--name", "강하늘", "--phone", "010-2020-3030")
        let probe = try s.ok("add", "--name", "윤서준", "--phone", "010-4444-1111")
        let (first, calls) = try faulty(s, shim: shim, at: 0, sticky: false, ["erase", probe, "--reason", "요청", "--yes"])
        XCTAssertEqual(first.code, 0, first.err)
        var figures = (trials: 0, erased: 0, unchanged: 0, resumed: 0, libgit2Wording: 0)
        for k in 1...(calls + 4) {
            for sticky in [false, true] {
                let label = "erase-\(sticky ? "broken" : "once")-\(k)"
                let id = try s.ok("add", "--name", "윤서준", "--phone", "010-4444-1111")
                let (r, _) = try faulty(s, shim: shim, at: k, sticky: sticky, ["erase", id, "--reason", "요청", "--yes"])
                let gone = try s.dangol("show", id).code == 4
                if r.code != 0 {
                    // libgit2 sometimes words the failure its own way ("failed
                    // to lock loose reference") with errno gone: counted, not hidden.
                    XCTAssertTrue(r.err.hasPrefix("dangol: error: "), "\(label): \(r.err)")
                    if !r.err.contains("the disk that holds the vault") { figures.libgit2Wording += 1 }
                }
                let resume = try s.dangol("erase", "--resume")
                XCTAssertTrue([0, 4].contains(resume.code), "\(label): resume: \(resume.err)")
                let goneAfter = try s.dangol("show", id).code == 4
                figures.trials += 1
                switch (r.code == 0, gone, goneAfter) {
                case (true, true, true): figures.erased += 1
                case (false, false, false): figures.unchanged += 1
                case (false, _, true): figures.resumed += 1
                default: XCTFail("\(label): exit \(r.code), gone \(gone), after resume \(goneAfter): \(r.err)")
                }
                try s.assertWhole(label)
            }
        }
        print("fault sweep erase: \(figures.trials) trials, \(figures.erased) erased, \(figures.unchanged) failed "
            + "and changed nothing, \(figures.resumed) failed after the switch and were finished by --resume; "
            + "\(figures.libgit2Wording) errors in libgit2's words rather than naming the disk")
    }
}
