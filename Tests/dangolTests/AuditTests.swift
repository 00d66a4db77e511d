import Foundation
import XCTest

/// The access log: an entry for every read that reveals a record and every
/// change; `audit verify` finding every kind of tampering, and naming where.
final class AuditTests: XCTestCase {
    func entries(_ s: Sandbox, _ args: String...) throws -> [[String: Any]] {
        let out = try s.run(Sandbox.binary, ["audit"] + args + ["--json"])
        XCTAssertEqual(out.code, 0, out.err)
        return try JSONSerialization.jsonObject(with: Data(out.out.utf8)) as! [[String: Any]]
    }

    func testEveryReadAndChangeIsLogged() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678", "--birthday", "12-25")
        let b = try s.ok("add", "--name", "김민수", "--phone", "010-9876-5678")
        let ed = s.root + "/ed"
        try "#!/bin/sh\nfor f; do :; done\nsed -i 's/김민수/김민서/' \"$f\"\n".write(toFile: ed, atomically: true, encoding: .utf8)
        chmod(ed, 0o755)
        let steps: [(args: [String], action: String, records: [String])] = [
            (["show", a], "show", [a]),
            (["search", "5678"], "search", [a, b].sorted()),
            (["list"], "list", [a, b].sorted()),
            (["visit", a, "--service", "커트"], "visit", [a]),
            (["set", a, "note=앞머리"], "set", [a]),
            (["consent", a, "birthday_coupon=yes", "marketing_sms=yes"], "consent", [a]),
            (["birthdays", "--month", "12"], "birthdays", [a]),
            (["diff", a], "diff", [a]),
            (["blame", a], "blame", [a]),
            (["log", a], "log", [a]),
            (["export", a], "export", [a]),
            (["schema", "extend", "referral"], "schema", []),
        ]
        for step in steps {
            let before = try entries(s).count
            let r = try s.run(Sandbox.binary, step.args)
            XCTAssertEqual(r.code, 0, "\(step.args): \(r.err)")
            let new = try entries(s).dropFirst(before)
            XCTAssertEqual(new.count, 1, "\(step.args) makes exactly one entry")
            XCTAssertEqual(new.first?["action"] as? String, step.action)
            XCTAssertEqual((new.first?["records"] as? [String])?.sorted(), step.records, "\(step.args)")
            XCTAssertEqual(new.first?["person"] as? String, "원장")
            XCTAssertFalse((new.first?["host"] as? String ?? "").isEmpty)
        }
        // An edit reveals the record before it changes it: two entries.
        let before = try entries(s).count
        XCTAssertEqual(try s.dangol("edit", b, env: ["EDITOR": ed]).code, 0)
        XCTAssertEqual(try entries(s).dropFirst(before).map { $0["action"] as! String }, ["edit-read", "edit"])

        // Filters.
        XCTAssertEqual(try entries(s, "--record", String(b.prefix(8))).map { $0["action"] as! String },
                       ["add", "search", "list", "edit-read", "edit"])
        XCTAssertEqual(try entries(s, "--user", "원장").count, try entries(s).count)
        XCTAssertEqual(try entries(s, "--user", "지수").count, 0)
        XCTAssertEqual(try entries(s, "--since", "2999-01-01").count, 0)
        // Sequence numbers run on, one chain.
        XCTAssertEqual(try entries(s).map { $0["sequence"] as! Int }, Array(1...(before + 2)))
        // The log holds no personal data in clear.
        XCTAssertEqual(Sandbox.count("김민지", in: try s.everythingStored()), 0)

