import DangolCrypto
import Foundation
import XCTest

/// dangol rekey: every version in history re-encrypted under a new key (check
/// --history opens them all), the old ciphertexts gone here and, after the
/// forced push, at the path remote; a new recovery code replaces the old.
final class RekeyTests: XCTestCase {
    func lines(_ o: Sandbox.Output) -> [String] {
        o.out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func recoveryCode(in text: String) throws -> String {
        let regex = try NSRegularExpression(pattern: "([0-9A-Z]{4}-){7}[0-9A-Z]{4}")
        let m = try XCTUnwrap(regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)))
        return String(text[Range(m.range, in: text)!])
    }

    /// Every blob a path prefix ever had, over all refs.
    func blobs(_ s: Sandbox, _ repo: String) throws -> Set<String> {
        Set(lines(try s.run("/usr/bin/git", ["-C", repo, "log", "--all", "--format=", "--raw", "--no-abbrev", "--",
                                             "records", "audit", "keys"])).compactMap { l in
            let f = l.split(separator: " ")
            return f.count >= 5 && !f[3].allSatisfy({ $0 == "0" }) ? String(f[3]) : nil
        })
    }

    func testRekeyReencryptsEveryVersionAndPurgesTheOld() throws {
        let s = try Sandbox()
        let initOut = try s.ok("init", s.vault, "--owner", "원장", "--kdf-level", "test")
        let oldCode = try recoveryCode(in: initOut)
        let a = try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        try s.ok("visit", a, "--service", "염색", "--formula", "7N+6%")
        try s.ok("set", a, "note=두피 민감")
        try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        try s.ok("export", a)
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb)
        try s.ok("push")
        let old = try blobs(s, s.vault)
        XCTAssertGreaterThanOrEqual(old.count, 6, "4 record versions and 2 key slots")
        let versionsBefore = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(try s.ok("check", "--history", "--json").utf8)) as? [String: Any])["records"] as? Int
        let auditBefore = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(try s.ok("audit", "--json").utf8)) as? [Any]).count

        let r = try s.dangol("rekey")
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("0 remnants"), r.out)
        let newCode = try recoveryCode(in: r.out)
        XCTAssertNotEqual(newCode, oldCode)

        // Every version opens under the new key, and all of them are new objects.
        let check = try s.dangol("check", "--history", "--json")
        XCTAssertEqual(check.code, 0, check.err)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(check.out.utf8)) as? [String: Any])
        XCTAssertEqual(report["records"] as? Int, versionsBefore)
        XCTAssertTrue(try blobs(s, s.vault).isDisjoint(with: old))
        for b in old { XCTAssertNotEqual(try s.git("cat-file", "-e", b).code, 0, "old object \(b) left") }
        XCTAssertEqual(try s.git("fsck", "--strict").code, 0)
        XCTAssertEqual(lines(try s.git("status", "--porcelain")), [], "the working tree shows the new files")
        // Summaries and the access log were sealed again, the log's chain with them.
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try s.ok("log", "--json").utf8)) as? [[String: Any]])
        XCTAssertTrue(log.allSatisfy { $0["summary"] is String }, "\(log)")
        let audit = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try s.ok("audit", "--json").utf8)) as? [Any])
        XCTAssertEqual(audit.count, auditBefore + 1)
        let verify = try s.dangol("audit", "verify")
        XCTAssertEqual(verify.code, 0, "the chain and every tip a change names, sealed again: \(verify.err)")
        XCTAssertTrue(try s.ok("show", a).contains("박서연"))

        // The recovery code printed now opens the vault; the one from init no longer does.
        XCTAssertEqual(try s.dangol("list", "--recovery", env: ["DANGOL_RECOVERY_CODE": newCode]).code, 0)
        XCTAssertEqual(try s.dangol("list", "--recovery", env: ["DANGOL_RECOVERY_CODE": oldCode]).code, 3)

        let push = try s.dangol("push")
        XCTAssertEqual(push.code, 0, push.err)
        XCTAssertTrue(push.out.contains("forced refs/heads/main: rewritten by rekey"), push.out)
        XCTAssertTrue(push.out.contains("forced refs/dangol/audit: rewritten by rekey"), push.out)
        XCTAssertTrue(push.out.contains("; 0 of the \(old.count) file versions the old history held there remain"), push.out)
        for b in old {
            XCTAssertNotEqual(try s.run("/usr/bin/git", ["-C", usb, "cat-file", "-e", b]).code, 0, "\(b) at the remote")
        }
        let clone = try s.dangol("clone", usb, s.root + "/restored", "--history")
        XCTAssertEqual(clone.code, 0, clone.err)
    }

    /// The vault key as a person's slot gives it to their passphrase.
    func vaultKey(_ s: Sandbox, person: String, passphrase: String) throws -> VaultKey {
        let keys = s.vault + "/keys"
        for file in try FileManager.default.contentsOfDirectory(atPath: keys) where file.hasSuffix(".slot") {
            let slot = try KeySlot.decode(Array(try Data(contentsOf: URL(fileURLWithPath: keys + "/" + file))))
            guard slot.kind == .person, slot.name == person else { continue }
            var secret = Array(passphrase.utf8)
            let hex = Array(file.dropLast(5))
            let id = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0..<$0 + 2]), radix: 16)! }
            return try slot.unwrap(secret: try SecureBytes(consuming: &secret), slotID: id)
        }
        throw NSError(domain: "no slot of \(person)", code: 0)
    }

    /// The owner rekeys with a staff member's slot present, without their
    /// passphrase: it still opens the vault, and the old key opens none of
    /// what is written afterwards.
    func testRekeyWithAStaffSlotKeepsTheirPassphraseAndShutsTheOldKeyOut() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        let staffPass = "quiet harbor lantern meadow"
        let file = s.secrets + "/staff"
        try (staffPass + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try s.dangol("user", "add", "지수", "--role", "staff", env: ["DANGOL_NEW_PASSPHRASE_FILE": file]).code, 0)
        let staff = ["DANGOL_PASSPHRASE_FILE": file]
        XCTAssertEqual(try s.dangol("visit", a, "--service", "커트", env: staff).code, 0)
        let oldKey = try vaultKey(s, person: "지수", passphrase: staffPass)

        let r = try s.dangol("rekey")
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("sealed to 원장, 지수"), r.out)
        XCTAssertTrue(r.out.contains("0 remnants"), r.out)

        // 지수's passphrase opens the new key, and their work goes on.
        let shown = try s.dangol("show", a, "--json", env: staff)
        XCTAssertEqual(shown.code, 0, shown.err)
        XCTAssertEqual(try s.dangol("visit", a, "--service", "염색", env: staff).code, 0)
        let b = try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        let newKey = try vaultKey(s, person: "지수", passphrase: staffPass)
        XCTAssertEqual(try vaultKey(s, person: "원장", passphrase: Sandbox.passphrase).withRawKey { Array($0) },
                       newKey.withRawKey { Array($0) })
        XCTAssertNotEqual(oldKey.withRawKey { Array($0) }, newKey.withRawKey { Array($0) })

        // The old key opens no record, no slot and no access-log entry there is now.
        for id in [a, b] {
            let path = "records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec"
            let bytes = Array(try XCTUnwrap(FileManager.default.contents(atPath: s.vault + "/" + path)))
            let rid = stride(from: 0, to: 32, by: 2).map { UInt8(String(Array(id)[$0..<$0 + 2]), radix: 16)! }
            XCTAssertThrowsError(try RecordFile.open(bytes, id: rid, key: oldKey), "\(id) under the old key")
            XCTAssertNoThrow(try RecordFile.open(bytes, id: rid, key: newKey))
        }
        let keys = s.vault + "/keys"
        for f in try FileManager.default.contentsOfDirectory(atPath: keys) {
            let slot = try KeySlot.decode(Array(try Data(contentsOf: URL(fileURLWithPath: keys + "/" + f))))
            let hex = Array(f.dropLast(5))
            let id = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0..<$0 + 2]), radix: 16)! }
            XCTAssertFalse(slot.verifies(under: oldKey, slotID: id), f)
        }
        let logLines = try s.accessLogLines()
        XCTAssertFalse(logLines.isEmpty)
        for line in logLines {
            let box = Array(try XCTUnwrap(Data(base64Encoded: line)))
            XCTAssertThrowsError(try SealedText.open(box, context: Array("dangol-audit-v1".utf8), key: oldKey, purpose: .audit))
            XCTAssertNoThrow(try SealedText.open(box, context: Array("dangol-audit-v1".utf8), key: newKey, purpose: .audit))
        }
        let check = try s.dangol("check", "--history")
        XCTAssertEqual(check.code, 0, check.out + check.err)
        let verify = try s.dangol("audit", "verify")
        XCTAssertEqual(verify.code, 0, verify.out + verify.err)
    }
}
