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
        for args in [["list"], ["show", id], ["settings"], ["add", "--name", "박보라", "--phone", "010-2222-3333"],
                     ["settings", "retention_days=400"]] {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, 5, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("dangol: error: dangol.json: changed without the vault key"), "\(args): \(r.err)")
        }
        let check = try s.dangol("check", "--json")
        XCTAssertEqual(check.code, 5)
        let findings = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(check.out.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.map { $0["file"] as? String }, ["dangol.json"])
        // Nothing was lost: with the change gone, the vault is as it was.
        XCTAssertEqual(try s.git("reset", "-q", "--hard", "HEAD~1").code, 0)
        XCTAssertTrue(try s.ok("show", id, "--json").contains("김민지"))
        try s.assertWhole("after the change was undone")
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
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.err.contains("dangol: warning: \(name): key derivation parameters refused: above dangol's cap"), r.err)
        let check = try s.dangol("check")
        XCTAssertEqual(check.code, 5)
        XCTAssertTrue(check.err.contains("[key-slot] \(name)"), check.err)
    }
}
