import DangolGit
import Foundation
import XCTest

/// The working tree mirrors the head for the owner to look at.
final class WorkdirTests: TemporaryRepositoryTestCase {
    func testSyncWorkdirMatchesTheCommittedTree() throws {
        let repo = try Repository.create(at: dir)
        let a = try blob(repo, "a"), b = try blob(repo, "b")
        let changes: [String: ObjectID?] = ["records/ab/cd/x.rec": a, "records/ef/01/y.rec": b, "top.json": a]
        let tree = try repo.editTree(base: nil, changes: changes)
        let c = try repo.createCommit(
            tree: tree, parents: [], authorName: "원장", authorEmail: "s1@dangol.invalid", message: "init\n")
        try repo.updateReference("refs/heads/main", to: c, expected: nil, logMessage: "init")
        try repo.syncWorkdir(changes)
        XCTAssertEqual(try String(contentsOfFile: dir + "/records/ab/cd/x.rec", encoding: .utf8), "a")
        XCTAssertEqual(try git("status", "--porcelain").out, "")

        let removal: [String: ObjectID?] = ["records/ab/cd/x.rec": nil]
        let t2 = try repo.editTree(base: tree, changes: removal)
        let c2 = try repo.createCommit(
            tree: t2, parents: [c], authorName: "원장", authorEmail: "s1@dangol.invalid", message: "rm\n")
        try repo.updateReference("refs/heads/main", to: c2, expected: c, logMessage: "rm")
        try repo.syncWorkdir(removal)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/records/ab"), "empty directories go too")
        XCTAssertEqual(try git("status", "--porcelain").out, "")
    }
}
