import DangolGit
import Foundation
import XCTest

/// The libgit2 wrapper: repositories, blobs, commits and references.
final class RepositoryTests: TemporaryRepositoryTestCase {
    func testCreateThenOpen() throws {
        let created = try Repository.create(at: dir)
        XCTAssertEqual(created.workdir, dir + "/")
        XCTAssertEqual(created.gitDirectory, dir + "/.git/")
        XCTAssertNil(try created.resolve("refs/heads/main"), "a new repository has no commits")
        let opened = try Repository.open(at: dir)
        XCTAssertEqual(opened.workdir, created.workdir)
        XCTAssertEqual(try git("symbolic-ref", "HEAD").out, "refs/heads/main\n")
    }

    func testCreateNeverReinitialises() throws {
        _ = try Repository.create(at: dir)
        XCTAssertThrowsError(try Repository.create(at: dir)) { XCTAssertNotNil($0 as? GitError, "\($0)") }
    }

    func testOpenDoesNotSearchParentDirectories() throws {
        _ = try Repository.create(at: dir)
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        XCTAssertThrowsError(try Repository.open(at: dir + "/sub"))
    }

    func testErrorsCarryTheCallAndLibgit2sMessage() throws {
        XCTAssertThrowsError(try Repository.open(at: dir + "/missing")) {
            guard let e = $0 as? GitError else { return XCTFail("\($0)") }
            XCTAssertEqual(e.function, "git_repository_open_ext")
            XCTAssertEqual(e.result, .notFound)
            XCTAssertFalse(e.message.isEmpty)
            XCTAssertTrue(e.description.hasPrefix("git_repository_open_ext failed"), e.description)
        }
    }

    func testBlobsRoundTrip() throws {
        let repo = try Repository.create(at: dir)
        let bytes: [UInt8] = [0, 1, 2, 255, 0x0a, 0]
        let id = try repo.writeBlob(bytes)
        XCTAssertEqual(try repo.readBlob(id), bytes)
        XCTAssertEqual(try repo.writeBlob(bytes), id, "content-addressed")
        let empty = try repo.writeBlob([])
        XCTAssertEqual(empty.hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "git's id of the empty blob")
        XCTAssertEqual(try repo.readBlob(empty), [])
        XCTAssertEqual(try git("cat-file", "-p", id.hex).out, String(decoding: bytes, as: UTF8.self))
        XCTAssertThrowsError(try repo.readBlob(ObjectID(bytes: [UInt8](repeating: 0xab, count: 20))!))
    }

    func testCommitsAndCompareAndSwapReferences() throws {
        let repo = try Repository.create(at: dir)
        let t1 = try repo.editTree(base: nil, changes: ["a.txt": try blob(repo, "a")])
        let t2 = try repo.editTree(base: t1, changes: ["b.txt": try blob(repo, "b")])
        let c1 = try repo.createCommit(
            tree: t1, parents: [], authorName: "원장", authorEmail: "s1@dangol.invalid",
            message: "init\n")
        XCTAssertNil(try repo.resolve("refs/heads/main"), "createCommit moves no reference")
        try repo.updateReference("refs/heads/main", to: c1, expected: nil, logMessage: "test: init")
        XCTAssertEqual(try repo.resolve("refs/heads/main"), c1)

        let c2 = try repo.createCommit(
            tree: t2, parents: [c1], authorName: "지수", authorEmail: "s2@dangol.invalid",
            message: "add b\n")
        try repo.updateReference("refs/heads/main", to: c2, expected: c1, logMessage: "test: add b")
        XCTAssertEqual(try repo.resolve("refs/heads/main"), c2)

        let info = try repo.commit(c2)
        XCTAssertEqual(info.id, c2)
        XCTAssertEqual(info.tree, t2)
        XCTAssertEqual(info.parents, [c1])
        XCTAssertEqual(info.authorName, "지수")
        XCTAssertEqual(info.authorEmail, "s2@dangol.invalid")
        XCTAssertEqual(info.message, "add b\n")
        XCTAssertLessThan(abs(info.time.timeIntervalSinceNow), 120)
        XCTAssertEqual(try repo.commit(c1).parents, [])
        XCTAssertEqual(try repo.resolveRevision("HEAD~1"), c1)
        XCTAssertEqual(try repo.resolveRevision(String(c2.hex.prefix(10))), c2)
        XCTAssertNil(try repo.resolveRevision("no-such-thing"))
    }

