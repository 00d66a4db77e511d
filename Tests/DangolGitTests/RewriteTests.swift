import DangolGit
import Foundation
import XCTest

/// The history rewrite behind erasure, checked with the real git CLI.
final class RewriteTests: TemporaryRepositoryTestCase {
    let secret = "records/ab/cd/abcd0001.rec"
    let other = "records/ab/ef/abef0002.rec"

    private func commit(_ repo: Repository, _ changes: [String: String?], parent: ObjectID?, _ message: String) throws
        -> ObjectID
    {
        var edits = [String: ObjectID?]()
        for (path, text) in changes { edits[path] = try text.map { try blob(repo, $0) } }
        let base = try parent.map { try repo.commit($0).tree }
        let tree = try repo.editTree(base: base, changes: edits)
        return try repo.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], authorName: "원장",
                                     authorEmail: "slot@dangol.invalid", message: message)
    }

    private func gitOK(_ args: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        p.arguments = ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@x"] + args
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir, "GIT_CONFIG_NOSYSTEM": "1"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "git \(args): \(String(decoding: e, as: UTF8.self))")
        return String(decoding: o, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// c1 other · c2 add secret · c3 other · c4 secret · c5 both, then remove secret.
    func testLinearHistoryKeepsOldIdsDropsOnlyCommitsAndRewritesShared() throws {
        let repo = try Repository.create(at: dir)
        let c1 = try commit(repo, [other: "o1", "meta.json": "{}"], parent: nil, "add other")
        let c2 = try commit(repo, [secret: "s1"], parent: c1, "add secret")
        let c3 = try commit(repo, [other: "o2"], parent: c2, "set other")
        let c4 = try commit(repo, [secret: "s2"], parent: c3, "set secret")
        let c5 = try commit(repo, [secret: "s3", other: "o3"], parent: c4,
                            "import both\n\nDangol-Record: x\nDangol-Restored-From: \(c3.hex)\nDangol-Other: \(c1.hex)\n")
        try repo.updateReference("refs/heads/main", to: c5, expected: nil, logMessage: "test")
        let secretBlobs = try ["s1", "s2", "s3"].map { try blob(repo, $0) }

        var seen = [ObjectID: String]()
        let result = try repo.rewriteHistory(removing: [secret]) { old, message, _, _ in
            seen[old] = message
            return message.replacingOccurrences(of: "both", with: "one")
        }
        XCTAssertEqual(result.commitsKept, 1)
        XCTAssertEqual(result.commitsDropped, 2)
        XCTAssertEqual(result.commitsRewritten, 2)
        XCTAssertEqual(result.removedBlobs, Set(secretBlobs))
        XCTAssertEqual(Set(seen.keys), [c3, c5], "only rewritten commits pass through the transform")
        XCTAssertEqual(result.references.map(\.name), ["refs/heads/main"])
        try repo.switchReferences(result.references)

        XCTAssertEqual(try gitOK("rev-list", "--reverse", "main").split(separator: "\n").count, 3)
        XCTAssertEqual(try gitOK("rev-list", "--max-parents=0", "main"), c1.hex, "the commit before the first touch keeps its id")
        XCTAssertEqual(try gitOK("log", "--format=%s", "main"), "import one\nset other\nadd other")
        XCTAssertEqual(try gitOK("log", "--format=%an", "main"), "원장\n원장\n원장")
        XCTAssertEqual(try gitOK("ls-tree", "-r", "--name-only", "main"), "meta.json\n\(other)")
        XCTAssertEqual(try gitOK("show", "main:\(other)"), "o3")
        XCTAssertEqual(try gitOK("show", "main~1:\(other)"), "o2")
        XCTAssertEqual(result.commitMap[c2], c1, "a dropped commit maps to what took its place")
        let body = try gitOK("log", "-1", "--format=%b", "main")
        XCTAssertTrue(body.contains("Dangol-Restored-From: \(result.commitMap[c3]!.hex)"), "ids of rewritten commits follow: \(body)")
        XCTAssertTrue(body.contains("Dangol-Other: \(c1.hex)"), "ids of kept commits stay")
        _ = try gitOK("fsck", "--full", "--strict", "--no-dangling")
        let packs = try FileManager.default.contentsOfDirectory(atPath: dir + "/.git/objects/pack").filter { $0.hasSuffix(".idx") }
        XCTAssertEqual(packs.count, 1)
        XCTAssertTrue(try gitOK("verify-pack", "-v", dir + "/.git/objects/pack/" + packs[0]).contains(": ok"))
    }

    func testNothingToRemoveChangesNothing() throws {
        let repo = try Repository.create(at: dir)
        let c1 = try commit(repo, [other: "o1"], parent: nil, "add other")
        try repo.updateReference("refs/heads/main", to: c1, expected: nil, logMessage: "test")
        let result = try repo.rewriteHistory(removing: [secret])
        XCTAssertEqual(result.commitsKept, 1)
        XCTAssertEqual(result.commitsRewritten + result.commitsDropped, 0)
        XCTAssertTrue(result.references.isEmpty)
        XCTAssertTrue(result.removedBlobs.isEmpty)
        XCTAssertThrowsError(try repo.rewriteHistory(removing: ["records/../keys"]))
    }

    /// A side branch merged back; tags (annotated and light) and notes follow.
    func testMergesTagsAndNotes() throws {
        let repo = try Repository.create(at: dir)
        let base = try commit(repo, [other: "o1"], parent: nil, "base")
        let left = try commit(repo, [secret: "s1"], parent: base, "left adds secret")
        let right = try commit(repo, ["records/ff/00/ff000003.rec": "r1"], parent: base, "right adds third")
        let mergeTree = try repo.editTree(base: try repo.commit(left).tree,
                                          changes: ["records/ff/00/ff000003.rec": try blob(repo, "r1")])
        let merge = try repo.createCommit(tree: mergeTree, parents: [left, right], authorName: "a", authorEmail: "a@x",
                                          message: "merge")
        let onlySecret = try commit(repo, [secret: "s2"], parent: merge, "set secret")
        let tip = try commit(repo, [other: "o2"], parent: onlySecret, "set other")
        try repo.updateReference("refs/heads/main", to: tip, expected: nil, logMessage: "test")
        try repo.updateReference("refs/heads/side", to: left, expected: nil, logMessage: "test")
        _ = try gitOK("tag", "-a", "v1", "-m", "release", onlySecret.hex)
        _ = try gitOK("tag", "light", left.hex)
        _ = try gitOK("notes", "add", "-m", "checked", tip.hex)
        _ = try gitOK("notes", "add", "-m", "about the secret", onlySecret.hex)

        let result = try repo.rewriteHistory(removing: [secret])
        try repo.switchReferences(result.references)
        _ = try gitOK("fsck", "--full", "--strict", "--no-dangling")

        // The merge stays a merge (its parents are still distinct commits).
        let newMain = try gitOK("rev-parse", "main")
        XCTAssertEqual(try gitOK("log", "--topo-order", "--format=%s", "main"), "set other\nmerge\nright adds third\nbase")
        XCTAssertEqual(try gitOK("rev-list", "--merges", "--count", "main"), "1")
        // The side branch only added the secret: it now points at base.
        XCTAssertEqual(try gitOK("rev-parse", "side"), base.hex)
        XCTAssertEqual(try gitOK("rev-parse", "light"), base.hex)
        // The annotated tag named a dropped commit: it moves to its replacement, still annotated.
        XCTAssertEqual(try gitOK("cat-file", "-t", "v1"), "tag")
        XCTAssertEqual(try gitOK("rev-parse", "v1^{commit}"), try gitOK("rev-parse", "main~1"))
        XCTAssertTrue(try gitOK("cat-file", "-p", "v1").contains("release"))
        // Notes follow their commits; the note about the dropped commit is gone.
        XCTAssertEqual(try gitOK("notes", "show", newMain), "checked")
        XCTAssertEqual(try gitOK("notes", "list").split(separator: "\n").count, 1)
        XCTAssertFalse(try gitOK("log", "--all", "--format=%H %s").contains("secret"))
        for path in try gitOK("log", "--all", "--format=", "--name-only").split(separator: "\n") {
            XCTAssertNotEqual(String(path), secret)
        }
    }

    func testDeltaEncodingRoundTripsThroughGit() throws {
        // Many versions of a large tree at one path: deltas, chain breaks, and
        // enough commits (600) for the trees to be cleaned on two threads.
        let repo = try Repository.create(at: dir)
        var files = [String: String?]()
        for i in 0..<60 { files[String(format: "records/%02x/00/f%03d.rec", i, i)] = "v\(i)" }
        var head = try commit(repo, files, parent: nil, "start")
        for i in 0..<600 {
            var change: [String: String?] = [String(format: "records/%02x/00/f%03d.rec", i % 60, i % 60): "w\(i)"]
            if i % 3 == 0 { change[secret] = "s\(i)" }
            head = try commit(repo, change, parent: head, "step \(i)")
        }
        try repo.updateReference("refs/heads/main", to: head, expected: nil, logMessage: "test")
        let result = try repo.rewriteHistory(removing: [secret])
        XCTAssertEqual(result.commitsRewritten, 600)
        XCTAssertEqual(result.commitsKept, 1)
        XCTAssertEqual(result.removedBlobs.count, 200)
        try repo.switchReferences(result.references)
        _ = try gitOK("fsck", "--full", "--strict", "--no-dangling")
        XCTAssertEqual(try gitOK("show", "main:records/3b/00/f059.rec"), "w599")
        XCTAssertEqual(try gitOK("show", "main~300:records/2b/00/f043.rec"), "w283")
        XCTAssertEqual(try gitOK("rev-list", "--count", "main"), "601")
        XCTAssertEqual(try gitOK("log", "--format=", "--name-only", "main", "--", secret), "")
    }
}
