import Foundation
import XCTest

/// What every crash trial shares: dangol run as a child and sent SIGKILL at a
/// random moment of its usual run time, then the checks that must hold after
/// any crash (`dangol check` and `git fsck --full --strict` pass). What else
/// must hold depends on the command, so each family of trials checks that
/// itself (CrashTrialTests).
struct KillLoop {
    let sandbox: Sandbox
    /// The kills land within this many seconds of the start: the quickest
    /// uninterrupted run of the command (see `time`).
    private(set) var window = Double.infinity
    private(set) var killed = 0
    private(set) var finished = 0
    private var rng = SystemRandomNumberGenerator()

    init(_ sandbox: Sandbox) { self.sandbox = sandbox }

    /// The number of trials of a family: CRASH_TRIALS_<FAMILY>, else
    /// CRASH_TRIALS, else `standard` (what every `make test` runs).
    static func trials(_ family: String, standard: Int) -> Int {
        let env = ProcessInfo.processInfo.environment
        return Int(env["CRASH_TRIALS_" + family.uppercased()] ?? env["CRASH_TRIALS"] ?? "") ?? standard
    }

    /// Runs `dangol args` to the end and times it; the quickest of these
    /// runs sets the window the kills land in.
    mutating func time(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let t0 = Date()
        let r = try sandbox.run(Sandbox.binary, args)
        XCTAssertEqual(r.code, 0, "\(args.first ?? ""): \(r.err)", file: file, line: line)
        window = min(window, max(Date().timeIntervalSince(t0), 0.02))
    }

    /// Runs `dangol args` and kills it at a random moment within the window.
    /// Returns whether the kill landed; a run that finished first must have
    /// succeeded, whatever the trial before it left behind.
    @discardableResult
    mutating func runAndKill(_ args: [String], trial: Int, file: StaticString = #filePath, line: UInt = #line)
        throws -> Bool
    {
        precondition(window.isFinite, "time the command before killing it")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Sandbox.binary)
        p.arguments = args
        p.environment = sandbox.env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(UInt32(Double.random(in: 0...window, using: &rng) * 1_000_000))
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        if p.terminationReason == .uncaughtSignal {
            killed += 1
            return true
        }
        finished += 1
        XCTAssertEqual(p.terminationStatus, 0, "trial \(trial): \(args.first ?? "") finished unkilled but failed",
                       file: file, line: line)
        return false
    }

    /// What holds after any crash: the vault opens and passes `dangol check`,
    /// and git finds every object and reference sound.
    func assertWhole(trial: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let check = try sandbox.dangol("check")
        XCTAssertEqual(check.code, 0, "trial \(trial): dangol check: \(check.err)\(check.out)", file: file, line: line)
        let fsck = try sandbox.git("fsck", "--full", "--strict", "--no-dangling")
        XCTAssertEqual(fsck.code, 0, "trial \(trial): git fsck: \(fsck.err)", file: file, line: line)
    }

    /// Prints the family's figures (scripts/proof.sh collects them) and
    /// checks that most kills landed while dangol ran, or the trials prove little.
    func report(_ family: String, file: StaticString = #filePath, line: UInt = #line) {
        print("crash trials: \(family) \(killed + finished), \(killed) killed while running, \(finished) finished first")
        XCTAssertGreaterThan(killed, (killed + finished) / 4, "kills that landed: \(killed) of \(killed + finished)",
                             file: file, line: line)
    }
}