    func testAStaleExpectedIdLosesTheRaceCleanly() throws {
        let repo = try Repository.create(at: dir)
        let tree = try repo.editTree(base: nil, changes: ["a.txt": try blob(repo, "a")])
        let c1 = try repo.createCommit(
            tree: tree, parents: [], authorName: "a", authorEmail: "a@dangol.invalid", message: "1\n")
        let c2 = try repo.createCommit(
            tree: tree, parents: [c1], authorName: "a", authorEmail: "a@dangol.invalid", message: "2\n")
        let c3 = try repo.createCommit(
            tree: tree, parents: [c1], authorName: "b", authorEmail: "b@dangol.invalid", message: "3\n")
        try repo.updateReference("refs/heads/main", to: c1, expected: nil, logMessage: "1")
        try repo.updateReference("refs/heads/main", to: c2, expected: c1, logMessage: "2")
        // A writer that started from c1 must not overwrite c2.
        XCTAssertThrowsError(try repo.updateReference("refs/heads/main", to: c3, expected: c1, logMessage: "3")) {
            guard let e = $0 as? GitError else { return XCTFail("\($0)") }
            XCTAssertTrue(e.result == .modified || e.result == .exists, "\(e)")
        }
        // Nor may a writer that believes the branch does not exist yet.
        XCTAssertThrowsError(try repo.updateReference("refs/heads/main", to: c3, expected: nil, logMessage: "3")) {
            guard let e = $0 as? GitError else { return XCTFail("\($0)") }
            XCTAssertTrue(e.result == .modified || e.result == .exists, "\(e)")
        }
        XCTAssertEqual(try repo.resolve("refs/heads/main"), c2)
        XCTAssertEqual(try git("reflog", "--format=%gs", "refs/heads/main").out, "2\n1\n")
    }

    func testTheGitCLIAcceptsTheRepository() throws {
        let repo = try Repository.create(at: dir)
        let t1 = try repo.editTree(
            base: nil, changes: ["records/ab/cd/x.rec": try blob(repo, "x"), "top.json": try blob(repo, "{}\n")])
        let t2 = try repo.editTree(base: t1, changes: ["records/ef/01/y.rec": try blob(repo, "y")])
        let c1 = try repo.createCommit(
            tree: t1, parents: [], authorName: "원장", authorEmail: "s1@dangol.invalid", message: "init\n")
        try repo.updateReference("refs/heads/main", to: c1, expected: nil, logMessage: "init")
        let c2 = try repo.createCommit(
            tree: t2, parents: [c1], authorName: "지수", authorEmail: "s2@dangol.invalid", message: "add y\n")
        try repo.updateReference("refs/heads/main", to: c2, expected: c1, logMessage: "add y")

        let fsck = try git("fsck", "--full", "--strict")
        XCTAssertEqual(fsck.code, 0, fsck.err)
        XCTAssertEqual(try git("log", "--format=%an").out, "지수\n원장\n")
        XCTAssertEqual(try git("log", "--format=%ae %s", "-1").out, "s2@dangol.invalid add y\n")
        XCTAssertEqual(try git("rev-parse", "HEAD").out, c2.hex + "\n")
        XCTAssertEqual(
            try git("ls-tree", "-r", "--name-only", "HEAD").out, "records/ab/cd/x.rec\nrecords/ef/01/y.rec\ntop.json\n")
    }
}
