import Foundation
import XCTest

/// The scripted session, run through the real binary, checked with
/// the real git CLI.
final class CoreWorkflowTests: XCTestCase {
    func testScriptedSessionCommitsOncePerChangeWithoutPersonalData() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678", "--birthday", "03-14")
        XCTAssertEqual(id.count, 32)
        try s.ok("visit", id, "--service", "염색", "--formula", "웰라 6/0 + 6% 30분", "--price", "80000", "--note", "두피 예민")
        try s.ok("set", id, "phone=010-9999-0000")

        let json = try JSONSerialization.jsonObject(with: Data(try s.ok("show", id, "--json", "--reveal").utf8)) as! [String: Any]
        XCTAssertEqual(json["name"] as? String, "김민지")
        XCTAssertEqual(json["phone"] as? String, "010-9999-0000")
        XCTAssertEqual(json["birthday"] as? String, "03-14")
        let visits = json["visits"] as! [[String: Any]]
        XCTAssertEqual(visits.count, 1)
        XCTAssertEqual(visits[0]["formula"] as? String, "웰라 6/0 + 6% 30분")
        XCTAssertEqual(visits[0]["price"] as? Int, 80000)

        let masked = try JSONSerialization.jsonObject(with: Data(try s.ok("show", String(id.prefix(6)), "--json").utf8)) as! [String: Any]
        XCTAssertEqual(masked["phone"] as? String, "010-****-0000", "phones are masked unless --reveal")

