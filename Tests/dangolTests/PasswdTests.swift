import Foundation
import XCTest

/// dangol passwd: only the person's slot changes, the records stay byte for
/// byte, and the old slot is gone from history: a fresh clone of the backup
/// does not open with the old passphrase.
final class PasswdTests: XCTestCase {
    static let newPassphrase = "lavender quarry ribbon tundra"

    func trimmed(_ o: Sandbox.Output) -> String { o.out.trimmingCharacters(in: .whitespacesAndNewlines) }

    func testOldPassphraseCannotOpenAFreshClone() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        try s.ok("visit", a, "--service", "염색")
        try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb)
        try s.ok("push")
        let owner = trimmed(try s.git("log", "-1", "--format=%ae", "HEAD")).replacingOccurrences(
            of: "@dangol.invalid", with: "")
        let slot = "keys/\(owner).slot"
        let oldSlot = trimmed(try s.git("rev-parse", "HEAD:" + slot))
        let recordsTree = trimmed(try s.git("rev-parse", "HEAD:records"))
        let otherSlots = trimmed(try s.git("ls-tree", "HEAD", "keys/")).split(separator: "\n")
            .filter { !$0.hasSuffix(slot) }

        let weak = s.secrets + "/weak"
        try "password\n".write(toFile: weak, atomically: true, encoding: .utf8)
        XCTAssertEqual(try s.dangol("passwd", env: ["DANGOL_NEW_PASSPHRASE_FILE": weak]).code, 2)
        XCTAssertEqual(trimmed(try s.git("rev-parse", "HEAD:" + slot)), oldSlot, "a refused passphrase changes nothing")

        let newFile = s.secrets + "/new"
        try (Self.newPassphrase + "\n").write(toFile: newFile, atomically: true, encoding: .utf8)
        let r = try s.dangol("passwd", env: ["DANGOL_NEW_PASSPHRASE_FILE": newFile])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("0 remnants"), r.out)
        XCTAssertEqual(trimmed(try s.git("rev-parse", "HEAD:records")), recordsTree, "record files byte-identical")
        XCTAssertEqual(trimmed(try s.git("ls-tree", "HEAD", "keys/")).split(separator: "\n")
            .filter { !$0.hasSuffix(slot) }, otherSlots, "only this person's slot changes")
        XCTAssertNotEqual(trimmed(try s.git("rev-parse", "HEAD:" + slot)), oldSlot)
        XCTAssertNotEqual(try s.git("cat-file", "-e", oldSlot).code, 0, "the old slot is purged here")
        XCTAssertEqual(try s.git("fsck", "--strict").code, 0)
        XCTAssertEqual(try s.dangol("list").code, 3, "the old passphrase no longer opens the vault")
        let withNew = ["DANGOL_PASSPHRASE_FILE": newFile]
        XCTAssertEqual(try s.dangol("check", "--history", env: withNew).code, 0)

        let push = try s.dangol("push")
        XCTAssertEqual(push.code, 0, push.err)
        XCTAssertTrue(push.out.contains("forced refs/heads/main: rewritten by passwd"), push.out)
        XCTAssertTrue(push.out.contains("; 0 of the 1 file versions the old history held there remain"), push.out)
        XCTAssertNotEqual(try s.run("/usr/bin/git", ["-C", usb, "cat-file", "-e", oldSlot]).code, 0,
                          "the old slot is purged at the path remote")

        // A fresh clone of the backup, with the old passphrase: refused.
        let fresh = s.root + "/fresh"
        let clone = try s.dangol("clone", usb, fresh)
        XCTAssertEqual(clone.code, 3, clone.err)
        XCTAssertEqual(try s.dangol("show", a, "--vault", fresh).code, 3)
        XCTAssertNotEqual(try s.run("/usr/bin/git", ["-C", fresh, "cat-file", "-e", oldSlot]).code, 0)
        let opened = try s.dangol("check", "--history", "--vault", fresh, env: withNew)
        XCTAssertEqual(opened.code, 0, opened.err)
        XCTAssertTrue(try s.dangol("show", a, "--vault", fresh, env: withNew).out.contains("박서연"))
    }
}

/// Passphrases typed in either Unicode form, and new ones that are not one
/// line of text, through the real binary.
final class PassphraseTextTests: XCTestCase {
    let composed = "보라색 스테이플 궤도 협곡 바다"

    func file(_ s: Sandbox, _ name: String, _ text: String) throws -> String {
        let path = s.secrets + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testNFDAndNFCPassphrasesOpenTheSameVault() throws {
        let s = try Sandbox()
        let nfc = try file(s, "nfc", composed + "\n")
        let nfd = try file(s, "nfd", composed.decomposedStringWithCanonicalMapping + "\n")
        // Made on a Mac (NFD), opened on Linux (NFC), and the other way.
        let made = try s.dangol("init", s.vault, "--owner", "원장", "--kdf-level", "test", env: ["DANGOL_PASSPHRASE_FILE": nfd])
        XCTAssertEqual(made.code, 0, made.err)
        for typed in [nfc, nfd] {
            XCTAssertEqual(try s.dangol("list", env: ["DANGOL_PASSPHRASE_FILE": typed]).code, 0)
        }
        let other = s.root + "/other"
        XCTAssertEqual(try s.dangol("init", other, "--owner", "원장", "--kdf-level", "test",
                                    env: ["DANGOL_PASSPHRASE_FILE": nfc]).code, 0)
        XCTAssertEqual(try s.dangol("list", "--vault", other, env: ["DANGOL_PASSPHRASE_FILE": nfd]).code, 0)
        XCTAssertEqual(try s.dangol("list", env: ["DANGOL_PASSPHRASE_FILE": s.secrets + "/passphrase"]).code, 3,
                       "another passphrase still does not open it")
    }

    func testANewPassphraseOfTwoLinesIsRefusedNotTakenWhole() throws {
        let s = try Sandbox()
        try s.initVault()
        let twoLines = try file(s, "two", "lavender quarry\nribbon tundra\n")
        let head = try s.head()
        for args in [["passwd"], ["user", "add", "지수", "--role", "staff"]] {
            let r = try s.run(Sandbox.binary, args, env: ["DANGOL_NEW_PASSPHRASE_FILE": twoLines])
            XCTAssertEqual(r.code, 2, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("DANGOL_NEW_PASSPHRASE_FILE holds more than one line"), r.err)
        }
        let tab = try s.run(Sandbox.binary, ["passwd"], env: ["DANGOL_NEW_PASSPHRASE": "lavender\tquarry ribbon tundra"])
        XCTAssertEqual(tab.code, 2, tab.err)
        XCTAssertTrue(tab.err.contains("control character (U+0009)"), tab.err)
        XCTAssertEqual(try s.head(), head, "nothing changed")
        let init2 = try s.dangol("init", s.root + "/two", "--owner", "원장", "--kdf-level", "test",
                                 env: ["DANGOL_PASSPHRASE_FILE": twoLines])
        XCTAssertEqual(init2.code, 2, init2.err)
        XCTAssertTrue(init2.err.contains("DANGOL_PASSPHRASE_FILE holds more than one line"), init2.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.root + "/two"))
    }
}
