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
}