        let list = try JSONSerialization.jsonObject(with: Data(try s.ok("list", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[0]["id"] as? String, id)
        XCTAssertEqual(list[0]["last_visit"] as? String, visits[0]["date"] as? String)

        // One commit per change (init, add, visit, set), all authored by the owner.
        XCTAssertEqual(try s.commitCount(), 4)
        let authors = try s.git("log", "--format=%an").out.split(separator: "\n")
        XCTAssertEqual(Set(authors), ["원장"])

        // No name, phone or field name in messages, paths or refs.
        let messages = try s.git("log", "--format=%B").out
        let paths = try s.git("log", "--name-only", "--format=").out
        let refs = try s.git("for-each-ref", "--format=%(refname)").out
        // Ids and sealed summaries are random text; drop them so a chance
        // "1234" inside one cannot fail the test.
        let random = try NSRegularExpression(pattern: "[0-9a-f]{16,}|Dangol-Summary: \\S+")
        func clean(_ t: String) -> String {
            random.stringByReplacingMatches(in: t, range: NSRange(t.startIndex..., in: t), withTemplate: "")
        }
        for text in [messages, paths, refs].map(clean) {
            for secret in ["김민지", "1234", "5678", "9999", "1990", "염색", "웰라", "두피"] {
                XCTAssertFalse(text.contains(secret), "\"\(secret)\" appears in git metadata")
            }
            for field in ["name", "phone", "birthday", "formula", "price", "note", "services"] {
                XCTAssertFalse(text.contains(field), "field name \"\(field)\" appears in git metadata")
            }
        }
        XCTAssertTrue(messages.contains("set \(id)"))

        let fsck = try s.git("fsck", "--full", "--strict")
        XCTAssertEqual(fsck.code, 0, fsck.err)
        XCTAssertEqual(try s.git("status", "--porcelain").out, "", "the working tree mirrors the head")

        let stored = try s.everythingStored()
        XCTAssertGreaterThan(stored.count, 1000)
        for marker in ["김민지", "010-1234-5678", "01012345678", "010-9999-0000", "01099990000", "두피 예민", "웰라 6/0"] {
            XCTAssertEqual(Sandbox.count(marker, in: stored), 0, "\"\(marker)\" found in the vault's files")
        }
    }

    /// By default the working tree and index follow a change in the
    /// background, right after the commit; the next writer waits for it.
    func testDeferredMirrorCatchesUp() throws {
        let s = try Sandbox()
        try s.initVault()
        let deferred = ["DANGOL_MIRROR": "deferred"]
        var ids = [String]()
        for i in 0..<3 {
            let r = try s.dangol("add", "--name", "지연\(i)", "--phone", "010-3000-000\(i)", env: deferred)
            XCTAssertEqual(r.code, 0, r.err)
            ids.append(r.out.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let head = try s.git("rev-parse", "HEAD").out.trimmingCharacters(in: .whitespacesAndNewlines)
        var marker = ""
        for _ in 0..<100 where marker != head {
            usleep(100_000)
            marker = ((try? String(contentsOfFile: s.vault + "/.git/dangol-mirror", encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(marker, head, "the background mirror update did not finish")
        XCTAssertEqual(try s.git("status", "--porcelain").out, "")
        for id in ids {
            XCTAssertTrue(FileManager.default.fileExists(
                atPath: s.vault + "/records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec"))
        }
        // A stale mirror (the background update never ran) is repaired by the next command.
        try "0000000000000000000000000000000000000000\n".write(toFile: s.vault + "/.git/dangol-mirror", atomically: true,
                                                           encoding: .utf8)
        try FileManager.default.removeItem(atPath: s.vault + "/records/\(ids[0].prefix(2))")
        try s.ok("list")
        XCTAssertEqual(try s.git("status", "--porcelain").out, "")
    }

    func testVaultFilesArePrivate() throws {
        let s = try Sandbox()
        try s.initVault()
        try s.ok("add", "--name", "박서연", "--phone", "010-2222-3333")
        let e = FileManager.default.enumerator(atPath: s.vault)!
        var checked = 0
        while let rel = e.nextObject() as? String {
            let attrs = try FileManager.default.attributesOfItem(atPath: s.vault + "/" + rel)
            let mode = (attrs[.posixPermissions] as! NSNumber).intValue
            XCTAssertEqual(mode & 0o077, 0, "\(rel) is readable by others (mode \(String(mode, radix: 8)))")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 10)
    }

    func testTemplatesReachACopiedBinary() throws {
        let s = try Sandbox()
        let copy = s.root + "/elsewhere/dangol"
        try FileManager.default.createDirectory(atPath: s.root + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Sandbox.binary, toPath: copy)
        let r = try s.run(copy, ["init", s.vault, "--owner", "원장", "--kdf-level", "test"], cwd: s.root)
        XCTAssertEqual(r.code, 0, r.err)
        let repoTemplates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates")
        for name in ["customer.json", "visit.json", "consent-ko.json", "export.md.mustache"] {
            let inVault = FileManager.default.contents(atPath: s.vault + "/templates/" + name)
            XCTAssertNotNil(inVault, name)
            XCTAssertEqual(inVault, FileManager.default.contents(atPath: repoTemplates.appendingPathComponent(name).path))
        }
    }

    func testInitPrintsARecoveryCodeOnce() throws {
        let s = try Sandbox()
        let out = try s.ok("init", s.vault, "--owner", "원장", "--kdf-level", "test")
        let code = out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.count == 39 && $0.split(separator: "-").count == 8 }
        XCTAssertNotNil(code, "no recovery code in: \(out)")
        let stored = try s.everythingStored()
        XCTAssertEqual(Sandbox.count(code!, in: stored), 0, "the recovery code must not be stored")
        XCTAssertEqual(Sandbox.count(Sandbox.passphrase, in: stored), 0, "the passphrase must not be stored")

        // The code opens the vault when the passphrase is lost; a wrong code does not.
        try s.ok("add", "--name", "복구", "--phone", "010-7777-1111")
        let lost = ["DANGOL_PASSPHRASE_FILE": "", "DANGOL_PASSPHRASE": "forgotten forgotten forgotten"]
        let recovered = try s.dangol("list", "--recovery", env: lost.merging(["DANGOL_RECOVERY_CODE": code!.lowercased()]) { $1 })
        XCTAssertEqual(recovered.code, 0, recovered.err)
        XCTAssertTrue(recovered.out.contains("복구"))
        var wrong = Array(code!)
        wrong[0] = wrong[0] == "0" ? "1" : "0"
        let refused = try s.dangol("list", "--recovery", env: lost.merging(["DANGOL_RECOVERY_CODE": String(wrong)]) { $1 })
        XCTAssertEqual(refused.code, 3)
    }
}