        let review = try JSONSerialization.jsonObject(
            with: Data(try s.ok("audit", "review", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(review.count, 1)
        XCTAssertEqual(review[0]["person"] as? String, "원장")
        XCTAssertEqual(review[0]["exports"] as? Int, 1)
        XCTAssertEqual(review[0]["customers"] as? Int, 2)
        XCTAssertEqual((review[0]["reads"] as! Int) + (review[0]["changes"] as! Int) + 1, try entries(s).count)
    }

    /// Commits a change made by hand to the audit files of the working tree,
    /// as someone with write access to the repository (but no key) could.
    func tamper(_ s: Sandbox, _ change: (String) throws -> Void) throws {
        let dir = s.vault + "/audit/"
        try change(dir)
        XCTAssertEqual(try s.git("add", "-A", "audit").code, 0)
        let c = try s.git("-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "audit")
        XCTAssertEqual(c.code, 0, c.err)
    }

    func todaysFile(_ s: Sandbox) throws -> (path: String, rel: String) {
        let month = try FileManager.default.contentsOfDirectory(atPath: s.vault + "/audit").sorted().last!
        let day = try FileManager.default.contentsOfDirectory(atPath: s.vault + "/audit/" + month).sorted().last!
        return (s.vault + "/audit/\(month)/\(day)", "audit/\(month)/\(day)")
    }

    func editLines(_ path: String, _ f: (inout [String]) -> Void) throws {
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        f(&lines)
        try (lines.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A vault with six entries in today's file.
    func logged() throws -> Sandbox {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "가을", "--phone", "010-1000-2000")
        for _ in 0..<5 { try s.ok("show", a) }
        XCTAssertEqual(try s.ok("audit", "verify").hasPrefix("access log whole: 6 entries"), true)
        return s
    }

    func verifyFails(_ s: Sandbox, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try s.dangol("audit", "verify")
        XCTAssertEqual(r.code, 5, "integrity exit code; \(r.out)", file: file, line: line)
        for e in expected { XCTAssertTrue(r.err.contains(e), "\(e) not in: \(r.err)", file: file, line: line) }
    }

    func testEditedEntry() throws {
        let s = try logged()
        let (path, rel) = try todaysFile(s)
        try tamper(s) { _ in
            try editLines(path) { l in
                var c = Array(l[2])
                c[10] = c[10] == "A" ? "B" : "A"
                l[2] = String(c)
            }
        }
        try verifyFails(s, ["\(rel) line 3 (entry #3): the entry does not decrypt"])
    }

    func testRemovedEntry() throws {
        let s = try logged()
        let (path, rel) = try todaysFile(s)
        try tamper(s) { _ in try editLines(path) { $0.remove(at: 3) } }
        try verifyFails(s, ["\(rel) line 4 (entry #5): entry #4 is missing before it: removed"])
    }

    func testReorderedEntries() throws {
        let s = try logged()
        let (path, rel) = try todaysFile(s)
        try tamper(s) { _ in try editLines(path) { $0.swapAt(1, 2) } }
        try verifyFails(s, ["\(rel) line 2 (entry #3)", "\(rel) line 3 (entry #2): out of order"])
    }

    func testTruncatedLog() throws {
        let s = try logged()
        let (path, _) = try todaysFile(s)
        try tamper(s) { _ in try editLines(path) { $0.removeLast(2) } }
        try verifyFails(s, ["this commit wrote entry #6, but the log ends at #4"])
        // The whole (only) file removed: the same.
        try tamper(s) { dir in try FileManager.default.removeItem(atPath: dir) }
        try verifyFails(s, ["but the log ends at #0"])
    }

    func testRemovedFile() throws {
        let s = try logged()
        let (path, rel) = try todaysFile(s)
        // The first two entries moved into an earlier day's file: still one
        // whole chain (verify agrees), then that file is deleted.
        let earlier = s.vault + "/audit/2000-01"
        try tamper(s) { _ in
            var head = [String]()
            try editLines(path) { l in
                head = Array(l.prefix(2))
                l.removeFirst(2)
            }
            try FileManager.default.createDirectory(atPath: earlier, withIntermediateDirectories: true)
            try head.map { $0 + "\n" }.joined().write(toFile: earlier + "/01.log", atomically: true, encoding: .utf8)
        }
        // A chain across files: the only problem is that a commit made outside dangol did it.
        let whole = try s.dangol("audit", "verify")
        XCTAssertTrue(whole.err.contains("made outside dangol") && whole.err.contains("1 problem in the access log"), whole.err)
        try tamper(s) { _ in try FileManager.default.removeItem(atPath: earlier) }
        try verifyFails(s, ["\(rel) line 1 (entry #3): entries #1–#2 are missing before it", "or a whole file"])
    }
}

/// Reads made while an erasure waited to be finished keep their entries.
final class AuditAcrossErasureTests: XCTestCase {
    func testEntriesMadeDuringAnInterruptedErasureSurviveIt() throws {
        let s = try Sandbox()
        try s.initVault()
        let kept = try s.ok("add", "--name", "오서준", "--phone", "010-1111-2222")
        let erased = try s.ok("add", "--name", "한지민", "--phone", "010-2345-6789")
        let killed = try s.dangol("erase", erased, "--reason", "요청", "--yes", env: ["DANGOL_TEST_CRASH_AT": "journal-written"])
        XCTAssertEqual(killed.code, SIGKILL, killed.err)
        try s.ok("show", kept)
        XCTAssertEqual(try s.dangol("erase", erased, "--reason", "요청", "--yes").code, 0)
        let out = try s.ok("audit", "--json")
        let actions = (try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[String: Any]]).map { $0["action"] as! String }
        XCTAssertEqual(actions, ["add", "add", "show", "erase"])
        let records = (try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[String: Any]]).map { $0["records"] as! [String] }
        XCTAssertEqual(records[1], [erased], "the erased customer's entries stay: ids only")
        XCTAssertTrue(try s.ok("audit", "verify").hasPrefix("access log whole: 4 entries"))
    }
}
