import DangolCrypto
import Foundation
import XCTest

/// Changes made with plain git, without the vault key, each caught with a
/// clear message naming what changed and the integrity exit code (5), and
/// nothing the salon had is lost.
final class TamperTests: XCTestCase {
    let me = ["-c", "user.name=someone", "-c", "user.email=someone@example.invalid"]

    func gitCommit(_ s: Sandbox, _ message: String) throws {
        let r = try s.run("/usr/bin/git", ["-C", s.vault] + me + ["commit", "-qam", message])
        XCTAssertEqual(r.code, 0, r.err)
    }

    func edit(_ s: Sandbox, _ file: String, _ change: (String) -> String) throws {
        let path = s.vault + "/" + file
        try change(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The reproduction from the review: settings weakened by hand and
    /// committed. Every command that opens the vault refuses, naming the file.
    func testSettingsEditedWithPlainGitAreRefused() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        try edit(s, "dangol.json") {
            $0.replacingOccurrences(of: "\"staff_sees_contacts\" : false", with: "\"staff_sees_contacts\" : true")
        }
        try gitCommit(s, "settings")
        let head = try s.head()
        for args in [["list"], ["show", id], ["settings"], ["add", "--name", "박보라", "--phone", "010-2222-3333"],
                     ["settings", "retention_days=400"]] {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, 5, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("dangol: error: dangol.json: changed without the vault key"), "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("dangol: error: commit \(head): made outside dangol"), "\(args): \(r.err)")
        }
        XCTAssertEqual(try s.head(), head, "nothing was built on it")
        let check = try s.dangol("check", "--json")
        XCTAssertEqual(check.code, 5)
        let findings = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(check.out.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        XCTAssertEqual(Set(findings.compactMap { $0["file"] as? String }), ["commit \(head)", "dangol.json"])
        // Accepting the commit keeps it, but not its settings: dangol.json
        // goes back to what dangol last wrote.
        let accepted = try s.dangol("accept", String(head.prefix(12)))
        XCTAssertEqual(accepted.code, 0, accepted.err)
        XCTAssertTrue(accepted.err.contains("dangol.json was changed outside dangol"), accepted.err)
        XCTAssertTrue(try s.ok("settings").contains("staff_sees_contacts  no"))
        XCTAssertTrue(try s.ok("show", id, "--json").contains("김민지"))
        try s.assertWhole("after the change was accepted")
    }

    /// In a vault at the default cost, a dangol.json asking for libsodium's
    /// minimum makes no weak slot: the change is refused, and the slot the
    /// owner has keeps its cost.
    func testAWeakenedCostNeverReachesASlot() throws {
        let s = try Sandbox()
        XCTAssertEqual(try s.dangol("init", s.vault, "--owner", "원장").code, 0)
        try edit(s, "dangol.json") {
            $0.replacingOccurrences(of: "\"memlimit\" : 268435456", with: "\"memlimit\" : 8192")
                .replacingOccurrences(of: "\"opslimit\" : 3", with: "\"opslimit\" : 1")
        }
        try gitCommit(s, "cheaper")
        let r = try s.dangol("passwd", env: ["DANGOL_NEW_PASSPHRASE": "amber cobalt thistle fjord"])
        XCTAssertEqual(r.code, 5, r.err)
        XCTAssertTrue(r.err.contains("dangol.json"), r.err)
        for slot in try FileManager.default.contentsOfDirectory(atPath: s.vault + "/keys") {
            let parsed = try KeySlot.decode(Array(try Data(contentsOf: URL(fileURLWithPath: s.vault + "/keys/" + slot))))
            XCTAssertEqual(parsed.parameters, .level(.moderate), slot)
        }
        XCTAssertEqual(try s.dangol("init", s.root + "/weak", "--owner", "원장", "--kdf-level", "interactive").code, 2,
                       "no vault is made below the floor either")
    }

    /// A slot planted with an absurd Argon2id cost is named and never tried:
    /// the owner's unlock goes on, and check reports it.
    func testAPlantedSlotWithAnAbsurdCostIsNamedAndNotTried() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        var slot = Array("DGKS".utf8) + [1, 1, 1, 1]
        for v in [UInt64(1) << 40, UInt64(64) << 30] { withUnsafeBytes(of: v.littleEndian) { slot += $0 } }
        slot += [UInt8](repeating: 7, count: 16) + [3, 0] + Array("AAA".utf8) + [UInt8](repeating: 9, count: 24 + 48)
        let name = "keys/00112233aabbccdd.slot"
        XCTAssertTrue(FileManager.default.createFile(atPath: s.vault + "/" + name, contents: Data(slot)))
        XCTAssertEqual(try s.git("add", name).code, 0)
        try gitCommit(s, "slot")

        let r = try s.dangol("show", id, "--json")
        XCTAssertEqual(r.code, 5, r.err)
        XCTAssertTrue(r.err.contains("dangol: warning: \(name): key derivation parameters refused: above dangol's cap"), r.err)
        XCTAssertTrue(r.err.contains("made outside dangol"), r.err)
        let check = try s.dangol("check")
        XCTAssertEqual(check.code, 5)
        XCTAssertTrue(check.err.contains("[key-slot] \(name)"), check.err)
        // Going back to dangol's last commit takes the slot away; nothing else changes.
        let rejected = try s.dangol("reject")
        XCTAssertEqual(rejected.code, 0, rejected.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/" + name))
        XCTAssertTrue(try s.ok("show", id, "--json").contains("김민지"))
        try s.assertWhole("after the slot was rejected")
    }

    /// A commit with no sealed summary (here it only adds a file) holds the
    /// vault: every command names it, as git shows it, until the owner
    /// accepts it; check --history and audit verify list it, accepted or not.
    func testACommitWithoutASummaryHoldsTheVaultUntilTheOwnerAcceptsIt() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        try "memo\n".write(toFile: s.vault + "/memo.txt", atomically: true, encoding: .utf8)
        XCTAssertEqual(try s.git("add", "memo.txt").code, 0)
        try gitCommit(s, "memo")
        let head = try s.head()
        let shown = try s.git("log", "-1", "--format=%an <%ae>|%ai").out.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "|").map(String.init)

        for args in [["list"], ["show", id], ["add", "--name", "박보라", "--phone", "010-2222-3333"], ["export", id]] {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, 5, "\(args): \(r.err)")
            XCTAssertTrue(
                r.err.contains("dangol: error: commit \(head): made outside dangol, by \(shown[0]) on \(shown[1])"),
                "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("dangol: hint: look at it with git show \(head.prefix(12))"), r.err)
        }
        XCTAssertEqual(try s.head(), head, "nothing was built on it, not even an access-log entry")
        for args in [["check", "--history"], ["audit", "verify"]] {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, 5, "\(args)")
            XCTAssertTrue(r.err.contains("commit \(head)") && r.err.contains(shown[0]) && r.err.contains(shown[1]),
                          "\(args): \(r.err)")
        }
        XCTAssertEqual(try s.dangol("accept", "deadbeef").code, 2, "only the head, looked at, is accepted")
        XCTAssertEqual(try s.dangol("accept", String(head.prefix(12)), env: ["DANGOL_PASSPHRASE": "x", "DANGOL_PASSPHRASE_FILE": ""]).code, 3)

