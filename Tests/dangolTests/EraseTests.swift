import Foundation
import XCTest

/// dangol erase, checked from outside with the real git CLI: nothing of the
/// erased customer is left anywhere git can reach, everyone else is whole.
final class EraseTests: XCTestCase {
    func json(_ s: Sandbox, _ args: String...) throws -> Any {
        let r = try s.run(Sandbox.binary, args)
        XCTAssertEqual(r.code, 0, "\(args): \(r.err)")
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }

    func path(_ id: String) -> String { "records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec" }

    func lines(_ o: Sandbox.Output) -> [String] {
        o.out.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Every blob id a path ever had in the history of every ref.
    func blobs(_ s: Sandbox, at path: String) throws -> Set<String> {
        Set(lines(try s.git("log", "--all", "--format=", "--raw", "--no-abbrev", "--", path)).compactMap { line in
            let f = line.split(separator: " ")
            return f.count >= 5 ? String(f[3]) : nil
        }.filter { $0 != String(repeating: "0", count: 40) })
    }

    /// A vault where the customer to erase arrived in one import together
    /// with another, was visited and changed; two others have their own history.
    func salon(_ s: Sandbox) throws -> (erased: String, others: [String]) {
        try s.initVault()
        let kept = try s.ok("add", "--name", "오서준", "--phone", "010-1111-2222")
        let jsonl = s.root + "/more.jsonl"
        try """
            {"name": "한지민", "phone": "010-2345-6789", "note": "두피 민감"}
            {"name": "김민지", "phone": "010-3333-4444"}
            """.write(toFile: jsonl, atomically: true, encoding: .utf8)
        try s.ok("import", jsonl)
        let erased = try (json(s, "search", "한지민", "--json") as! [[String: Any]])[0]["id"] as! String
        let third = try (json(s, "search", "김민지", "--json") as! [[String: Any]])[0]["id"] as! String
        try s.ok("visit", erased, "--service", "염색", "--formula", "7N+6% 1:1", "--price", "90000")
        try s.ok("visit", kept, "--service", "커트", "--price", "20000")
        try s.ok("set", erased, "phone=010-8765-4321")
        try s.ok("set", kept, "note=앞머리 짧게")
        try s.ok("visit", third, "--service", "펌")
        try s.ok("set", erased, "note=")
        return (erased, [kept, third])
    }

    func testEraseLeavesNothingBehindAndEveryoneElseWhole() throws {
        let s = try Sandbox()
        let (erased, others) = try salon(s)
        let erasedBlobs = try blobs(s, at: path(erased))
        XCTAssertEqual(erasedBlobs.count, 4, "import, visit, set phone, clear note")
        var onlyErased = [String]()
        for c in lines(try s.git("log", "--all", "--format=%H", "--", path(erased)))
        where lines(try s.git("show", "--format=", "--name-only", c)) == [path(erased)] {
            onlyErased.append(c)
        }
        XCTAssertEqual(onlyErased.count, 3, "the import is shared with another customer")
        let othersLog = try others.map { try json(s, "log", $0, "--json") as! [[String: Any]] }
        // Text only git keeps: a note and an annotated tag naming the customer, on a commit that stays.
        let keptCommit = lines(try s.git("log", "-1", "--format=%H", "--", path(others[0])))[0]
        let me = ["-c", "user.name=원장", "-c", "user.email=owner@dangol.invalid"]
        XCTAssertEqual(try s.run("/usr/bin/git", ["-C", s.vault] + me + ["notes", "add", "-m", "called \(erased)", keptCommit]).code, 0)
        XCTAssertEqual(try s.run("/usr/bin/git", ["-C", s.vault] + me + ["tag", "-a", "checked", "-m", "saw \(erased)", keptCommit]).code, 0)
        let commitsBefore = try s.commitCount()

        let receipt = try (json(s, "erase", erased, "--reason", "고객 요청 2026-11-24", "--yes", "--json") as! [[String: Any]])[0]
        XCTAssertEqual(receipt["records"] as? [String], [erased])
        XCTAssertEqual(receipt["remnants_found"] as? Int, 0)
        XCTAssertEqual(receipt["verified"] as? Bool, true)
        XCTAssertEqual(receipt["commits_dropped"] as? Int, 3)
        XCTAssertGreaterThan(receipt["objects_removed"] as! Int, 4)
        XCTAssertEqual(receipt["reason"] as? String, "고객 요청 2026-11-24")

        // The encrypted search cache held the customer's decrypted fields: gone with them.
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/.git/dangol-index"))
        XCTAssertEqual(try s.dangol("search", "한지민", "--json").code, 4, "no customer matches")

        // git's own view: the objects are gone, the repository is sound.
        for blob in erasedBlobs { XCTAssertNotEqual(try s.git("cat-file", "-e", blob).code, 0, "blob \(blob) survived") }
        let fsck = try s.git("fsck", "--full", "--strict", "--no-dangling")
        XCTAssertEqual(fsck.code, 0, fsck.err + fsck.out)
        XCTAssertEqual(try s.git("fsck", "--full", "--unreachable").out, "", "nothing unreachable is left")
        let all = Set(lines(try s.git("log", "--all", "--reflog", "--format=%H")))
        for c in onlyErased { XCTAssertFalse(all.contains(c), "commit \(c) that touched only the erased record survived") }
        XCTAssertEqual(try s.commitCount(), commitsBefore - 3, "three commits dropped (the receipt's is an access-log commit)")
        XCTAssertFalse(try s.git("log", "--all", "--format=%B").out.contains(erased))
        XCTAssertNotEqual(try s.git("rev-parse", "--verify", "-q", "ORIG_HEAD").code, 0)
        let reachable = Set(lines(try s.git("rev-list", "--all")))
        XCTAssertTrue(Set(lines(try s.git("reflog", "show", "--all", "--format=%H"))).isSubset(of: reachable),
                      "no reflog leads back to the old history")
        XCTAssertEqual(try s.git("grep", "-I", erased, "HEAD").code, 1)
        XCTAssertTrue(try s.git("log", "--all", "--format=", "--name-only").out.split(separator: "\n")
            .allSatisfy { !$0.contains(erased) })
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/" + path(erased)))
        XCTAssertEqual(try s.git("status", "--porcelain").out, "")
        let stored = try s.everythingStored()
        XCTAssertEqual(Sandbox.count(erased, in: stored), 0, "the id is nowhere in clear")
        XCTAssertTrue(try s.git("cat-file", "-p", "checked").out.contains("saw [erased]"), "the tag stays, scrubbed")
        let note = lines(try s.git("notes", "list"))
        XCTAssertEqual(note.count, 1)
        XCTAssertEqual(try s.git("cat-file", "-p", String(note[0].split(separator: " ")[0])).out, "called [erased]\n")
        XCTAssertEqual(Sandbox.count("한지민", in: stored), 0)

        // dangol's view: gone for dangol, everyone else at every version.
        XCTAssertEqual(try s.dangol("show", erased).code, 4)
        XCTAssertEqual(try s.ok("check").contains("no problems"), true)
        for (i, other) in others.enumerated() {
            let log = try json(s, "log", other, "--json") as! [[String: Any]]
            XCTAssertEqual(log.count, othersLog[i].count, "\(other) kept every version")
            XCTAssertTrue(log.allSatisfy { $0["summary"] is String }, "every summary opens under its new tree")
            XCTAssertEqual(log.map { $0["operation"] as? String }, othersLog[i].map { $0["operation"] as? String })
            XCTAssertEqual(try s.dangol("diff", other, "--json").code, 0)
            XCTAssertEqual(try s.dangol("blame", other, "--json").code, 0)
            let versions = try s.git("log", "--all", "-p", "--format=%H", "--", path(other))
            XCTAssertFalse(versions.out.contains("[dangol:"), "every version decrypts: \(versions.out)")
            XCTAssertEqual(Sandbox.count("\"name\" :", in: Array(versions.out.utf8)) > 0, true)
        }
        let fullLog = try json(s, "log", "--json") as! [[String: Any]]
        XCTAssertTrue(fullLog.allSatisfy { !(($0["summary"] as? String) ?? "").contains(erased.prefix(8)) })
        let imported = fullLog.first { $0["operation"] as? String == "import" }
        XCTAssertEqual(imported?["records"] as? [String], [others[1]], "the shared import keeps the other customer")
        XCTAssertEqual(imported?["summary"] as? String, "\(others[1].prefix(8)): new customer")

        // The receipt is in the access log; a second erase of it finds nothing.
        let audit = try json(s, "audit", "--action", "erase", "--json") as! [[String: Any]]
        XCTAssertEqual(audit.count, 1)
        let kept = audit[0]["receipt"] as! [String: Any]
        XCTAssertEqual(kept["records"] as? [String], [erased])
        XCTAssertEqual(kept["reason"] as? String, "고객 요청 2026-11-24")
        XCTAssertEqual(kept["remnants_found"] as? Int, 0)
        XCTAssertEqual(try s.dangol("erase", erased, "--reason", "again", "--yes").code, 4)
    }

    /// Several customers in one rewrite: the primitive retention builds on.
    func testErasingASetIsOneRewriteAndOneReceipt() throws {
        let s = try Sandbox()
        let (erased, others) = try salon(s)
        let gone = try blobs(s, at: path(others[1])).union(blobs(s, at: path(erased)))
        XCTAssertEqual(gone.count, 6)
        let receipts = try json(s, "erase", erased, String(others[1].prefix(8)), "--reason", "보관 기간 만료", "--yes",
                                "--json") as! [[String: Any]]
        XCTAssertEqual(receipts.count, 1, "one rewrite, one receipt")
        let receipt = receipts[0]
        XCTAssertEqual(Set(receipt["records"] as! [String]), [erased, others[1]])
        XCTAssertEqual(receipt["remnants_found"] as? Int, 0)
        // The import added both and nothing else: now it is gone too.
        XCTAssertFalse(lines(try s.git("log", "--all", "--format=%s")).contains { $0.hasPrefix("import") })
        for blob in gone {
            XCTAssertNotEqual(try s.git("cat-file", "-e", blob).code, 0)
        }
        XCTAssertEqual(try s.git("fsck", "--full", "--strict", "--no-dangling").code, 0)
        XCTAssertEqual(lines(try s.git("ls-tree", "-r", "--name-only", "HEAD", "records")), [path(others[0])])
        XCTAssertEqual((try json(s, "log", others[0], "--json") as! [Any]).count, 3)
        XCTAssertEqual((try json(s, "audit", "--action", "erase", "--json") as! [Any]).count, 1)
    }

    func testRefusesWithoutConfirmationOrReasonAndUnknownCustomers() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "한지민", "--phone", "010-2345-6789")
        let noTTY = try s.dangol("erase", id, "--reason", "요청")
        XCTAssertEqual(noTTY.code, 2)
        XCTAssertTrue(noTTY.err.contains("--yes"), noTTY.err)
        XCTAssertEqual(try s.dangol("erase", id, "--yes").code, 2, "a reason is required")
        let missing = try s.dangol("erase", "0123456789abcdef0123456789abcdef", "--reason", "요청", "--yes")
        XCTAssertEqual(missing.code, 4, missing.err)
        XCTAssertEqual(try s.dangol("erase", "--resume").code, 4, "nothing to resume")
        XCTAssertEqual(try s.dangol("show", id).code, 0, "nothing was erased")
    }

    /// Killed at every step of an erasure: the vault still opens, git finds
    /// it sound, and running the same erase again finishes the job.
    func testKilledAtEveryStepThenFinishedByRunningItAgain() throws {
        let steps = ["rewritten", "journal-written", "refs-packed", "refs-switched", "workdir-synced", "purged",
                     "receipt-written"]
        for step in steps {
            let s = try Sandbox()
            try s.initVault()
            let kept = try s.ok("add", "--name", "오서준", "--phone", "010-1111-2222")
            let erased = try s.ok("add", "--name", "한지민", "--phone", "010-2345-6789")
            try s.ok("visit", erased, "--service", "염색")
            try s.ok("set", kept, "note=앞머리 짧게")
            let erasedBlobs = try blobs(s, at: path(erased))

            let killed = try s.dangol("erase", erased, "--reason", "요청", "--yes", env: ["DANGOL_TEST_CRASH_AT": step])
            XCTAssertEqual(killed.code, SIGKILL, "\(step): \(killed.err)")
            let fsck = try s.git("fsck", "--full", "--strict", "--no-dangling")
            XCTAssertEqual(fsck.code, 0, "\(step): " + fsck.err + fsck.out)
            let list = try s.dangol("list", "--json")
            XCTAssertEqual(list.code, 0, "\(step): the vault opens: \(list.err)")
            XCTAssertEqual(try s.dangol("show", kept).code, 0, step)

            let again = try s.dangol("erase", erased, "--reason", "요청", "--yes", "--json")
            XCTAssertEqual(again.code, 0, "\(step): \(again.err)")
            XCTAssertEqual(try s.dangol("show", erased).code, 4, step)
            XCTAssertEqual(try s.ok("show", kept, "--json").contains("오서준"), true)
            for blob in erasedBlobs { XCTAssertNotEqual(try s.git("cat-file", "-e", blob).code, 0, "\(step): \(blob)") }
            XCTAssertEqual(try s.git("fsck", "--full", "--strict", "--no-dangling").code, 0, step)
            XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/.git/dangol-erase"), step)
            let receipts = try json(s, "audit", "--action", "erase", "--json") as! [[String: Any]]
            XCTAssertEqual(receipts.count, 1, "\(step): exactly one receipt")
            XCTAssertEqual((receipts.first?["receipt"] as? [String: Any])?["remnants_found"] as? Int, 0, step)
            XCTAssertFalse(try s.git("log", "--all", "--format=%B").out.contains(erased), step)
        }
        print("crash points of erase: \(steps.count) steps, each killed then finished by the same erase")
    }
}
