import Foundation
import XCTest

/// Path remotes: push, clone, check, auto-push with the disk away, and the
/// forced push (and purge there) after an erasure. git's CLI is the judge
/// of what the remote holds.
final class BackupTests: XCTestCase {
    func path(_ id: String) -> String { "records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec" }

    func trimmed(_ o: Sandbox.Output) -> String { o.out.trimmingCharacters(in: .whitespacesAndNewlines) }

    func remoteHead(_ s: Sandbox, _ remote: String) throws -> String {
        trimmed(try s.run("/usr/bin/git", ["-C", remote, "rev-parse", "refs/heads/main"]))
    }

    func localHead(_ s: Sandbox) throws -> String { trimmed(try s.git("rev-parse", "refs/heads/main")) }

    func testPushCloneAndCheckThroughAPath() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        try s.ok("visit", a, "--service", "염색", "--price", "80000")
        try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        let usb = s.root + "/usb/salon.git"
        XCTAssertTrue(try s.ok("remote", "add", "usb", usb).contains(usb))
        XCTAssertEqual(trimmed(try s.run("/usr/bin/git", ["-C", usb, "rev-parse", "--is-bare-repository"])), "true")
        let before = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try s.ok("remote", "list", "--json").utf8))
            as? [[String: Any]])
        XCTAssertEqual(before.first?["ahead"] as? Int, try s.commitCount())

        let push = try s.dangol("push")
        XCTAssertEqual(push.code, 0, push.err)
        XCTAssertFalse(push.out.contains("forced"), "a first push forces nothing")
        XCTAssertEqual(try remoteHead(s, usb), try localHead(s))
        XCTAssertEqual(try s.run("/usr/bin/git", ["-C", usb, "fsck", "--strict"]).code, 0)
        let after = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try s.ok("remote", "list", "--json").utf8))
            as? [[String: Any]])
        XCTAssertEqual(after.first?["ahead"] as? Int, 0)
        XCTAssertNotNil(after.first?["last_push"] as? String)
        // The remote's refs are the vault's refs, the access log's with the
        // branch: no local index cache, no remote-tracking refs.
        XCTAssertEqual(trimmed(try s.run("/usr/bin/git", ["-C", usb, "for-each-ref", "--format=%(refname)"])),
                       "refs/dangol/audit\nrefs/heads/main")
        let logTip = trimmed(try s.git("rev-parse", "refs/dangol/audit"))
        XCTAssertEqual(trimmed(try s.run("/usr/bin/git", ["-C", usb, "rev-parse", "refs/dangol/audit"])), logTip)
        XCTAssertEqual(trimmed(try s.git("for-each-ref", "--format=%(refname)", "refs/remotes")), "")

        let restored = s.root + "/restored"
        let clone = try s.dangol("clone", usb, restored)
        XCTAssertEqual(clone.code, 0, clone.err)
        XCTAssertTrue(clone.out.contains("2 records at"), clone.out)
        XCTAssertTrue(clone.out.contains("no problems"), clone.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: restored + "/" + path(a)), "the working tree is checked out")
        let history = try s.dangol("check", "--history", "--vault", restored)
        XCTAssertEqual(history.code, 0, history.err)
        XCTAssertTrue(history.out.contains("3 record versions"), history.out)
        // The clone has the access log, whole (its own open and check added nothing before this).
        XCTAssertEqual(trimmed(try s.run("/usr/bin/git", ["-C", restored, "rev-parse", "refs/dangol/audit"])), logTip)
        XCTAssertEqual(try s.dangol("audit", "verify", "--vault", restored).code, 0)
        XCTAssertTrue(try s.ok("show", a, "--vault", restored).contains("박서연"))
        // The clone can push back to where it came from.
        try s.ok("set", a, "note=앞머리 짧게", "--vault", restored)
        XCTAssertEqual(try s.dangol("push", "--vault", restored).code, 0)
    }

    /// From a path remote the clone copies the packs as they are, through
    /// libgit2's indexer: what no ref reaches stays behind, and a damaged
    /// pack stops the clone, leaving nothing.
    func testACloneFromAPathTakesWhatTheRefsReachAndRefusesADamagedBackup() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        try s.ok("visit", a, "--service", "염색")
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb)
        try s.ok("push")
        let stray = s.root + "/stray"
        try "nothing reaches this".write(toFile: stray, atomically: true, encoding: .utf8)
        let junk = trimmed(try s.run("/usr/bin/git", ["-C", usb, "hash-object", "-w", stray]))
        let restored = s.root + "/restored"
        let clone = try s.dangol("clone", usb, restored)
        XCTAssertEqual(clone.code, 0, clone.err)
        XCTAssertNotEqual(try s.run("/usr/bin/git", ["-C", restored, "cat-file", "-e", junk]).code, 0)
        XCTAssertEqual(try s.run("/usr/bin/git", ["-C", restored, "fsck", "--full", "--strict"]).code, 0)
        XCTAssertEqual(try s.dangol("check", "--history", "--vault", restored).code, 0)
        XCTAssertEqual(trimmed(try s.run("/usr/bin/git", ["-C", restored, "rev-parse", "refs/dangol/audit"])),
                       trimmed(try s.run("/usr/bin/git", ["-C", usb, "rev-parse", "refs/dangol/audit"])))

        let packs = try FileManager.default.contentsOfDirectory(atPath: usb + "/objects/pack").filter { $0.hasSuffix(".pack") }
        for p in packs {
            let path = usb + "/objects/pack/" + p
            chmod(path, 0o600)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        let damaged = try s.dangol("clone", usb, s.root + "/second")
        XCTAssertNotEqual(damaged.code, 0, "a damaged backup is not restored as if whole")
        XCTAssertTrue(damaged.err.contains("cloning"), damaged.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.root + "/second"), "nothing half-made is left")
    }

    func testRemoteMistakesAreClear() throws {
        let s = try Sandbox()
        try s.initVault()
        XCTAssertEqual(try s.dangol("push").code, 2, "no remote yet")
        XCTAssertEqual(try s.dangol("remote", "add", "bad name", s.root + "/x.git").code, 2)
        XCTAssertEqual(try s.dangol("remote", "add", "usb", s.vault + "/inside.git").code, 2)
        XCTAssertEqual(try s.dangol("remote", "add", "web", "https://example.invalid/salon.git").code, 2)
        XCTAssertEqual(try s.dangol("push", "nas").code, 4)
        try FileManager.default.createDirectory(atPath: s.root + "/photos", withIntermediateDirectories: true)
        try "x".write(toFile: s.root + "/photos/a.jpg", atomically: true, encoding: .utf8)
        let mixed = try s.dangol("remote", "add", "usb", s.root + "/photos")
        XCTAssertEqual(mixed.code, 7)
        XCTAssertTrue(mixed.err.contains("holds files but no git repository"), mixed.err)
        try s.ok("remote", "add", "usb", s.root + "/usb.git")
        try FileManager.default.moveItem(atPath: s.root + "/usb.git", toPath: s.root + "/unplugged.git")
        let r = try s.dangol("push", "usb")
        XCTAssertEqual(r.code, 7)
        XCTAssertTrue(r.err.contains("is not there"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.root + "/usb.git"), "a missing disk is not recreated")
        XCTAssertEqual(try s.dangol("clone", s.root + "/nothing.git", s.root + "/c").code, 7)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.root + "/c"))
    }

    /// A backup that moved on elsewhere is never overwritten by a plain push.
    func testDivergedRemoteIsRefused() throws {
        let s = try Sandbox()
        try s.initVault()
        try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb)
        try s.ok("push")
        let other = s.root + "/other"
        try s.ok("clone", usb, other)
        try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321", "--vault", other)
        try s.ok("push", "--vault", other)
        let theirs = try remoteHead(s, usb)
        try s.ok("add", "--name", "김민지", "--phone", "010-3333-4444")
        let r = try s.dangol("push")
        XCTAssertEqual(r.code, 7, r.err)
        XCTAssertTrue(r.err.contains("the remote has commits this vault does not"), r.err)
        XCTAssertEqual(try remoteHead(s, usb), theirs, "the remote keeps its commits")
    }

    func testAutoPushWithTheRemoteMissingKeepsTheSaveAndSaysSoNextTime() throws {
        let s = try Sandbox()
        s.env["DANGOL_AUTOPUSH"] = "inline"
        try s.initVault()
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb, "--auto-push")
        try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        XCTAssertEqual(try remoteHead(s, usb), try localHead(s), "pushed after the change")

        try FileManager.default.moveItem(atPath: usb, toPath: s.root + "/away.git")
        let add = try s.dangol("add", "--name", "최유나", "--phone", "010-8765-4321")
        XCTAssertEqual(add.code, 0, add.err)
        let id = trimmed(add)
        XCTAssertEqual(id.count, 32)
        let next = try s.dangol("show", id)
        XCTAssertEqual(next.code, 0, next.err)
        XCTAssertTrue(next.out.contains("최유나"), "the save is kept")
        XCTAssertTrue(next.err.contains("dangol: note: backup \"usb\" is 1 change behind (last push 20"), next.err)

        try FileManager.default.moveItem(atPath: s.root + "/away.git", toPath: usb)
        try s.ok("push")
        let quiet = try s.dangol("list")
        XCTAssertFalse(quiet.err.contains("behind"), quiet.err)
        XCTAssertEqual(try remoteHead(s, usb), try localHead(s))

        // Off again: a change is not pushed.
        try s.ok("remote", "auto-push", "usb", "off")
        let pushed = try remoteHead(s, usb)
        try s.ok("add", "--name", "김민지", "--phone", "010-3333-4444")
        XCTAssertEqual(try remoteHead(s, usb), pushed)
    }

    func testErasureForcesTheNextPushAndPurgesThePathRemote() throws {
        let s = try Sandbox()
        try s.initVault()
        let gone = try s.ok("add", "--name", "한지민", "--phone", "010-2345-6789")
        try s.ok("visit", gone, "--service", "염색", "--note", "두피 민감")
        let kept = try s.ok("add", "--name", "오서준", "--phone", "010-1111-2222")
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb)
        try s.ok("push")
        let blobs = trimmed(try s.run("/usr/bin/git", ["-C", usb, "log", "--format=", "--raw", "--no-abbrev", "--all",
                                                      "--", path(gone)]))
            .split(separator: "\n").compactMap { l -> String? in
                let f = l.split(separator: " ")
                return f.count >= 5 && !f[3].allSatisfy({ $0 == "0" }) ? String(f[3]) : nil
            }
        XCTAssertEqual(blobs.count, 2)

        try s.ok("erase", gone, "--reason", "고객 요청", "--yes")
        XCTAssertTrue(try s.ok("remote", "list").contains("next push is forced"))
        let push = try s.dangol("push")
        XCTAssertEqual(push.code, 0, push.err)
        XCTAssertTrue(push.out.contains("forced refs/heads/main: rewritten by erase"), push.out)
        XCTAssertTrue(push.out.contains("; 0 of the 2 file versions the old history held there remain"), push.out)
        XCTAssertEqual(try remoteHead(s, usb), try localHead(s))
        for b in blobs {
            XCTAssertNotEqual(try s.run("/usr/bin/git", ["-C", usb, "cat-file", "-e", b]).code, 0, "blob \(b) left")
        }
        XCTAssertEqual(try s.run("/usr/bin/git", ["-C", usb, "fsck", "--strict"]).code, 0)
        // Once is enough: the next push is an ordinary one.
        try s.ok("set", kept, "note=앞머리 짧게")
        XCTAssertFalse(try s.ok("push").contains("forced"))
        let clone = try s.dangol("clone", usb, s.root + "/restored", "--history")
        XCTAssertEqual(clone.code, 0, clone.err)
    }

    /// Without DANGOL_AUTOPUSH=inline the push runs in a detached child,
    /// after the command has returned.
    func testAutoPushInTheBackground() throws {
        let s = try Sandbox()
        try s.initVault()
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb, "--auto-push")
        try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        let head = try localHead(s)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, (try? remoteHead(s, usb)) != head { usleep(100_000) }
        XCTAssertEqual(try remoteHead(s, usb), head)
    }
}