        let accepted = try s.dangol("accept", String(head.prefix(12)))
        XCTAssertEqual(accepted.code, 0, accepted.err)
        XCTAssertTrue(accepted.out.contains(String(head.prefix(12))) && accepted.out.contains("1 commit made outside dangol accepted"),
                      accepted.out)
        XCTAssertTrue(try s.ok("show", id, "--json").contains("김민지"))
        let history = try s.dangol("check", "--history")
        XCTAssertEqual(history.code, 0, history.err)
        XCTAssertTrue(history.err.contains("dangol: note: [outside-commit] commit \(head)") && history.err.contains("accepted"),
                      history.err)
        let log = try JSONSerialization.jsonObject(with: Data(try s.ok("audit", "--action", "accept", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(log.count, 1, "the acceptance is in the access log")
        try s.assertWhole("after accepting")
        XCTAssertEqual(try s.dangol("accept", String(head.prefix(12))).code, 2, "nothing is left to accept")
    }

    /// A record put back to an older version with plain git: the record
    /// itself is authentic, so only the commit gives it away. Rejecting goes
    /// back to the last commit dangol made, keeping the other aside.
    func testARevertedRecordVersionIsCaughtAndRejectedWithNothingLost() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        let first = try s.head()
        try s.ok("set", id, "phone=010-9999-0000")
        let path = "records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec"
        XCTAssertEqual(try s.git("checkout", first, "--", path).code, 0)
        try gitCommit(s, "revert")
        let head = try s.head()

        let r = try s.dangol("show", id, "--json", "--reveal")
        XCTAssertEqual(r.code, 5)
        XCTAssertTrue(r.err.contains("commit \(head): made outside dangol"), r.err)
        let rejected = try s.dangol("reject")
        XCTAssertEqual(rejected.code, 0, rejected.err)
        XCTAssertTrue(try s.ok("show", id, "--json", "--reveal").contains("010-9999-0000"), "the newer version is back")
        let kept = try s.git("for-each-ref", "--format=%(objectname)", "refs/dangol/rejected/").out
        XCTAssertEqual(kept.trimmingCharacters(in: .whitespacesAndNewlines), head, "the rejected commit is kept aside")
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: Data(try s.ok("audit", "--action", "reject", "--json").utf8)) as? [Any])?.count, 1)
        try s.assertWhole("after rejecting")
    }

    /// An erased customer's old ciphertext, kept by someone from before the
    /// erasure, put back with plain git: caught; it cannot be accepted, and
    /// rejecting deletes it rather than keep it aside.
    func testAnErasedRecordsOldCiphertextPutBackIsCaughtAndDeleted() throws {
        let s = try Sandbox()
        try s.initVault()
        let gone = try s.ok("add", "--name", "한지민", "--phone", "010-5555-6666")
        let kept = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        let path = "records/\(gone.prefix(2))/\(gone.dropFirst(2).prefix(2))/\(gone).rec"
        let old = try XCTUnwrap(FileManager.default.contents(atPath: s.vault + "/" + path))
        let blob = try s.git("rev-parse", "HEAD:" + path).out.trimmingCharacters(in: .whitespacesAndNewlines)
        try s.ok("erase", gone, "--reason", "고객 요청", "--yes")
        XCTAssertNotEqual(try s.git("cat-file", "-e", blob).code, 0)

        try FileManager.default.createDirectory(
            atPath: (s.vault + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: s.vault + "/" + path, contents: old))
        XCTAssertEqual(try s.git("add", path).code, 0)
        try gitCommit(s, "restore")
        let head = try s.head()

        let r = try s.dangol("list")
        XCTAssertEqual(r.code, 5)
        XCTAssertTrue(r.err.contains("commit \(head): made outside dangol"), r.err)
        let accept = try s.dangol("accept", String(head.prefix(12)))
        XCTAssertEqual(accept.code, 5, accept.err)
        XCTAssertTrue(accept.err.contains("puts back customer \(gone)"), accept.err)
        let rejected = try s.dangol("reject")
        XCTAssertEqual(rejected.code, 0, rejected.err)
        XCTAssertTrue(rejected.err.contains("deleted, not kept"), rejected.err)
        XCTAssertNotEqual(try s.git("cat-file", "-e", blob).code, 0, "the old ciphertext is gone again")
        XCTAssertEqual(try s.git("for-each-ref", "refs/dangol/rejected/").out, "")
        let list = try s.ok("list", "--json")
        XCTAssertTrue(list.contains(kept) && !list.contains(gone), list)
        try s.assertWhole("after rejecting")
    }

    /// The access log's ref moved back three entries with plain git while
    /// the change after them stays: the change names the entry it followed,
    /// sealed into its summary, and `audit verify` and `check --history`
    /// both say the log ends before it.
    func testTheAccessLogsLastEntriesCutWithLaterChangesKeptAreCaught() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        for _ in 0..<3 { try s.ok("show", id) }
        try s.ok("set", id, "note=앞머리")  // follows entry #4, its own is #5
        let cut = try s.git("rev-parse", "refs/dangol/audit~3").out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try s.git("update-ref", "refs/dangol/audit", cut).code, 0)
        let head = try s.head()

        let verify = try s.dangol("audit", "verify")
        XCTAssertEqual(verify.code, 5)
        XCTAssertTrue(
            verify.err.contains("commit \(head)") && verify.err.contains("follows entry #4, but the log ends at #2"),
            verify.err)
        let check = try s.dangol("check", "--history")
        XCTAssertEqual(check.code, 5)
        XCTAssertTrue(check.err.contains("commit \(head)") && check.err.contains("but the log ends at #2"), check.err)
    }

    /// A commit put on the access log's ref with plain git (no entry it
    /// could seal): every command refuses to build on it, `audit verify`
    /// and `check --history` name it, it cannot be accepted, and `reject`
    /// sets it aside, the log whole again.
    func testACommitOnTheAccessLogsRefIsCaughtAndSetAside() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        try s.ok("show", id)
        let tip = try s.git("rev-parse", "refs/dangol/audit").out.trimmingCharacters(in: .whitespacesAndNewlines)
        let made = try s.run(
            "/usr/bin/git", ["-C", s.vault] + me + ["commit-tree", "\(tip)^{tree}", "-p", tip, "-m", "audit"])
        XCTAssertEqual(made.code, 0, made.err)
        let outside = made.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try s.git("update-ref", "refs/dangol/audit", outside, tip).code, 0)

        for args in [["show", id], ["list"], ["add", "--name", "박보라", "--phone", "010-2222-3333"]] {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, 5, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("refs/dangol/audit commit \(outside): made outside dangol"), "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("dangol reject"), "\(args): \(r.err)")
        }
        XCTAssertEqual(
            try s.git("rev-parse", "refs/dangol/audit").out.trimmingCharacters(in: .whitespacesAndNewlines), outside,
            "no entry was written above it")
        for args in [["audit", "verify"], ["check", "--history"]] {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, 5, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("refs/dangol/audit commit \(outside)") && r.err.contains("made outside dangol"),
                          "\(args): \(r.err)")
        }
        let accept = try s.dangol("accept", String(try s.head().prefix(12)))
        XCTAssertEqual(accept.code, 2, accept.err)
        XCTAssertTrue(accept.err.contains("only dangol writes the log"), accept.err)

        XCTAssertEqual(try s.dangol("reject").code, 0)
        let kept = try s.git("for-each-ref", "--format=%(objectname)", "refs/dangol/rejected/").out
        XCTAssertEqual(kept.trimmingCharacters(in: .whitespacesAndNewlines), outside, "set aside, not lost")
        let log = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try s.ok("audit", "--json").utf8)) as? [[String: Any]])
        XCTAssertEqual(log.map { $0["action"] as? String }, ["add", "show", "reject"])
        XCTAssertTrue(try s.ok("show", id, "--json").contains("김민지"))
        try s.assertWhole("after setting the log's commit aside")
        // What was set aside stays home: a backup does not get it.
        try s.ok("remote", "add", "usb", s.root + "/usb.git")
        try s.ok("push")
        XCTAssertEqual(try s.run("/usr/bin/git", ["-C", s.root + "/usb.git", "for-each-ref", "refs/dangol/rejected/"]).out, "")
    }
}
