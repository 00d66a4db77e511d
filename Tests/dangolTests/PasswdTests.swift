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
