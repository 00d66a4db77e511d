import DangolGit
import Foundation
import XCTest

/// editTree: nested paths, reuse of untouched subtrees, and removal of
/// directories left empty.
final class TreeEditTests: TemporaryRepositoryTestCase {
    var repo: Repository!
    var a: ObjectID!
    var b: ObjectID!

    override func setUpWithError() throws {
        try super.setUpWithError()
        repo = try Repository.create(at: dir)
        a = try blob(repo, "a")
        b = try blob(repo, "b")
    }

    func testNestedPathsAreCreated() throws {
        let t = try repo.editTree(base: nil, changes: ["records/ab/cd/x.rec": a, "top.json": b])
        XCTAssertEqual(try repo.entry(at: "records/ab/cd/x.rec", inTree: t)?.id, a)
        XCTAssertEqual(try repo.entry(at: "records/ab/cd/x.rec", inTree: t)?.kind, .blob)
        XCTAssertEqual(try repo.entry(at: "records/ab", inTree: t)?.kind, .tree)
        XCTAssertEqual(try repo.entry(at: "top.json", inTree: t)?.id, b)
        XCTAssertEqual(try repo.treeEntries(t).map(\.name), ["records", "top.json"])
        XCTAssertNil(try repo.entry(at: "records/ab/cd/none.rec", inTree: t))
    }

    func testUntouchedSubtreesKeepTheirIds() throws {
        let t1 = try repo.editTree(
            base: nil, changes: ["records/ab/cd/x.rec": a, "records/ef/01/y.rec": b, "top.json": a])
        let t2 = try repo.editTree(base: t1, changes: ["records/ab/cd/x.rec": b])
        XCTAssertNotEqual(t1, t2)
        XCTAssertEqual(
            try repo.entry(at: "records/ef", inTree: t1)?.id, try repo.entry(at: "records/ef", inTree: t2)?.id)
        XCTAssertNotEqual(
            try repo.entry(at: "records/ab", inTree: t1)?.id, try repo.entry(at: "records/ab", inTree: t2)?.id)
        XCTAssertNotEqual(try repo.entry(at: "records", inTree: t1)?.id, try repo.entry(at: "records", inTree: t2)?.id)
        XCTAssertEqual(try repo.entry(at: "records/ab/cd/x.rec", inTree: t2)?.id, b)
        XCTAssertEqual(try repo.entry(at: "top.json", inTree: t2)?.id, a)
        XCTAssertEqual(try repo.changedPaths(from: t1, to: t2), ["records/ab/cd/x.rec"])
    }

    func testTheSameContentGivesTheSameTree() throws {
        let t1 = try repo.editTree(base: nil, changes: ["records/ab/cd/x.rec": a, "records/ef/01/y.rec": b])
        let added = try repo.editTree(base: nil, changes: ["records/ab/cd/x.rec": a])
        let t2 = try repo.editTree(base: added, changes: ["records/ef/01/y.rec": b])
        XCTAssertEqual(t1, t2)
        XCTAssertEqual(
            try repo.editTree(base: t1, changes: ["records/ab/cd/x.rec": a]), t1, "rewriting a file as it is")
    }

    func testRemovingTheLastFileRemovesEmptyDirectories() throws {
        let t1 = try repo.editTree(
            base: nil, changes: ["records/ab/cd/x.rec": a, "records/ef/01/y.rec": b, "top.json": a])
        let t2 = try repo.editTree(base: t1, changes: ["records/ab/cd/x.rec": nil])
        XCTAssertNil(try repo.entry(at: "records/ab/cd", inTree: t2))
        XCTAssertNil(try repo.entry(at: "records/ab", inTree: t2))
        XCTAssertEqual(
            try repo.treeEntries(try XCTUnwrap(repo.entry(at: "records", inTree: t2)?.id)).map(\.name), ["ef"])
        XCTAssertEqual(try repo.entry(at: "records/ef/01/y.rec", inTree: t2)?.id, b)
        XCTAssertEqual(
            try repo.entry(at: "records/ef", inTree: t1)?.id, try repo.entry(at: "records/ef", inTree: t2)?.id)

        let t3 = try repo.editTree(base: t2, changes: ["records/ef/01/y.rec": nil])
        XCTAssertNil(try repo.entry(at: "records", inTree: t3), "records/ goes with its last file")
        XCTAssertEqual(try repo.treeEntries(t3).map(\.name), ["top.json"])
        let t4 = try repo.editTree(base: t3, changes: ["top.json": nil])
        XCTAssertEqual(t4.hex, "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "the root may be empty: git's empty tree")
    }

    func testRemovingOneOfTwoFilesKeepsTheDirectory() throws {
        let t1 = try repo.editTree(base: nil, changes: ["records/ab/cd/x.rec": a, "records/ab/cd/z.rec": b])
        let t2 = try repo.editTree(base: t1, changes: ["records/ab/cd/x.rec": nil])
        XCTAssertEqual(
            try repo.treeEntries(try XCTUnwrap(repo.entry(at: "records/ab/cd", inTree: t2)?.id)).map(\.name), ["z.rec"])
    }

    func testAddAndRemoveInOneEdit() throws {
        let t1 = try repo.editTree(base: nil, changes: ["records/ab/cd/x.rec": a])
        let t2 = try repo.editTree(base: t1, changes: ["records/ab/cd/x.rec": nil, "records/12/34/w.rec": b])
        XCTAssertNil(try repo.entry(at: "records/ab", inTree: t2))
        XCTAssertEqual(try repo.entry(at: "records/12/34/w.rec", inTree: t2)?.id, b)
        XCTAssertEqual(try repo.changedPaths(from: t1, to: t2), ["records/12/34/w.rec", "records/ab/cd/x.rec"])
    }
}
