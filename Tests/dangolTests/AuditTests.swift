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

    func trimmed(_ o: Sandbox.Output) -> String { o.out.trimmingCharacters(in: .whitespacesAndNewlines) }

    static let entryTrailer = Sandbox.entryTrailer

    func logLines(_ s: Sandbox) throws -> [String] { try s.accessLogLines() }

    /// Replaces the log's ref with a chain of `lines` made with plain git,
    /// as someone with write access to the repository (but no key) could;
    /// `tree` is what every commit holds (the ref's own tree by default).
    func tamper(_ s: Sandbox, tree: String? = nil, _ change: (inout [String]) -> Void) throws {
        var lines = try logLines(s)
        change(&lines)
        let tree = try tree ?? trimmed(try s.git("rev-parse", "refs/dangol/audit^{tree}"))
        var parent: String?
        for line in lines {
            let c = try s.run(
                "/usr/bin/git",
                ["-C", s.vault, "-c", "user.name=x", "-c", "user.email=x@x", "commit-tree", tree,
                 "-m", "audit\n\n\(Self.entryTrailer)\(line)"] + (parent.map { ["-p", $0] } ?? []))
            XCTAssertEqual(c.code, 0, c.err)
            parent = trimmed(c)
        }
        let r = try parent.map { try s.git("update-ref", "refs/dangol/audit", $0) }
            ?? s.git("update-ref", "-d", "refs/dangol/audit")
        XCTAssertEqual(r.code, 0, r.err)
    }

    /// A vault with six entries: an add and five reads.
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
        try tamper(s) { l in
            var c = Array(l[2])
            c[10] = c[10] == "A" ? "B" : "A"
            l[2] = String(c)
        }
        try verifyFails(s, ["refs/dangol/audit commit ", "(entry #3): the entry does not decrypt"])
    }

    func testRemovedEntry() throws {
        let s = try logged()
        try tamper(s) { $0.remove(at: 3) }
        try verifyFails(s, ["(entry #5): entry #4 is missing before it: removed"])
    }

    func testReorderedEntries() throws {
        let s = try logged()
        try tamper(s) { $0.swapAt(1, 2) }
        try verifyFails(s, ["(entry #3)", "(entry #2): out of order"])
    }

    /// The log's tail cut while a later change stays: the change names the
    /// entry it followed, sealed into its summary.
    func testTruncatedLog() throws {
        let s = try logged()
        let a = try XCTUnwrap(try s.ok("list", "--json").split(separator: "\"").first { $0.count == 32 })
        try s.ok("set", String(a), "note=앞머리")  // follows entry #7 (the list), entry #8 is its own
        try tamper(s) { $0.removeLast(3) }
        try verifyFails(s, ["this commit follows entry #7, but the log ends at #5"])
        // The whole log's ref removed: the same.
        try tamper(s) { $0.removeAll() }
        try verifyFails(s, ["but the log ends at #0"])
    }

    /// The change's clear tip edited to agree with a cut log: its sealed
    /// summary no longer opens, and verify names it as made outside dangol.
    func testAForgedTipIsSeen() throws {
        let s = try logged()
        let a = try XCTUnwrap(try s.ok("list", "--json").split(separator: "\"").first { $0.count == 32 })
        try s.ok("set", String(a), "note=앞머리")
        try tamper(s) { $0.removeLast(3) }
        let commit = try s.git("cat-file", "commit", "HEAD").out
        let fifth = s.root + "/fifth"
        try logLines(s)[4].write(toFile: fifth, atomically: true, encoding: .utf8)
        let hash = trimmed(try s.run("/usr/bin/b2sum", ["-l", "256", fifth]))
        let forged = commit.split(separator: "\n", omittingEmptySubsequences: false).map { l in
            l.hasPrefix("Dangol-Audit-After: ") ? "Dangol-Audit-After: 5 \(hash.prefix(64))" : String(l)
        }.joined(separator: "\n")
        let file = s.root + "/forged"
        try forged.write(toFile: file, atomically: true, encoding: .utf8)
        let id = trimmed(try s.git("hash-object", "-t", "commit", "-w", file))
        XCTAssertEqual(try s.git("update-ref", "refs/heads/main", id).code, 0)
        try verifyFails(s, ["commit \(id): made outside dangol"])
    }

    /// Only the last change's own entry cut: that is what a crash between the
    /// change and its entry leaves, and the entry is written again, marked.
    func testTheLastChangesEntryCutIsWrittenAgainAsRecovered() throws {
        let s = try logged()
        let a = try XCTUnwrap(try s.ok("list", "--json").split(separator: "\"").first { $0.count == 32 })
        try s.ok("set", String(a), "note=앞머리")
        try tamper(s) { $0.removeLast() }
        let verify = try s.ok("audit", "verify")
        XCTAssertTrue(verify.contains("1 of them written after a crash, marked recovered"), verify)
    }

    /// A migrated log keeps format 1's files in its ref's tree; files
    /// removed from there leave a gap before the first entry after them.
    func testRemovedFile() throws {
        let s = try Sandbox()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/format1.tar.gz").path
        XCTAssertEqual(try s.run("/bin/tar", ["-xzf", fixture, "-C", s.root]).code, 0)
        XCTAssertTrue(try s.ok("audit", "verify").hasPrefix("access log whole: 13 entries"))
        let empty = trimmed(try s.git("hash-object", "-t", "tree", "-w", "/dev/null"))
        try tamper(s, tree: empty) { _ in }
        try verifyFails(s, ["(entry #12): entries #1–#11 are missing before it: removed"])
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
