import Foundation
import XCTest

/// A vault on a small file system that fills up: every command that writes
/// fails with an error that says the disk is full, leaves the vault as it
/// was (same head, no half-written file, every record at its old version),
/// and succeeds once space returns. Reads fail too: the access log must
/// record a read before the customer is shown (SECURITY.md §4, §6), and a read
/// that cannot be logged is refused.
final class DiskFullTests: XCTestCase {
    /// Mounts a small tmpfs at the sandbox's vault path (root only, and a
    /// container must allow mounts), so the vault is the whole file system.
    func mountSmallDisk(_ s: Sandbox) throws {
        guard getuid() == 0 else { throw XCTSkip("needs root: mounting a small tmpfs as the full disk") }
        try FileManager.default.createDirectory(atPath: s.vault, withIntermediateDirectories: true)
        let r = try s.run("/bin/mount", ["-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", s.vault])
        if r.code != 0 {
            let why = r.err.split(separator: "\n").first.map(String.init) ?? "exit \(r.code)"
            throw XCTSkip("not permitted here: root may not mount a tmpfs (a container without CAP_SYS_ADMIN): \(why)")
        }
    }

    /// Writes a file until the file system refuses another byte.
    func fill(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        for chunk in [1 << 20, 4096, 1] {
            let zeros = [UInt8](repeating: 0, count: chunk)
            while write(fd, zeros, chunk) == chunk {}
        }
        XCTAssertEqual(errno, ENOSPC, "the filler stopped for another reason")
    }

    /// Files a failed write could leave behind: temporary objects, lock
    /// files, half-written replacements.
    func leftovers(_ s: Sandbox) -> [String] {
        let e = FileManager.default.enumerator(atPath: s.vault)
        var found = [String]()
        while let rel = e?.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            if name == "dangol.lock" || rel == ".git/filler" { continue }
            if name.hasPrefix("tmp_") || name.hasSuffix(".lock") || name.contains(".tmp") { found.append(rel) }
        }
        return found
    }

    func testAFullDiskRefusesEveryWriteClearlyAndTheVaultSurvives() throws {
        let s = try Sandbox()
        try mountSmallDisk(s)
        defer { _ = try? s.run("/bin/umount", ["-l", s.vault]) }
        try s.initVault()
        let kept = try s.ok("add", "--name", "강하늘", "--phone", "010-2020-3030", "--note", "before the disk filled")
        let erased = try s.ok("add", "--name", "윤서준", "--phone", "010-4444-1111")
        try s.ok("visit", kept, "--service", "커트", "--note", "first visit")
        let csv = s.root + "/two.csv"
        try Data("이름,휴대폰,메모\n서지호,010-3131-4141,imported\n문가은,010-7171-8181,imported\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        let newPassphrase = s.secrets + "/new-passphrase"
        try Data("harbor quiet lantern moss\n".utf8).write(to: URL(fileURLWithPath: newPassphrase))
        let records = [kept: try s.customer(kept), erased: try s.customer(erased)]
        let count = try s.customerCount()
        let commits = try s.commitCount()

        let writes: [(args: [String], env: [String: String])] = [
            (["add", "--name", "한지민", "--phone", "010-7777-8888"], [:]),
            (["set", kept, "note=written on a full disk"], [:]),
            (["visit", kept, "--service", "염색", "--note", "full disk"], [:]),
            (["consent", kept, "marketing_sms=yes"], [:]),
            (["import", csv], [:]),
            (["erase", erased, "--reason", "고객 요청", "--yes"], [:]),
            (["passwd"], ["DANGOL_NEW_PASSPHRASE_FILE": newPassphrase]),
        ]
        let reads = [["show", kept], ["search", "3030"], ["list"]]

        let head = try s.head()
        try fill(s.vault + "/.git/filler")
        for (args, env) in writes {
            let r = try s.run(Sandbox.binary, args, env: env)
            let what = args.prefix(1).joined()
            XCTAssertNotEqual(r.code, 0, "\(what) succeeded on a full disk")
            XCTAssertTrue(r.err.contains("the disk that holds the vault is full (no space left on device)"),
                          "\(what): unclear error: \(r.err)")
            XCTAssertTrue(r.err.contains("dangol: hint: free some space"), "\(what): no hint: \(r.err)")
            XCTAssertEqual(try s.head(), head, "\(what) moved the branch on a full disk")
        }
        for args in reads {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertNotEqual(r.code, 0, "\(args[0]) showed customers it could not log")
            XCTAssertTrue(r.err.contains("is full"), "\(args[0]): \(r.err)")
            XCTAssertEqual(r.out, "", "\(args[0]) printed before its access-log entry was written")
        }
        // Packing needs no key and writes no commit; it must fail cleanly too.
        let gc = try s.dangol("gc")
        XCTAssertNotEqual(gc.code, 0, "gc succeeded on a full disk")
        XCTAssertTrue(gc.err.contains("is full"), "gc: \(gc.err)")
        // Checking reads only: it works on a full disk.
        let check = try s.dangol("check")
        XCTAssertEqual(check.code, 0, "check on a full disk: \(check.err)")
        XCTAssertEqual(leftovers(s), [], "failed writes left files behind")

        // Space returns: nothing changed, and every command now succeeds.
        try FileManager.default.removeItem(atPath: s.vault + "/.git/filler")
        try s.assertWhole("after the disk was full")
        XCTAssertEqual(try s.head(), head)
        XCTAssertEqual(try s.commitCount(), commits)
        XCTAssertEqual(try s.customerCount(), count)
        for (id, before) in records {
            XCTAssertEqual(try s.customer(id) as NSDictionary?, before as NSDictionary?, "\(id) changed")
        }
        for (args, env) in writes {
            let r = try s.run(Sandbox.binary, args, env: env)
            XCTAssertEqual(r.code, 0, "\(args[0]) after space returned: \(r.err)")
        }
        // passwd ran last: the vault now opens with the new passphrase.
        try Data(contentsOf: URL(fileURLWithPath: newPassphrase))
            .write(to: URL(fileURLWithPath: s.env["DANGOL_PASSPHRASE_FILE"]!))
        XCTAssertEqual(try s.ok("gc").isEmpty, false)
        try s.assertWhole("after the same commands with space")
        XCTAssertEqual(try s.customer(kept)?["note"] as? String, "written on a full disk")
        XCTAssertEqual(try s.customerCount(), count + 3 - 1, "one added, two imported, one erased")
        print("full disk: \(writes.count + 1) writing commands (gc among them) and \(reads.count) reads refused clearly")
    }
}
