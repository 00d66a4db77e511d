import Foundation
import XCTest

/// The access log on its own ref (format 2): reads leave the data branch
/// alone, erasure rewrites the data history only and leaves the log whole,
/// a change a crash left without its entry gets it at the next open, and
/// vaults of format 1 (fixtures a dangol of that format wrote) migrate.
final class AccessLogRefTests: XCTestCase {
    func entries(_ s: Sandbox, vault: String? = nil) throws -> [[String: Any]] {
        let r = try s.run(Sandbox.binary, ["audit", "--json"] + (vault.map { ["--vault", $0] } ?? []))
        XCTAssertEqual(r.code, 0, r.err)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
    }

    /// Sequence, time, person, action and records of each entry: what must
    /// stay exactly as it was.
    func essence(_ e: [[String: Any]]) -> [String] {
        e.map { "\($0["sequence"]!) \($0["time"]!) \($0["person"]!) \($0["action"]!) \($0["records"]!)" }
    }

    func trimmed(_ o: Sandbox.Output) -> String { o.out.trimmingCharacters(in: .whitespacesAndNewlines) }

    func subjects(_ s: Sandbox, _ rev: String = "refs/heads/main") throws -> [String] {
        trimmed(try s.git("log", "--format=%s", rev)).split(separator: "\n").map { String($0.split(separator: " ")[0]) }
    }

