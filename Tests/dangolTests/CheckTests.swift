import Foundation
import XCTest

/// `dangol check` and `check --history`: findings by record file, exit code 5.
final class CheckTests: XCTestCase {
    private func vaultWithHistory() throws -> (Sandbox, String) {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        try s.ok("visit", id, "--service", "커트", "--price", "20000")
        try s.ok("set", id, "note=두피 예민")
        _ = try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        return (s, id)
    }

    private func path(_ id: String) -> String { "records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec" }

    func testHistoryDecryptsEveryVersion() throws {
        let (s, _) = try vaultWithHistory()
        let r = try s.dangol("check", "--history", "--json")
        XCTAssertEqual(r.code, 0, r.err)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        // Three versions of the first customer, one of the second.
        XCTAssertEqual(json["records_checked"] as? Int, 4)
        // Every commit is read, access-log entries included.
        let all = Int(try s.git("rev-list", "--count", "HEAD").out.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(json["commits_checked"] as? Int, all)
        XCTAssertEqual((json["findings"] as? [Any])?.count, 0)
        XCTAssertTrue(try s.ok("check", "--history").contains("4 record versions"))
    }

    /// A version damaged in an old commit, good again at the head: only
    /// --history sees it, and names the file and the commit.
    func testHistoryFindsAnOldDamagedVersion() throws {
        let (s, id) = try vaultWithHistory()
        let file = s.vault + "/" + path(id)
        let good = try XCTUnwrap(FileManager.default.contents(atPath: file))
        var bad = Array(good)
        bad[100] ^= 0x01
        let g = ["-c", "user.name=x", "-c", "user.email=x@dangol.invalid"]
        try Data(bad).write(to: URL(fileURLWithPath: file))
        try s.run("/usr/bin/git", ["-C", s.vault] + g + ["commit", "-qam", "tamper"])
        let tampered = try s.git("rev-parse", "HEAD").out.trimmingCharacters(in: .whitespacesAndNewlines)
        try good.write(to: URL(fileURLWithPath: file))
        try s.run("/usr/bin/git", ["-C", s.vault] + g + ["commit", "-qam", "untamper"])
        // Both commits were made outside dangol: the owner looks, and accepts them.
        XCTAssertEqual(try s.dangol("check").code, 5, "the head was made outside dangol")
        try s.ok("accept", try s.head())

        XCTAssertEqual(try s.dangol("check").code, 0, "the head is whole")
        let r = try s.dangol("check", "--history")
        XCTAssertEqual(r.code, 5, r.err)
        XCTAssertTrue(r.err.contains("[damaged-record] \(path(id)) (in commit \(tampered.prefix(12)))"), r.err)
        XCTAssertTrue(r.out.contains("1 problem"), r.out)
        XCTAssertTrue(r.err.contains("note: [outside-commit] commit \(tampered)"), "listed, as accepted: \(r.err)")
    }

    /// An object of an old version lost from the object database.
    func testHistoryReportsAnUnreadableObject() throws {
        let (s, id) = try vaultWithHistory()
        // An older version: the blob of the second-newest commit that changed the record.
        let older = try s.git("log", "--format=%H", "--", path(id)).out.split(separator: "\n")[1]
        let blob = try s.git("rev-parse", "\(older):" + path(id)).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let loose = s.vault + "/.git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))"
        XCTAssertTrue(FileManager.default.fileExists(atPath: loose))
        try FileManager.default.removeItem(atPath: loose)

        XCTAssertEqual(try s.dangol("check").code, 0)
        let r = try s.dangol("check", "--history", "--json")
        XCTAssertEqual(r.code, 5)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?["kind"] as? String, "unreadable-object")
        XCTAssertEqual(findings.first?["file"] as? String, path(id))
        XCTAssertTrue((findings.first?["reason"] as? String ?? "").contains(blob), "\(findings)")
    }

    func testHeadDamageNamesTheFileAndTheRepair() throws {
        let (s, id) = try vaultWithHistory()
        let file = s.vault + "/" + path(id)
        var bytes = Array(try XCTUnwrap(FileManager.default.contents(atPath: file)))
        bytes[80] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        try s.run("/usr/bin/git", ["-C", s.vault, "-c", "user.name=x", "-c", "user.email=x@dangol.invalid",
                                   "commit", "-qam", "tamper"])
        let r = try s.dangol("check")
        XCTAssertEqual(r.code, 5)
        XCTAssertTrue(r.err.contains("[damaged-record] \(path(id))"), r.err)
        XCTAssertTrue(r.err.contains("dangol restore \(id)"), r.err)
        XCTAssertFalse(r.err.contains("hint: run dangol check"), "check itself is not told to run check: \(r.err)")
    }
}
