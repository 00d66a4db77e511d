import Foundation
import XCTest

/// The parsers under fuzzing (Sources/dangol-fuzz): the generated seeds are
/// valid inputs, and a short coverage-guided libFuzzer run per parser finds
/// no crash, hang or unclear error. scripts/proof.sh runs it for longer.
final class FuzzTests: XCTestCase {
    static let fuzz = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().appendingPathComponent("dangol-fuzz").path
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let targets = ["record", "keyslot", "customer", "query", "csv", "packindex", "pack"]

    func testTheSeedsAreInputsEachParserAccepts() throws {
        let s = try Sandbox()
        let seeds = s.root + "/seeds"
        XCTAssertEqual(try s.run(Self.fuzz, ["seeds", seeds]).code, 0)
        for t in Self.targets {
            let files = try FileManager.default.contentsOfDirectory(atPath: seeds + "/" + t).map { seeds + "/\(t)/" + $0 }
            XCTAssertFalse(files.isEmpty, t)
            let r = try s.run(Self.fuzz, ["replay", t] + files)
            XCTAssertEqual(r.code, 0, "\(t): \(r.err)")
            XCTAssertTrue(r.out.contains("\(files.count) inputs, \(files.count) parsed"), "\(t): \(r.out)")
        }
        let refused = try s.run(Self.fuzz, ["replay", "record", seeds + "/keyslot/seed-0"])
        XCTAssertTrue(refused.out.contains("1 inputs, 0 parsed"), "a key slot is no record file: \(refused.out)")
    }

    /// FUZZ_SECONDS per parser (2 here); the first run builds the
    /// instrumented copy in .build-fuzz (about half a minute here).
    func testAShortLibFuzzerRunOfEachParserFindsNothing() throws {
        let s = try Sandbox()
        // FUZZ_SECONDS=0 (no fuzzing, for proof.sh) is not this test's to honour.
        let seconds = ProcessInfo.processInfo.environment["FUZZ_SECONDS"].flatMap { Int($0) }.map { max($0, 1) } ?? 2
        // swift and its package caches as this test run has them.
        let env = ProcessInfo.processInfo.environment
        let r = try s.run("/bin/sh", ["scripts/fuzz.sh"], env: [
            "FUZZ_SECONDS": String(seconds), "FUZZ_SEEDER": Self.fuzz, "FUZZ_WORK": s.root + "/fuzz",
            "PATH": env["PATH"] ?? "/usr/bin:/bin", "HOME": env["HOME"] ?? "/root",
            // git as the build sees it, not the sandbox's bare git: a machine
            // that reads github.com from a local mirror says so in the system
            // config, and a changed Package.swift makes the build resolve again.
            "GIT_CONFIG_NOSYSTEM": env["GIT_CONFIG_NOSYSTEM"] ?? "0",
            "GIT_CONFIG_GLOBAL": env["GIT_CONFIG_GLOBAL"] ?? ((env["HOME"] ?? "/root") + "/.gitconfig"),
        ], cwd: Self.package)
        XCTAssertEqual(r.code, 0, r.out + r.err)
        for t in Self.targets {
            let line = r.out.split(separator: "\n").first { $0.hasPrefix(t + " ") }.map(String.init) ?? ""
            XCTAssertTrue(line.contains(" ok "), "\(t): \(line)")
            let execs = Int(line.split(separator: " ").dropFirst(2).first ?? "") ?? 0
            XCTAssertGreaterThan(execs, 100, "\(t): libFuzzer ran: \(line)")
        }
        print(r.out)
    }
}
