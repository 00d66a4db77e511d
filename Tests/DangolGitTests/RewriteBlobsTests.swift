import DangolGit
import Foundation
import XCTest

/// The rewrite of every file version behind rekey, and the history walk
/// behind check --history, checked with the real git CLI.
final class RewriteBlobsTests: TemporaryRepositoryTestCase {
    private func commit(_ repo: Repository, _ changes: [String: String?], parent: ObjectID?, _ message: String) throws
        -> ObjectID
    {
        var edits = [String: ObjectID?]()
        for (path, text) in changes { edits[path] = try text.map { try blob(repo, $0) } }
        let tree = try repo.editTree(base: try parent.map { try repo.commit($0).tree }, changes: edits)
        return try repo.createCommit(
            tree: tree, parents: parent.map { [$0] } ?? [], authorName: "원장", authorEmail: "slot@dangol.invalid",
            message: message)
    }

    private func lines(_ s: String) -> [String] { s.split(separator: "\n").map(String.init) }

    func testEveryVersionTransformedOnceKeysRemovedRefsSwitchTogether() throws {
        let repo = try Repository.create(at: dir)
        let c1 = try commit(repo, ["keys/a.slot": "k1", "records/ab/cd/x.rec": "v1", "meta": "m"], parent: nil, "init")
        let c2 = try commit(repo, ["records/ab/cd/x.rec": "v2", "records/ab/ef/y.rec": "v1"], parent: c1, "two")
        let c3 = try commit(repo, ["meta": "m2"], parent: c2, "meta")
        try repo.updateReference("refs/heads/main", to: c3, expected: nil, logMessage: "test")
        try repo.updateReference("refs/tags/old", to: c1, expected: nil, logMessage: "test")

        // The walk: every commit once, each distinct (path, blob) once.
        XCTAssertEqual(try repo.commits(reachableFrom: ["refs/heads/", "refs/tags/"]), [c1, c2, c3])
        let (files, missing) = try repo.distinctFiles(under: "records", in: [c1, c2, c3])
        XCTAssertTrue(missing.isEmpty)
        XCTAssertEqual(Set(files.map(\.path)), ["records/ab/cd/x.rec", "records/ab/ef/y.rec"])
        XCTAssertEqual(files.count, 3, "v1 and v2 of x, and y (its v1 bytes are another path's version)")

        var seen = [String]()
        let result = try repo.rewriteEveryCommit(
            transforming: ["records/"], removing: ["keys"],
            transform: { path, bytes in
                seen.append(path + ":" + String(decoding: bytes, as: UTF8.self))
                return Array(("sealed-" + String(decoding: bytes, as: UTF8.self)).utf8)
            },
            transformMessage: { _, message, _, _ in message + "Rekeyed: yes\n" })
        XCTAssertEqual(seen.sorted(), ["records/ab/cd/x.rec:v1", "records/ab/cd/x.rec:v2", "records/ab/ef/y.rec:v1"])
        XCTAssertEqual(result.commitsRewritten, 3)
        XCTAssertEqual(Set(result.references.map(\.name)), ["refs/heads/main", "refs/tags/old"])
        try repo.switchReferences(result.references)

        XCTAssertEqual(try git("cat-file", "-p", "main:records/ab/cd/x.rec").out, "sealed-v2")
        XCTAssertEqual(try git("cat-file", "-p", "main~1:records/ab/ef/y.rec").out, "sealed-v1")
        XCTAssertEqual(try git("cat-file", "-p", "old:records/ab/cd/x.rec").out, "sealed-v1")
        XCTAssertEqual(try git("cat-file", "-p", "main:meta").out, "m2", "files outside the prefixes are kept")
        XCTAssertEqual(try git("log", "--all", "--format=", "--name-only", "--", "keys").out, "")
        XCTAssertEqual(lines(try git("log", "--format=%s|%b", "main").out).filter { $0.contains("Rekeyed: yes") }.count, 3)
        XCTAssertEqual(try git("fsck", "--strict").code, 0)
        // The old objects the purge must remove: the slot, and "v1" (one blob at two paths) and "v2".
        XCTAssertEqual(result.oldBlobs.count, 3)
    }
}
