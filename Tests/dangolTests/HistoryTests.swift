import Foundation
import XCTest

/// log, diff, blame, restore and git's own view through the textconv driver.
final class HistoryTests: XCTestCase {
    func json(_ s: Sandbox, _ args: String...) throws -> Any {
        let r = try s.run(Sandbox.binary, args)
        XCTAssertEqual(r.code, 0, "\(args): \(r.err)")
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }

    func testLogDiffBlameRestoreAndTextconv() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "한지민", "--phone", "010-2345-6789")
        try s.ok("visit", id, "--service", "펌", "--price", "120000")
        try s.ok("set", id, "phone=010-8765-4321")
        try s.ok("set", id, "note=앞머리 짧게")
        let other = try s.ok("add", "--name", "오서준", "--phone", "010-1111-2222")

        // log: newest first, summaries decrypted, filters.
        let log = try json(s, "log", "--json") as! [[String: Any]]
        XCTAssertEqual(log.map { $0["operation"] as! String }, ["add", "set", "set", "visit", "add", "init"])
        XCTAssertEqual(log[2]["summary"] as? String, "\(id.prefix(8)): phone changed")
        XCTAssertEqual(log[3]["summary"] as? String, "\(id.prefix(8)): visit added")
        XCTAssertEqual(Set(log.map { $0["author"] as! String }), ["원장"])
        // The same summaries in Korean for a Korean reader; as data for a script.
        let korean = try JSONSerialization.jsonObject(
            with: Data(try s.dangol("log", "--json", env: ["LANG": "ko_KR.UTF-8"]).out.utf8)) as! [[String: Any]]
        XCTAssertEqual(korean[2]["summary"] as? String, "\(id.prefix(8)): 전화번호 변경")
        XCTAssertEqual(korean[3]["summary"] as? String, "\(id.prefix(8)): 방문 1건 추가")
        let data = log[3]["changes"] as? [String: Any]
        XCTAssertEqual(data?["v"] as? Int, 2)
        XCTAssertEqual(((data?["records"] as? [[String: Any]])?.first)?["visits_added"] as? Int, 1)
        let table = try s.dangol("log", env: ["LANG": "ko_KR.UTF-8"]).out
        XCTAssertTrue(table.contains("전화번호 변경") && table.contains("바뀐 것"), table)
        let mine = try json(s, "log", id, "--json") as! [[String: Any]]
        XCTAssertEqual(mine.count, 4)
        XCTAssertTrue(mine.allSatisfy { ($0["records"] as! [String]) == [id] })
        XCTAssertEqual((try json(s, "log", "--author", "지수", "--json") as! [Any]).count, 0)
        XCTAssertEqual((try json(s, "log", "--since", "2099-01-01", "--json") as! [Any]).count, 0)
        XCTAssertEqual((try json(s, "log", "--limit", "2", "--json") as! [Any]).count, 2)

        // diff: the last change, between two versions, masked unless revealed.
        let last = try json(s, "diff", id, "--json") as! [[String: Any]]
        let lastChanges = last[0]["changes"] as! [[String: Any]]
        XCTAssertEqual(lastChanges.count, 1)
        XCTAssertEqual(lastChanges[0]["field"] as? String, "note")
        XCTAssertEqual(lastChanges[0]["change"] as? String, "added")
        // Revisions by commit: access-log commits sit between the changes.
        let changes = log.map { $0["commit"] as! String }
        let span = try json(s, "diff", id, changes[4], changes[1], "--json") as! [[String: Any]]
        let spanChanges = (span[0]["changes"] as! [[String: Any]]).map { "\($0["field"]!) \($0["change"]!)" }
        XCTAssertEqual(Set(spanChanges), ["phone changed", "note added", "visits[+1] added"])
        let text = try s.ok("diff", id, changes[4], changes[1])
        XCTAssertTrue(text.contains("phone: 010-****-6789 → 010-****-4321"), text)
        XCTAssertTrue(try s.ok("diff", id, changes[4], changes[1], "--reveal").contains("010-2345-6789 → 010-8765-4321"))
        XCTAssertTrue(try s.ok("diff", id, changes[4], changes[1], "--unified").contains("+  \"note\" : \"앞머리 짧게\""))
        let today = try s.git("log", "-1", "--format=%ad", "--date=short").out.trimmingCharacters(in: .whitespacesAndNewlines)
        let range = try json(s, "diff", "\(today)..\(today)", "--json") as! [[String: Any]]
        XCTAssertEqual(Set(range.map { $0["id"] as! String }), [id, other], "records created in the range")
        let created = (range.first { ($0["id"] as! String) == other }!["changes"] as! [[String: Any]])
        XCTAssertTrue(created.contains { ($0["field"] as? String) == "name" && ($0["change"] as? String) == "added" })

        // blame: each field names the commit that last changed it.
        let commits = log.map { $0["commit"] as! String }
        let blame = try json(s, "blame", id, "--json") as! [[String: Any]]
        func blamed(_ path: String) -> String? { blame.first { $0["field"] as? String == path }?["commit"] as? String }
        XCTAssertEqual(blamed("name"), commits[4])
        XCTAssertEqual(blamed("visits[0].price"), commits[3])
        XCTAssertEqual(blamed("phone"), commits[2])
        XCTAssertEqual(blamed("note"), commits[1])
        XCTAssertEqual(blame.first { $0["field"] as? String == "phone" }?["value"] as? String, "010-****-4321")

        // restore: the version from the add commit comes back as a new commit.
        try s.ok("restore", id, String(commits[4].prefix(10)))
        let restored = try json(s, "show", id, "--json", "--reveal") as! [String: Any]
        XCTAssertEqual(restored["phone"] as? String, "010-2345-6789")
        XCTAssertNil(restored["note"])
        XCTAssertEqual((restored["visits"] as! [Any]).count, 0)
        let newest = (try json(s, "log", "--limit", "1", "--json") as! [[String: Any]])[0]
        XCTAssertEqual(newest["operation"] as? String, "restore")
        XCTAssertTrue((newest["summary"] as! String).hasPrefix("restored from \(commits[4].prefix(12))"))
        XCTAssertTrue(try s.git("log", "--invert-grep", "--grep=^audit$", "-1", "--format=%B").out.contains("Dangol-Restored-From: \(commits[4])"))

        // git's own tools: decrypted JSON through textconv, a placeholder without a passphrase.
        let withKey = try s.git("log", "--invert-grep", "--grep=^audit$", "-p", "-3")
        XCTAssertTrue(withKey.out.contains("+  \"note\" : \"앞머리 짧게\""), withKey.out)
        let withoutKey = try s.run("/usr/bin/git", ["-C", s.vault, "log", "--invert-grep", "--grep=^audit$", "-p", "-1"], env: ["DANGOL_PASSPHRASE_FILE": ""])
        XCTAssertEqual(withoutKey.code, 0)
        XCTAssertTrue(withoutKey.out.contains("[dangol: encrypted record \(id)"), withoutKey.out)
        XCTAssertFalse(withoutKey.out.contains("앞머리"))
    }

    func testWiringIsRepairedOnOpenAndByInitRepair() throws {
        let s = try Sandbox()
        try s.initVault()
        XCTAssertEqual(try s.git("config", "--unset", "diff.dangol.textconv").code, 0)
        try s.ok("init", "--repair")
        XCTAssertTrue(try s.git("config", "diff.dangol.textconv").out.contains("textconv --vault ."))
        XCTAssertEqual(try s.git("config", "diff.dangol.cachetextconv").out.trimmingCharacters(in: .whitespacesAndNewlines), "false")

        // An old vault without the attributes heals on the next command.
        XCTAssertEqual(try s.git("rm", "-q", ".gitattributes").code, 0)
        XCTAssertEqual(try s.git("-c", "user.name=old", "-c", "user.email=o@x", "commit", "-qm", "old vault").code, 0)
        XCTAssertEqual(try s.dangol("list").code, 5, "a commit made outside dangol is not built on")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/.gitattributes"), "not even to repair")
        try s.ok("accept", try s.head())
        try s.ok("list")
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.vault + "/.gitattributes"))
        XCTAssertTrue(try s.git("log", "--invert-grep", "--grep=^audit$", "-1", "--format=%s").out.hasPrefix("repair"))
    }
}
