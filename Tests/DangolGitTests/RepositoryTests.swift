import DangolGit
import Foundation
import XCTest

/// The libgit2 wrapper, checked against the real git CLI.
final class RepositoryTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "dangol-git-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func git(_ args: String...) throws -> (code: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        p.arguments = ["-C", dir] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    func testTreesCommitsAndRefs() throws {
        let repo = try Repository.create(at: dir)
        XCTAssertThrowsError(try Repository.create(at: dir), "never re-initialises")
        let a = try repo.writeBlob(Array("a".utf8))
        let b = try repo.writeBlob(Array("b".utf8))
        XCTAssertEqual(try repo.readBlob(a), Array("a".utf8))
        let first: [String: ObjectID?] = ["records/ab/cd/x.rec": a, "records/ef/01/y.rec": b, "top.json": a]
        let t1 = try repo.editTree(base: nil, changes: first)
        let second: [String: ObjectID?] = ["records/ab/cd/x.rec": b]
        let t2 = try repo.editTree(base: t1, changes: second)
        // The untouched sibling subtree keeps its id.
        XCTAssertEqual(try repo.entry(at: "records/ef", inTree: t1)?.id, try repo.entry(at: "records/ef", inTree: t2)?.id)
        XCTAssertNotEqual(try repo.entry(at: "records/ab", inTree: t1)?.id, try repo.entry(at: "records/ab", inTree: t2)?.id)
        // Removing the last file of a directory removes the directory.
        let removal: [String: ObjectID?] = ["records/ab/cd/x.rec": ObjectID?.none]
        let t3 = try repo.editTree(base: t2, changes: removal)
        XCTAssertNil(try repo.entry(at: "records/ab", inTree: t3))
        XCTAssertNotNil(try repo.entry(at: "records/ef/01/y.rec", inTree: t3))

        let c1 = try repo.createCommit(tree: t1, parents: [], authorName: "원장", authorEmail: "s1@dangol.invalid", message: "init\n")
        try repo.updateReference("refs/heads/main", to: c1, expected: nil, logMessage: "test")
        let c2 = try repo.createCommit(tree: t2, parents: [c1], authorName: "지수", authorEmail: "s2@dangol.invalid", message: "set x\n")
        try repo.updateReference("refs/heads/main", to: c2, expected: c1, logMessage: "test")
        XCTAssertEqual(try repo.resolve("refs/heads/main"), c2)
        // A writer working from a stale head loses the race cleanly.
        let c3 = try repo.createCommit(tree: t3, parents: [c1], authorName: "원장", authorEmail: "s1@dangol.invalid", message: "stale\n")
        XCTAssertThrowsError(try repo.updateReference("refs/heads/main", to: c3, expected: c1, logMessage: "test")) {
            let r = ($0 as? GitError)?.result
            XCTAssertTrue(r == .modified || r == .exists || r == .locked, "\($0)")
        }
        XCTAssertEqual(try repo.resolve("refs/heads/main"), c2)
        let info = try repo.commit(c2)
        XCTAssertEqual(info.authorName, "지수")
        XCTAssertEqual(info.parents, [c1])
        XCTAssertEqual(info.message, "set x\n")
        XCTAssertEqual(try repo.changedPaths(from: t1, to: t2), ["records/ab/cd/x.rec"])
        XCTAssertEqual(try repo.resolveRevision("HEAD~1"), c1)
        XCTAssertNil(try repo.resolveRevision("no-such-thing"))

        let mirror: [String: ObjectID?] = ["records/ab/cd/x.rec": b, "records/ef/01/y.rec": b, "top.json": a]
        try repo.syncWorkdir(mirror)
        XCTAssertEqual(try git("fsck", "--full", "--strict").code, 0)
        XCTAssertEqual(try git("log", "--format=%an").out, "지수\n원장\n")
        XCTAssertEqual(try git("status", "--porcelain").out, "")
    }

    func testErrorsCarryTheCallAndLibgit2sMessage() throws {
        XCTAssertThrowsError(try Repository.open(at: dir + "/missing")) {
            let e = $0 as? GitError
            XCTAssertEqual(e?.function, "git_repository_open_ext")
            XCTAssertFalse(e?.message.isEmpty ?? true)
        }
    }
}
