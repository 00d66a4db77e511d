@testable import DangolGit
import Foundation
import XCTest

/// Packing loose objects, judged by the real git CLI: nothing lost, nothing
/// left loose, and a damaged loose object stops it before anything is deleted.
final class RepackTests: TemporaryRepositoryTestCase {
    func commits(_ repo: Repository, _ n: Int, after start: ObjectID? = nil) throws -> [ObjectID] {
        var parent = start
        var all = [ObjectID]()
        for i in 0..<n {
            let b = try blob(repo, "record \(i) after \(start?.hex ?? "-") " + String(repeating: "\(i)", count: 300))
            let base = try parent.map { try repo.commit($0).tree }
            let tree = try repo.editTree(base: base, changes: ["records/\(i % 3)/\(i).rec": b])
            let c = try repo.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], authorName: "tester",
                                          authorEmail: "tester@dangol.invalid", message: "change \(i)\n")
            try repo.updateReference("refs/heads/main", to: c, expected: parent, logMessage: "test")
            parent = c
            all.append(c)
        }
        return all
    }

    func loose() throws -> Int {
        let out = try git("count-objects", "-v").out
        return Int(out.split(separator: "\n").first { $0.hasPrefix("count: ") }?.dropFirst(7) ?? "-1") ?? -1
    }

    func testEveryLooseObjectMovesIntoOnePack() throws {
        let repo = try Repository.create(at: dir)
        let made = try commits(repo, 12)
        let objects = try git("rev-list", "--all", "--objects").out.split(separator: "\n").map { String($0.prefix(40)) }
        XCTAssertEqual(try loose(), objects.count)

        let report = try repo.packLooseObjects()
        XCTAssertEqual(report.objectsPacked, objects.count)
        XCTAssertEqual(report.looseRemoved, objects.count)
        XCTAssertEqual(try loose(), 0)
        XCTAssertEqual(try git("fsck", "--full", "--strict", "--no-dangling").code, 0)
        for id in objects { XCTAssertEqual(try git("cat-file", "-e", id).code, 0, id) }
        XCTAssertEqual(try git("rev-list", "--count", "HEAD").out.trimmingCharacters(in: .whitespacesAndNewlines), "12")
        // The open repository reads through the new pack, and writes on.
        XCTAssertEqual(try repo.commit(made[3]).tree, try Repository.open(at: dir).commit(made[3]).tree)
        _ = try commits(repo, 1, after: made.last)
        XCTAssertEqual(try repo.packLooseObjects().objectsPacked, 5, "only the new commit's objects: commit, 3 trees, blob")
        XCTAssertEqual(try git("fsck", "--full", "--strict", "--no-dangling").code, 0)
    }

    /// A directory that every change rewrites is stored as deltas of its
    /// version before, and commits compressed; git reads them all, and so
    /// does the reader the purge and the rewrite use.
    func testTreesAreDeltasOfTheirVersionBeforeAndCommitsCompressed() throws {
        let repo = try Repository.create(at: dir)
        // A wide directory (records/0 ends up with 60 files): each change differs in one entry.
        var parent: ObjectID?
        for i in 0..<60 {
            let b = try blob(repo, "record \(i) " + String(repeating: "x", count: 200))
            let tree = try repo.editTree(base: try parent.map { try repo.commit($0).tree }, changes: ["records/0/\(i).rec": b])
            let c = try repo.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], authorName: "tester",
                                          authorEmail: "tester@dangol.invalid",
                                          message: "change \(i)\n\n" + String(repeating: "Dangol-Record: \(i)\n", count: 8))
            try repo.updateReference("refs/heads/main", to: c, expected: parent, logMessage: "test")
            parent = c
        }
        let objects = try git("rev-list", "--all", "--objects").out.split(separator: "\n").map { String($0.prefix(40)) }
        _ = try repo.packLooseObjects()
        XCTAssertEqual(try git("fsck", "--full", "--strict", "--no-dangling").code, 0)
        // Packs are kept apart by kind (blobs, the rest): every one is read.
        let packDir = dir + "/.git/objects/pack"
        let indexes = try FileManager.default.contentsOfDirectory(atPath: packDir).filter { $0.hasSuffix(".idx") }
        XCTAssertFalse(indexes.isEmpty)
        let verified = try indexes.flatMap { try git("verify-pack", "-v", packDir + "/" + $0).out.split(separator: "\n") }
        let trees = verified.filter { $0.contains(" tree ") }
        let deltas = trees.filter { $0.split(separator: " ").count >= 7 }
        XCTAssertGreaterThan(deltas.count, 50, "the directory's versions are deltas: \(trees.prefix(3))")
        // A commit's entry is smaller than its content (column 3 size, 4 size in pack).
        let commits = verified.filter { $0.contains(" commit ") }.map { $0.split(separator: " ").filter { !$0.isEmpty } }
        XCTAssertTrue(commits.allSatisfy { Int($0[3])! < Int($0[2])! }, "commits are deflated")
        // Every object reads back through the mapped packs, by id.
        let reader = try ObjectReader(repo, packs: try MappedPacks(objects: dir + "/.git/objects/"))
        for id in objects {
            let expected = try git("cat-file", "-p", id).code
            XCTAssertEqual(expected, 0)
            let object = try reader.read(try XCTUnwrap(ObjectID(hex: id)))
            XCTAssertEqual(object.bytes.withUnsafeBytes { SHA1.objectID(object.kind, $0) }.hex, id)
        }
    }

    /// Packs pile up (each packing adds one of blobs and one of the rest,
    /// each erasure one); merging copies every object once into one pack of
    /// each kind, git's own deltas included, even where two packs hold the
    /// same object.
    func testPacksMergeIntoOneOfEachKindWithEachObjectOnce() throws {
        let repo = try Repository.create(at: dir)
        let first = try commits(repo, 10)
        _ = try repo.packLooseObjects()
        // git's repack -a without -d: a second pack with every object again,
        // as deltas where git finds them, beside the first.
        XCTAssertEqual(try git("repack", "-a", "-f", "-q").code, 0)
        _ = try commits(repo, 5, after: first.last)
        _ = try repo.packLooseObjects()
        let packDir = dir + "/.git/objects/pack"
        func packs() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: packDir).filter { $0.hasSuffix(".pack") } }
        XCTAssertEqual(try packs().count, 5, "blobs and the rest twice, and git's")
        let stored = try git("count-objects", "-v").out
        let objects = Set(try git("rev-list", "--all", "--objects").out.split(separator: "\n").map { String($0.prefix(40)) })
        XCTAssertFalse(stored.contains("in-pack: \(objects.count)\n"), "the packs hold some objects twice")
        let verified = try packs().map { try git("verify-pack", "-v", packDir + "/" + $0).out }.joined()
        XCTAssertTrue(verified.contains("chain length"), "git's pack has deltas")

        XCTAssertEqual(try repo.mergePacks(), 5)
        XCTAssertEqual(try packs().count, 2, "one of blobs, one of the rest")
        XCTAssertTrue(try git("count-objects", "-v").out.contains("in-pack: \(objects.count)\n"))
        XCTAssertEqual(try git("fsck", "--full", "--strict", "--no-dangling").code, 0)
        for id in objects { XCTAssertEqual(try git("cat-file", "-e", id).code, 0, id) }
        XCTAssertEqual(try repo.commit(first[2]).tree, try Repository.open(at: dir).commit(first[2]).tree)
        XCTAssertEqual(try repo.mergePacks(), 0, "one pack of each kind: nothing to merge")
    }

    func testADamagedLooseObjectStopsItBeforeAnythingIsDeleted() throws {
        let repo = try Repository.create(at: dir)
        _ = try commits(repo, 3)
        let before = try loose()
        // Swap two loose files: each is readable, but not the object its name says.
        let names = try git("rev-list", "--all", "--objects").out.split(separator: "\n").map { String($0.prefix(40)) }
        let a = dir + "/.git/objects/\(names[0].prefix(2))/\(names[0].dropFirst(2))"
        let b = dir + "/.git/objects/\(names[1].prefix(2))/\(names[1].dropFirst(2))"
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a)), bytesB = try Data(contentsOf: URL(fileURLWithPath: b))
        for (path, data) in [(a, bytesB), (b, bytesA)] {
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            try data.write(to: URL(fileURLWithPath: path))
        }
        XCTAssertThrowsError(try repo.packLooseObjects()) { e in
            XCTAssertTrue("\(e)".contains("does not hash to its name"), "\(e)")
        }
        XCTAssertEqual(try loose(), before, "nothing deleted")
        let packs = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/.git/objects/pack")) ?? []
        XCTAssertFalse(packs.contains { $0.hasSuffix(".pack") }, "and no pack written")
    }

    func testTheEstimateFollowsGitsOwnRule() throws {
        let repo = try Repository.create(at: dir)
        XCTAssertEqual(repo.estimatedLooseObjects(), 0)
        let count = try (0..<1000).filter { i in try blob(repo, "object \(i)").hex.hasPrefix("17") }.count
        XCTAssertEqual(repo.estimatedLooseObjects(), count * 256)
    }
}
