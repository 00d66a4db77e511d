@testable import DangolGit
import Foundation
import XCTest

/// The purge, judged by the real git CLI: what was unreachable is gone
/// (`git cat-file -e` fails), everything reachable is still there, and
/// `git fsck --full --strict` accepts the result.
final class PurgeTests: TemporaryRepositoryTestCase {
    /// One commit on `main` writing `files` on top of `parent`'s tree.
    @discardableResult
    func commit(_ repo: Repository, _ files: [String: String], parent: ObjectID?, message: String = "test\n") throws
        -> (commit: ObjectID, tree: ObjectID, blobs: [ObjectID])
    {
        var changes = [String: ObjectID?]()
        var blobs = [ObjectID]()
        for (path, text) in files {
            let b = try blob(repo, text)
            changes[path] = b
            blobs.append(b)
        }
        let base = try parent.map { try repo.commit($0).tree }
        let tree = try repo.editTree(base: base, changes: changes)
        let c = try repo.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], authorName: "tester",
                                      authorEmail: "tester@dangol.invalid", message: message)
        try repo.updateReference("refs/heads/main", to: c, expected: parent, logMessage: "test")
        return (c, tree, blobs)
    }

    func assertPresent(_ ids: [ObjectID], file: StaticString = #filePath, line: UInt = #line) throws {
        for id in ids {
            XCTAssertEqual(try git("cat-file", "-e", id.hex).code, 0, "\(id) should exist", file: file, line: line)
        }
    }

    func assertGone(_ ids: [ObjectID], file: StaticString = #filePath, line: UInt = #line) throws {
        for id in ids {
            XCTAssertNotEqual(try git("cat-file", "-e", id.hex).code, 0, "\(id) should be gone", file: file, line: line)
        }
    }

    func assertFsckClean(file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try git("fsck", "--full", "--strict", "--no-dangling")
        XCTAssertEqual(r.code, 0, r.out + r.err, file: file, line: line)
        XCTAssertFalse(r.err.contains("error"), r.err, file: file, line: line)
    }

    func packs() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/.git/objects/pack")) ?? [])
            .filter { $0.hasSuffix(".pack") }.sorted()
    }

    /// A distinctive byte string standing in for an old ciphertext.
    func secret(_ n: Int) -> String { "old-ciphertext-\(n)-" + String(repeating: "x\(n)y", count: 20) }

    func testPurgeDeletesUnreachableLooseObjectsAndKeepsReachableOnes() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["records/a.rec": "alpha"], parent: nil)
        let two = try commit(repo, ["records/b.rec": secret(1)], parent: one.commit)
        try repo.updateReference("refs/heads/main", to: one.commit, expected: two.commit, logMessage: "test: back")
        let removed = [two.commit, two.tree] + two.blobs
        let needle = Array(secret(1).utf8)

        let before = try repo.scanForRemnants(ids: Set(removed), needles: [needle])
        // Each stored once, loose, and the second commit's id is in two reflogs.
        XCTAssertEqual(before.idHits, removed.count + 2)
        XCTAssertGreaterThan(before.byteHits, 0)

        try repo.dropHistoryTrails()
        let report = try repo.purgeUnreachable()
        // The commit, its root tree, the records/ tree and the blob.
        XCTAssertEqual(report.looseRemoved, 4)
        XCTAssertEqual(report.objectsRemoved, 4)
        XCTAssertEqual(report.packsRewritten, 0)
        XCTAssertEqual(report.objectsKept, 4)
        try assertGone(removed)
        try assertPresent([one.commit, one.tree] + one.blobs)
        try assertFsckClean()
        let after = try Repository.open(at: dir).scanForRemnants(ids: Set(removed), needles: [needle])
        XCTAssertEqual(after.total, 0, "\(after)")
        XCTAssertEqual(after.objectsScanned, 4)
        XCTAssertEqual(try repo.readBlob(one.blobs[0]), Array("alpha".utf8), "the open repository still reads")
    }

    func testReflogsKeepObjectsUntilTheTrailsAreDropped() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
        let two = try commit(repo, ["b.rec": secret(2)], parent: one.commit)
        try repo.updateReference("refs/heads/main", to: one.commit, expected: two.commit, logMessage: "test: back")
        let first = try repo.purgeUnreachable()
        XCTAssertEqual(first.objectsRemoved, 0, "the reflog still names the second commit")
        try assertFsckClean()
        try repo.dropHistoryTrails()
        XCTAssertEqual(try repo.purgeUnreachable().objectsRemoved, 3)
        try assertGone([two.commit, two.tree] + two.blobs)
        try assertFsckClean()
    }

    func testAnnotatedTagsKeepWhatTheyNameAndGoWithTheirRef() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
        let two = try commit(repo, ["b.rec": "bravo"], parent: one.commit)
        let three = try commit(repo, ["c.rec": "charlie"], parent: two.commit)
        let loneBlob = try blob(repo, "named only by a tag")
        let identity = ["-c", "user.name=tester", "-c", "user.email=tester@dangol.invalid"]
        func tag(_ args: String...) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            p.arguments = ["-C", dir] + identity + ["tag", "-a", "-m", "tag"] + args
            p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir, "GIT_CONFIG_NOSYSTEM": "1"]
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
        }
        try tag("on-two", two.commit.hex)
        try tag("on-blob", loneBlob.hex)
        try tag("on-three", three.commit.hex)
        let tagged = try git("rev-parse", "on-two", "on-blob", "on-three").out.split(separator: "\n")
            .compactMap { ObjectID(hex: String($0)) }
        XCTAssertEqual(tagged.count, 3)
        try repo.updateReference("refs/heads/main", to: one.commit, expected: three.commit, logMessage: "test")
        XCTAssertEqual(try git("tag", "-d", "on-three").code, 0)
        try repo.dropHistoryTrails()

        let report = try repo.purgeUnreachable()
        try assertPresent([two.commit, two.tree, loneBlob, tagged[0], tagged[1]] + two.blobs + one.blobs)
        try assertGone([three.commit, three.tree, tagged[2]] + three.blobs)
        XCTAssertEqual(report.looseRemoved, 4, "the third commit, its tree, its blob and its tag")
        try assertFsckClean()
    }

    func testDropHistoryTrailsRemovesReflogsPseudoRefsOriginalAndStash() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
        let two = try commit(repo, ["b.rec": "bravo"], parent: one.commit)
        try repo.updateReference("refs/original/refs/heads/main", to: one.commit, expected: nil, logMessage: "t")
        try repo.updateReference("refs/stash", to: one.commit, expected: nil, logMessage: "t")
        try repo.updateReference("refs/original/refs/heads/loose", to: two.commit, expected: nil, logMessage: "t")
        XCTAssertEqual(try git("pack-refs", "--all").code, 0)
        try repo.updateReference("refs/original/refs/heads/loose", to: one.commit, expected: two.commit,
                                 logMessage: "t")
        for pseudo in ["ORIG_HEAD", "FETCH_HEAD", "MERGE_HEAD"] {
            try writeFileAtomically(dir + "/.git/" + pseudo, bytes: Array((one.commit.hex + "\n").utf8))
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/.git/logs/refs/heads/main"))

        try repo.dropHistoryTrails()
        let refs = try git("for-each-ref", "--format=%(refname)").out
        XCTAssertEqual(refs, "refs/heads/main\n")
        XCTAssertFalse(try String(contentsOfFile: dir + "/.git/packed-refs", encoding: .utf8).contains("refs/original"))
        for gone in ["logs", "ORIG_HEAD", "FETCH_HEAD", "MERGE_HEAD"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.git/" + gone), gone)
        }
        XCTAssertEqual(try repo.resolve("refs/heads/main"), two.commit)
        try repo.dropHistoryTrails()  // nothing left to drop is no error
    }

    func testPackHoldingUnreachableObjectsIsRewrittenWithoutThem() throws {
        let repo = try Repository.create(at: dir)
        var parent: ObjectID?
        var kept = [ObjectID]()
        for i in 0..<5 {
            let c = try commit(repo, ["records/k\(i).rec": "kept \(i)"], parent: parent)
            kept += [c.commit, c.tree] + c.blobs
            parent = c.commit
        }
        let two = try commit(repo, ["records/gone.rec": secret(3)], parent: parent)
        let three = try commit(repo, ["records/gone2.rec": secret(4)], parent: two.commit)
        // git gc packs everything and also writes a commit-graph naming the
        // commits about to become unreachable.
        XCTAssertEqual(try git("gc", "--quiet").code, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/.git/objects/info/commit-graph"))
        let oldPacks = packs()
        XCTAssertEqual(oldPacks.count, 1)
        try repo.updateReference("refs/heads/main", to: parent!, expected: three.commit, logMessage: "test: back")
        let removed = [two.commit, two.tree, three.commit, three.tree] + two.blobs + three.blobs
        let needles = [Array(secret(3).utf8), Array(secret(4).utf8)]
        XCTAssertGreaterThan(try repo.scanForRemnants(ids: Set(removed), needles: needles).idHits, 0)
        XCTAssertGreaterThan(try repo.scanForRemnants(ids: [], needles: needles).byteHits, 0)

        try repo.dropHistoryTrails()
        let report = try repo.purgeUnreachable()
        // Each of the two commits brought a commit, a root tree, a records/
        // tree and a blob.
        XCTAssertEqual(report.packedRemoved, 8)
        XCTAssertEqual(report.packsRewritten, 1)
        XCTAssertEqual(report.looseRemoved, 0)
        XCTAssertEqual(packs().count, 1)
        XCTAssertNotEqual(packs(), oldPacks)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.git/objects/info/commit-graph"))
        try assertGone(removed)
        try assertPresent(kept)
        try assertFsckClean()
        // Trees are stored as deltas too: those on a purged base went in whole.
        XCTAssertGreaterThan(report.deltasResolved, 0)
        let counted = try git("count-objects", "-v").out
        XCTAssertTrue(counted.hasPrefix("count: 0\n"), counted)
        XCTAssertTrue(counted.contains("in-pack: \(report.objectsKept)\n"), counted)
        // git gc left main in packed-refs at the old tip and wrote info/refs.
        for file in ["packed-refs", "info/refs"] {
            let text = (try? String(contentsOfFile: dir + "/.git/" + file, encoding: .utf8)) ?? ""
            XCTAssertFalse(text.contains(three.commit.hex), file)
        }
        let after = try Repository.open(at: dir).scanForRemnants(ids: Set(removed), needles: needles)
        XCTAssertEqual(after.total, 0, "\(after)")
    }

    func testDeltasAreKeptRebasedOrResolvedWhenTheirBaseIsPurged() throws {
        try deltasAreKeptOrResolved(offsetDeltas: true)
    }

    /// Deltas that name their base by id (REF_DELTA), as packs from older
    /// git or some servers have them.
    func testReferenceDeltasAreKeptOrResolvedToo() throws {
        try deltasAreKeptOrResolved(offsetDeltas: false)
    }

    func deltasAreKeptOrResolved(offsetDeltas: Bool) throws {
        let repo = try Repository.create(at: dir)
        // Similar texts so that git stores most versions as deltas, the
        // newest whole and the older ones as deltas against it.
        let lines = (0..<80).map { "line \($0) of a long shared text that deltas well" }
        var parent: ObjectID?
        var versions = [(commit: ObjectID, tree: ObjectID, blobs: [ObjectID], text: String)]()
        for v in 0..<12 {
            var l = lines
            l[v * 5] = "changed in version \(v) " + String(repeating: "v\(v)", count: 8)
            let text = l.joined(separator: "\n")
            let c = try commit(repo, ["notes.txt": text], parent: parent)
            versions.append((c.commit, c.tree, c.blobs, text))
            parent = c.commit
        }
        // A side branch of similar versions, deleted below: its entries sit
        // between kept deltas and their bases, whose distances then change.
        var sideParent = versions[3].commit
        var side = [ObjectID]()
        for v in 0..<3 {
            var l = lines
            l[v * 7 + 1] = "side version \(v) " + String(repeating: "s\(v)", count: 8)
            let b = try blob(repo, l.joined(separator: "\n"))
            let t = try repo.editTree(base: versions[3].tree, changes: ["notes.txt": b])
            let c = try repo.createCommit(tree: t, parents: [sideParent], authorName: "tester",
                                          authorEmail: "tester@dangol.invalid", message: "side\n")
            try repo.updateReference("refs/heads/side", to: c, expected: v == 0 ? nil : sideParent, logMessage: "t")
            side += [c, t, b]
            sideParent = c
        }
        XCTAssertEqual(try git("-c", "repack.useDeltaBaseOffset=\(offsetDeltas)", "repack", "-adf", "--depth=10",
                               "--window=50", "--quiet").code, 0)
        let verify = try git("verify-pack", "-v",
                             dir + "/.git/objects/pack/" + packs()[0].replacingOccurrences(of: ".pack", with: ".idx"))
        XCTAssertTrue(verify.out.contains("chain length"), "the test pack must hold deltas:\n\(verify.out)")

        let sideNeedles = (0..<3).map { Array("side version \($0) ".utf8) }
        XCTAssertEqual(try repo.scanForRemnants(ids: [], needles: sideNeedles).byteHits, 3,
                       "found in the packed (and deltified) versions before the purge")

        // First the side branch goes: every main version stays, and the
        // deltas among them stay deltas, at new distances.
        XCTAssertEqual(try git("update-ref", "-d", "refs/heads/side").code, 0)
        try repo.dropHistoryTrails()
        let first = try repo.purgeUnreachable()
        XCTAssertEqual(first.packedRemoved, side.count)
        XCTAssertEqual(first.packsRewritten, 1)
        XCTAssertEqual(packs().count, 1)
        let after = try git("verify-pack", "-v",
                            dir + "/.git/objects/pack/" + packs()[0].replacingOccurrences(of: ".pack", with: ".idx"))
        XCTAssertTrue(after.out.contains("chain length"), "deltas on kept bases stay deltas:\n\(after.out)")
        try assertGone(side)
        try assertFsckClean()

        // Then the newest versions: git made them the base of the older ones,
        // which must now be written whole.
        try repo.updateReference("refs/heads/main", to: versions[8].commit, expected: parent, logMessage: "test")
        try repo.dropHistoryTrails()
        let report = try repo.purgeUnreachable()
        XCTAssertEqual(report.packedRemoved, 3 * 3)
        XCTAssertEqual(report.packsRewritten, 1)
        XCTAssertGreaterThan(report.deltasResolved, 0, "some kept version was a delta on a purged one")
        try assertGone(versions[9...].flatMap { [$0.commit, $0.tree] + $0.blobs })
        try assertPresent(versions[...8].flatMap { [$0.commit, $0.tree] + $0.blobs })
        for v in versions[...8] {
            XCTAssertEqual(try git("cat-file", "-p", v.blobs[0].hex).out, v.text)
        }
        try assertFsckClean()
        let needles = (9..<12).map { Array("changed in version \($0) ".utf8) }
            + (0..<3).map { Array("side version \($0) ".utf8) }
        XCTAssertEqual(try Repository.open(at: dir).scanForRemnants(ids: [], needles: needles).byteHits, 0)

        // A purge over the rewritten pack finds nothing more to do.
        let again = try repo.purgeUnreachable()
        XCTAssertEqual(again.objectsRemoved, 0)
        try assertFsckClean()
    }

    func testPackWithNothingReachableIsDropped() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
        XCTAssertEqual(try git("repack", "-a", "-d", "--quiet").code, 0)
        let two = try commit(repo, ["b.rec": secret(5)], parent: one.commit)
        XCTAssertEqual(try git("repack", "-d", "--quiet").code, 0, "an incremental pack of the second commit only")
        XCTAssertEqual(packs().count, 2)
        try repo.updateReference("refs/heads/main", to: one.commit, expected: two.commit, logMessage: "test")
        try repo.dropHistoryTrails()
        let report = try repo.purgeUnreachable()
        XCTAssertEqual(report.packsDropped, 1)
        XCTAssertEqual(report.packsRewritten, 0)
        XCTAssertEqual(report.packedRemoved, 3)
        XCTAssertEqual(packs().count, 1)
        try assertGone([two.commit, two.tree] + two.blobs)
        try assertPresent([one.commit, one.tree] + one.blobs)
        try assertFsckClean()
    }

    func testObjectsTheIndexNamesAreKept() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
        let two = try commit(repo, ["dir/b.rec": "bravo"], parent: one.commit)
        try repo.updateReference("refs/heads/main", to: one.commit, expected: two.commit, logMessage: "test")
        // The index (with its cached trees) still describes the second commit.
        XCTAssertEqual(try git("read-tree", two.tree.hex).code, 0)
        try repo.dropHistoryTrails()
        let first = try repo.purgeUnreachable()
        XCTAssertEqual(first.looseRemoved, 1, "only the commit: its trees and blob are in the index")
        try assertFsckClean()
        XCTAssertEqual(try git("read-tree", one.tree.hex).code, 0)
        let second = try repo.purgeUnreachable()
        XCTAssertGreaterThanOrEqual(second.looseRemoved, 2)
        try assertGone(two.blobs)
        try assertFsckClean()
    }

    func testInterruptedAtEveryStageLeavesACompleteRepositoryAndRunningAgainFinishes() throws {
        for stage in PurgeStage.allCases {
            try? FileManager.default.removeItem(atPath: dir)
            let repo = try Repository.create(at: dir)
            let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
            let two = try commit(repo, ["b.rec": "bravo"], parent: one.commit)
            let three = try commit(repo, ["c.rec": secret(6)], parent: two.commit)
            // Packed, with a commit-graph; then two more commits, loose.
            XCTAssertEqual(try git("gc", "--quiet").code, 0)
            let four = try commit(repo, ["d.rec": secret(9)], parent: three.commit)
            try repo.updateReference("refs/heads/main", to: two.commit, expected: four.commit, logMessage: "test")
            try repo.dropHistoryTrails()
            let kept = [one.commit, one.tree, two.commit, two.tree] + one.blobs + two.blobs
            let purged = [three.commit, three.tree, four.commit, four.tree] + three.blobs + four.blobs
            let needles = [Array(secret(6).utf8), Array(secret(9).utf8)]

            struct Crash: Error {}
            Repository.purgeReached = { if $0 == stage { throw Crash() } }
            defer { Repository.purgeReached = nil }
            XCTAssertThrowsError(try repo.purgeUnreachable(), "\(stage)") { XCTAssertTrue($0 is Crash) }
            try assertPresent(kept)
            try assertFsckClean()
            if stage == .newPackWritten { XCTAssertEqual(packs().count, 2, "the new pack beside the old one") }

            Repository.purgeReached = nil
            let reopened = try Repository.open(at: dir)
            let report = try reopened.purgeUnreachable()
            // Loose objects are unlinked while the packs are rewritten, so
            // once the old pack is gone everything is.
            if stage != .looseUnlinked && stage != .oldPackDeleted {
                XCTAssertGreaterThan(report.objectsRemoved, 0, "\(stage): running again finishes the job")
            }
            XCTAssertEqual(packs().count, 1, "\(stage)")
            try assertGone(purged)
            try assertPresent(kept)
            try assertFsckClean()
            let scan = try reopened.scanForRemnants(ids: Set(purged), needles: needles)
            XCTAssertEqual(scan.total, 0, "\(stage): \(scan)")
        }
        print("purge interrupted: \(PurgeStage.allCases.count) stages, each interrupted then finished by a second run")
    }

    func testADamagedReachableTreeStopsThePurgeBeforeItDeletesAnything() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["dir/a.rec": "alpha"], parent: nil)
        let two = try commit(repo, ["b.rec": "bravo"], parent: one.commit)
        try repo.updateReference("refs/heads/main", to: one.commit, expected: two.commit, logMessage: "test")
        try repo.dropHistoryTrails()
        // The subtree dir/ of the reachable commit: if it could not be read,
        // the blob under it would look unreachable.
        let sub = try repo.entry(at: "dir", inTree: one.tree)!.id.hex
        let path = dir + "/.git/objects/" + sub.prefix(2) + "/" + sub.dropFirst(2)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x55
        chmod(path, 0o600)
        try writeFileAtomically(path, bytes: bytes)
        XCTAssertThrowsError(try repo.purgeUnreachable()) { XCTAssertTrue($0 is ObjectStoreError, "\($0)") }
        try assertPresent([two.commit, two.tree] + two.blobs + one.blobs)
    }

    func testLeftoversOfAnInterruptedPackWriteAreRemoved() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
        XCTAssertEqual(try git("repack", "-a", "-d", "--quiet").code, 0)
        let packDir = dir + "/.git/objects/pack/"
        // A temporary pack of libgit2's indexer, one of git's, and an index
        // whose pack never got its final name.
        for name in ["pack_git2_Xk3f9a", "tmp_pack_Q2w8", "pack-" + String(repeating: "ab", count: 20) + ".idx"] {
            try writeFileAtomically(packDir + name, bytes: Array(secret(8).utf8))
        }
        XCTAssertEqual(try repo.scanForRemnants(ids: [], needles: [Array(secret(8).utf8)]).byteHits, 3)
        let report = try repo.purgeUnreachable()
        XCTAssertEqual(report.leftoversRemoved, 3)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: packDir).count, 2, "the pack and its index")
        XCTAssertEqual(try repo.scanForRemnants(ids: [], needles: [Array(secret(8).utf8)]).byteHits, 0)
        try assertPresent([one.commit, one.tree] + one.blobs)
        try assertFsckClean()
    }

    func testKeptPackWithUnreachableObjectsIsRefused() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
        let two = try commit(repo, ["b.rec": "bravo"], parent: one.commit)
        XCTAssertEqual(try git("repack", "-a", "-d", "--quiet").code, 0)
        let keep = dir + "/.git/objects/pack/" + packs()[0].replacingOccurrences(of: ".pack", with: ".keep")
        try writeFileAtomically(keep, bytes: [])
        try repo.updateReference("refs/heads/main", to: one.commit, expected: two.commit, logMessage: "test")
        try repo.dropHistoryTrails()
        XCTAssertThrowsError(try repo.purgeUnreachable()) { XCTAssertTrue($0 is KeptPackError, "\($0)") }
        try assertPresent([two.commit] + two.blobs)
    }

    func testScanFindsLeftoversOutsideTheObjectStore() throws {
        let repo = try Repository.create(at: dir)
        let one = try commit(repo, ["a.rec": "alpha"], parent: nil)
        let stray = try blob(repo, secret(7))
        try writeFileAtomically(dir + "/.git/ORIG_HEAD", bytes: Array((stray.hex + "\n").utf8))
        try writeFileAtomically(dir + "/left-behind.rec", bytes: Array(secret(7).utf8))
        let r = try repo.scanForRemnants(ids: [stray], needles: [Array(secret(7).utf8)])
        XCTAssertEqual(r.idHits, 2, "the loose object and the hex in ORIG_HEAD")
        XCTAssertEqual(r.byteHits, 2, "the blob's content and the working-tree file")
        XCTAssertEqual(r.objectsScanned, 4)
        _ = one
    }

    func testSHA1MatchesTheStandardVectors() {
        func hex(_ s: String, split: Int? = nil) -> String {
            var h = SHA1()
            let bytes = Array(s.utf8)
            if let split {
                h.update(Array(bytes[..<split]))
                h.update(Array(bytes[split...]))
            } else {
                h.update(bytes)
            }
            return h.finish().map { String(format: "%02x", $0) }.joined()
        }
        XCTAssertEqual(hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d")
        let long = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        XCTAssertEqual(hex(long), "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        XCTAssertEqual(hex(long, split: 7), "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        XCTAssertEqual(hex(String(repeating: "a", count: 1000), split: 130),
                       "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    /// The scan reads packs where they lie; a needle must be found in each
    /// form git stores an object in: a blob of random bytes (one stored
    /// deflate block, searched in place), a compressed blob (inflated), and
    /// a blob kept as a delta of another (resolved), each (object, needle)
    /// pair counted once.
    func testTheScanFindsNeedlesInEveryFormAPackStoresThem() throws {
        let repo = try Repository.create(at: dir)
        var g = SystemRandomNumberGenerator()
        let random = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
        let words = (0..<3000).map { i in "line \(i) of a long customer note that compresses well\n" }.joined()
        let grown = words + "one more visit\n"
        let first = try repo.editTree(base: nil, changes: [
            "records/random.rec": try repo.writeBlob(random), "records/note.rec": try blob(repo, words),
        ])
        let one = try repo.createCommit(tree: first, parents: [], authorName: "tester",
                                        authorEmail: "tester@dangol.invalid", message: "one\n")
        let second = try repo.editTree(base: first, changes: ["records/note.rec": try blob(repo, grown)])
        let two = try repo.createCommit(tree: second, parents: [one], authorName: "tester",
                                        authorEmail: "tester@dangol.invalid", message: "two\n")
        try repo.updateReference("refs/heads/main", to: two, expected: nil, logMessage: "test")
        XCTAssertEqual(try git("gc", "--quiet").code, 0)
        XCTAssertEqual(try git("count-objects", "-v").out.prefix(9), "count: 0\n")
        let verify = try git("verify-pack", "-v", dir + "/.git/objects/pack/" + packs()[0].replacingOccurrences(of: ".pack", with: ".idx"))
        let blobDeltas = verify.out.split(separator: "\n").filter { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            return f.count > 5 && f[1] == "blob"
        }
        XCTAssertEqual(blobDeltas.count, 1, "git stores one version of the note as a delta of the other\n\(verify.out)")

        let middle = Array(random[2000..<2032])
        let inBoth = Array(words.utf8.dropFirst(60_000).prefix(32))
        let inGrownOnly = Array("one more visit".utf8) + [0x0a]
        let scan = try Repository.open(at: dir).scanForRemnants(ids: [], needles: [middle, inBoth, inGrownOnly])
        XCTAssertEqual(scan.byteHits, 1 + 2 + 1, "\(scan)")
        XCTAssertEqual(scan.objectsScanned, 9, "two commits, two root trees, two records/ trees, three blobs")
    }

    func testDeltaOffsetEncodingRoundTrips() throws {
        for distance: UInt64 in [1, 127, 128, 129, 16511, 16512, 1 << 20, 1 << 40] {
            // An OFS_DELTA entry of size 0 at `distance`, parsed back.
            var pack = [UInt8](repeating: 0, count: Int(min(distance, 1 << 21)))
            let at = pack.count
            pack.append(6 << 4)
            pack += encodeDeltaOffset(distance)
            pack.append(0)
            guard distance <= UInt64(at) else { continue }
            let h = try pack.withUnsafeBytes { try PackEntryHeader($0, at: at, end: pack.count, path: "test") }
            XCTAssertEqual(h.baseOffset, UInt64(at) - distance)
        }
    }
}

/// The remnant scan's one-pass search for many needles.
final class NeedleSearchTests: XCTestCase {
    func testFindsEveryNeedleAtEveryAlignmentAndNothingElse() {
        var g = SystemRandomNumberGenerator()
        let haystack = (0..<4099).map { _ in UInt8.random(in: 0...255, using: &g) }
        for length in [1, 7, 14, 15, 16, 32, 40] {
            for start in [0, 1, 3, 7, 8, 9, 100, 4099 - length] {
                let needle = Array(haystack[start..<(start + length)])
                var other = needle
                other[length / 2] ^= 0xff
                let set = NeedleSet([other, needle, []])
                let found = haystack.withUnsafeBytes { set.matches(in: $0) }
                XCTAssertTrue(found.contains(1), "length \(length) at \(start)")
                // A one-byte needle altered is still likely somewhere in 4 KB
                // of random bytes; a long one is not.
                if length >= 8 { XCTAssertFalse(found.contains(0), "length \(length) at \(start)") }
            }
        }
    }

    func testCountsEachNeedleOnceAndHandlesShortHaystacks() {
        let needle = Array("a needle of thirty-two bytes....".utf8)
        let twice = needle + [1, 2, 3] + needle
        XCTAssertEqual(twice.withUnsafeBytes { NeedleSet([needle]).count(in: $0) }, 1)
        XCTAssertEqual([UInt8](repeating: 0, count: 10).withUnsafeBytes { NeedleSet([needle]).count(in: $0) }, 0)
        XCTAssertEqual(needle.withUnsafeBytes { NeedleSet([]).count(in: $0) }, 0)
        let many = (0..<2000).map { i in Array("needle number \(i) padded out to be long".utf8) }
        let hay = Array(many[1234] + many[7] + [0])
        XCTAssertEqual(hay.withUnsafeBytes { NeedleSet(many).matches(in: $0) }, [1234, 7])
    }
}