    /// A vault from one of the fixtures, at the sandbox's vault path.
    func unpack(_ s: Sandbox, _ name: String) throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
        let r = try s.run("/bin/tar", ["-xzf", fixture, "-C", s.root])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(try s.git("show", "HEAD:dangol.json").out.contains("\"format\" : 1"))
    }

    /// The generator next to the binary under test.
    var synth: String { (Sandbox.binary as NSString).deletingLastPathComponent + "/dangol-synth" }

    func testReadsAndChangesStayOffTheBranchAndErasureLeavesTheLogWhole() throws {
        let s = try Sandbox()
        try s.initVault()
        // Two years of a small salon: 40 customers, 120 visits, each after a
        // search and a show: 160 changes and 400 entries.
        let made = try s.run(synth, [s.vault, "40", "--in-use", "2", "--visits", "120"])
        XCTAssertEqual(made.code, 0, made.err)
        let early = try XCTUnwrap(made.out.split(separator: "\n").first { $0.hasPrefix("early: ") }?.dropFirst(7))
        XCTAssertEqual(try s.commitCount(), 161)
        XCTAssertEqual(Set(try subjects(s)), ["init", "add", "visit"], "git log on the branch shows changes only")
        XCTAssertEqual(trimmed(try s.git("rev-list", "--count", "refs/dangol/audit")), "400")
        let before = try entries(s)
        XCTAssertEqual(before.count, 400)
        let logTip = trimmed(try s.git("rev-parse", "refs/dangol/audit"))

        let show = try s.dangol("show", String(early))
        XCTAssertEqual(show.code, 0, show.err)
        XCTAssertEqual(try s.commitCount(), 161, "a read adds no commit to the branch")
        XCTAssertEqual(trimmed(try s.git("rev-list", "--count", "refs/dangol/audit")), "401", "the show's entry")

        let erase = try s.dangol("erase", String(early), "--reason", "요청", "--yes")
        XCTAssertEqual(erase.code, 0, erase.err)
        let after = try entries(s)
        XCTAssertEqual(essence(Array(after.prefix(before.count))), essence(before), "every entry as it was")
        XCTAssertEqual(after.last?["action"] as? String, "erase")
        XCTAssertEqual(after.filter { ($0["records"] as? [String])?.contains(String(early)) == true }.count,
                       before.filter { ($0["records"] as? [String])?.contains(String(early)) == true }.count + 2,
                       "the erased customer's entries stay: ids only (and the show and the receipt)")
        // The log's ref only grew: its old tip is an ancestor of the new one.
        XCTAssertEqual(try s.git("merge-base", "--is-ancestor", logTip, "refs/dangol/audit").code, 0)
        try s.assertWhole("after the erasure")
        XCTAssertEqual(Set(try subjects(s)), ["init", "add", "visit"])
        XCTAssertFalse(try s.git("log", "--format=%B", "refs/heads/main").out.contains(String(early)))
    }

    /// Packed, the log's commits have a pack of their own and records' blobs
    /// theirs: an erasure's purge rewrites the packs that hold what it left
    /// behind, and the log's is not among them.
    func testAnErasureLeavesTheLogsPackAsItIs() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "가을", "--phone", "010-1000-2000")
        let b = try s.ok("add", "--name", "나래", "--phone", "010-3000-4000")
        for _ in 0..<3 { try s.ok("show", a) }
        try s.ok("visit", b, "--service", "커트")
        try s.ok("gc")
        func packs() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: s.vault + "/.git/objects/pack").filter { $0.hasSuffix(".pack") })
        }
        let before = try packs()
        XCTAssertEqual(before.count, 3, "blobs, the log's commits, the rest")
        let logPack = try XCTUnwrap(before.first { p in
            try s.git("verify-pack", "-v", s.vault + "/.git/objects/pack/" + p).out.split(separator: "\n")
                .filter { $0.count > 40 && !$0.hasPrefix("non delta") && !$0.hasPrefix("chain") && !$0.contains("pack-") }
                .allSatisfy { $0.contains(" commit ") }
        })
        XCTAssertEqual(try s.dangol("erase", b, "--reason", "요청", "--yes").code, 0)
        XCTAssertTrue(try packs().contains(logPack), "the log's pack is untouched")
        try s.assertWhole("erased, packed apart")
    }

    func testAChangeAKilledProcessLeftWithoutItsEntryGetsItAtTheNextOpen() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "가을", "--phone", "010-1000-2000")
        try s.ok("show", a)
        let logTip = trimmed(try s.git("rev-parse", "refs/dangol/audit"))
        let killed = try s.dangol("set", a, "note=앞머리", env: ["DANGOL_TEST_CRASH_AT": "change-published"])
        XCTAssertEqual(killed.code, SIGKILL, killed.err)
        XCTAssertEqual(try subjects(s).first, "set", "the change is saved")
        XCTAssertEqual(trimmed(try s.git("rev-parse", "refs/dangol/audit")), logTip, "its entry is not")

        let log = try entries(s)
        XCTAssertEqual(log.map { $0["action"] as! String }, ["add", "show", "set"])
        XCTAssertEqual(log.last?["recovered"] as? Bool, true)
        XCTAssertEqual(log.last?["records"] as? [String], [a])
        XCTAssertEqual(log.last?["person"] as? String, "원장")
        XCTAssertEqual(log[1]["recovered"] as? Bool, false)
        let verify = try s.ok("audit", "verify")
        XCTAssertTrue(verify.contains("1 of them written after a crash, marked recovered"), verify)
        try s.assertWhole("after the recovery")
        XCTAssertEqual(try entries(s).count, 3, "written once")
    }

    func testAVaultFormatOneWroteMigratesOnceAndKeepsEveryEntry() throws {
        let s = try Sandbox()
        try unpack(s, "format1.tar.gz")
        let oldHead = try s.head()
        let oldEntries = trimmed(try s.git("log", "--format=%s", "HEAD")).split(separator: "\n")
            .filter { $0 == "audit" }.count
        XCTAssertEqual(oldEntries, 11)

        let log = try entries(s)
        XCTAssertEqual(
            log.map { $0["action"] as! String },
            ["add", "add", "add", "visit", "set", "show", "search", "list", "export", "erase", "visit", "migrate",
             "upgrade"])
        XCTAssertEqual(log.map { $0["sequence"] as! Int }, Array(1...13))
        XCTAssertTrue(try s.git("show", "HEAD:dangol.json").out.contains("\"format\" : 3"))
        XCTAssertTrue(try s.git("show", "HEAD^:dangol.json").out.contains("\"format\" : 2"))
        XCTAssertEqual(trimmed(try s.git("rev-parse", "HEAD^^")), oldHead, "no rewrite: two commits on top")
        XCTAssertEqual(Array(try subjects(s).prefix(2)), ["upgrade", "migrate"])
        XCTAssertNotEqual(try s.git("cat-file", "-e", "HEAD:audit").code, 0, "the head holds no log files")
        // The log's ref starts from the very same files.
        let root = trimmed(try s.git("rev-list", "--max-parents=0", "refs/dangol/audit"))
        XCTAssertEqual(trimmed(try s.git("rev-parse", "\(root):audit")), trimmed(try s.git("rev-parse", "HEAD^^:audit")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/audit"), "nor does the working tree")
        try s.assertWhole("migrated")
        XCTAssertEqual(try s.dangol("check", "--history").code, 0)

        // Once only; then the vault goes on in format 3.
        XCTAssertEqual(try entries(s).filter { ["migrate", "upgrade"].contains($0["action"] as? String) }.count, 2)
        let b = try s.ok("add", "--name", "바다", "--phone", "010-2222-3333")
        try s.ok("visit", b, "--service", "커트")
        XCTAssertEqual(Array(try subjects(s).prefix(3)), ["visit", "add", "upgrade"])
        let id = try XCTUnwrap((try entries(s).first { $0["action"] as? String == "visit" })?["records"] as? [String])[0]
        let erase = try s.dangol("erase", id, "--reason", "요청", "--yes")
        XCTAssertEqual(erase.code, 0, erase.err)
        try s.assertWhole("an erasure after the migration")

        // Push and clone carry the log's ref.
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb)
        try s.ok("push")
        let tip = trimmed(try s.git("rev-parse", "refs/dangol/audit"))
        XCTAssertEqual(trimmed(try s.run("/usr/bin/git", ["-C", usb, "rev-parse", "refs/dangol/audit"])), tip)
        let restored = s.root + "/restored"
        let clone = try s.dangol("clone", usb, restored)
        XCTAssertEqual(clone.code, 0, clone.err)
        XCTAssertEqual(essence(try entries(s, vault: restored)), essence(try entries(s)), "the clone has every entry")
    }

    func testAMigrationKilledHalfwayIsFinishedAndItsEntryRecovered() throws {
        let s = try Sandbox()
        try unpack(s, "format1.tar.gz")
        let killed = try s.dangol("list", env: ["DANGOL_TEST_CRASH_AT": "migrated"])
        XCTAssertEqual(killed.code, SIGKILL, killed.err)
        // The next open writes the migration's entry, marked, before the
        // upgrade to format 3 has its own.
        let log = try entries(s)
        XCTAssertEqual(log.suffix(2).map { $0["action"] as! String }, ["migrate", "upgrade"])
        XCTAssertEqual(log.suffix(2).map { $0["recovered"] as? Bool }, [true, false])
        XCTAssertEqual(log.count, 13)
        try s.assertWhole("a migration killed after the branch moved")
    }

    /// A rekey seals the migrated files, the log's commits and every tip a
    /// commit names (format 1's and format 2's) again: the log stays whole.
    func testARekeyAfterTheMigrationKeepsTheLogWhole() throws {
        let s = try Sandbox()
        try unpack(s, "format1.tar.gz")
        let a = try s.ok("add", "--name", "바다", "--phone", "010-2222-3333")
        try s.ok("show", a)
        let before = try entries(s)
        let rekey = try s.dangol("rekey")
        XCTAssertEqual(rekey.code, 0, rekey.err)
        let after = try entries(s)
        XCTAssertEqual(essence(Array(after.prefix(before.count))), essence(before))
        XCTAssertEqual(after.last?["action"] as? String, "rekey")
        try s.assertWhole("rekeyed")
    }

    /// Format 1 kept an interrupted erasure's journal; the migration gives
    /// both of its histories their migration commit, so it still finishes.
    func testAnErasureInterruptedInFormatOneFinishesAfterTheMigration() throws {
        let s = try Sandbox()
        try unpack(s, "format1-erasing.tar.gz")
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.vault + "/.git/dangol-erase"))
        let list = try s.dangol("list", "--json")
        XCTAssertEqual(list.code, 0, list.err)
        XCTAssertTrue(try s.git("show", "HEAD:dangol.json").out.contains("\"format\" : 2"))
        let resume = try s.dangol("erase", "--resume")
        XCTAssertEqual(resume.code, 0, resume.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/.git/dangol-erase"))
        XCTAssertEqual(try s.customerCount(), 1)
        // The upgrade to format 3 waits for the erasure (it is a change).
        XCTAssertEqual(
            try entries(s).map { $0["action"] as! String },
            ["add", "add", "visit", "show", "migrate", "list", "erase", "upgrade", "list"])
        XCTAssertTrue(try s.git("show", "HEAD:dangol.json").out.contains("\"format\" : 3"))
        try s.assertWhole("an erasure resumed after the migration")
    }

    /// A longer format-1 history with reads (the old writer, kept for the
    /// generator) on top of the fixture, then migrated.
    func testAGeneratedFormatOneHistoryMigrates() throws {
        let s = try Sandbox()
        try unpack(s, "format1.tar.gz")
        let made = try s.run(synth, [s.vault, "20", "--in-use", "1", "--visits", "60", "--layout", "branch"])
        XCTAssertEqual(made.code, 0, made.err)
        XCTAssertTrue(try s.git("show", "HEAD:dangol.json").out.contains("\"format\" : 1"), "still format 1")
        let audits = trimmed(try s.git("log", "--format=%s", "HEAD")).split(separator: "\n").filter { $0 == "audit" }
        XCTAssertEqual(audits.count, 11 + 20 + 60 + 120)
        let log = try entries(s)
        XCTAssertEqual(log.count, audits.count + 2)
        XCTAssertEqual(log.suffix(2).map { $0["action"] as! String }, ["migrate", "upgrade"])
        try s.assertWhole("a generated history migrated")
    }
}
