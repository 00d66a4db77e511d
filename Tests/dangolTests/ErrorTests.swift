import Foundation
import XCTest

/// Bad input and bad files: a clear error, its own exit code, and nothing
/// the user had lost or half-written.
final class ErrorTests: XCTestCase {
    func testWrongPassphraseHasItsOwnExitCode() throws {
        let s = try Sandbox()
        try s.initVault()
        let r = try s.dangol("list", env: ["DANGOL_PASSPHRASE_FILE": "", "DANGOL_PASSPHRASE": "not the right one at all"])
        XCTAssertEqual(r.code, 3)
        XCTAssertTrue(r.err.hasPrefix("dangol: error: wrong passphrase"), r.err)
    }

    func testPassphraseSourcesInResticOrder() throws {
        let s = try Sandbox()
        try s.initVault()
        // The command form, and the file winning over a wrong variable.
        let viaCommand = try s.dangol("list", env: ["DANGOL_PASSPHRASE_FILE": "",
                                                    "DANGOL_PASSPHRASE_COMMAND": "echo '\(Sandbox.passphrase)'"])
        XCTAssertEqual(viaCommand.code, 0, viaCommand.err)
        let fileFirst = try s.dangol("list", env: ["DANGOL_PASSPHRASE": "wrong wrong wrong wrong"])
        XCTAssertEqual(fileFirst.code, 0, fileFirst.err)
        let none = try s.dangol("list", env: ["DANGOL_PASSPHRASE_FILE": ""])
        XCTAssertEqual(none.code, 2, "no terminal and no variable: a usage error")
        XCTAssertTrue(none.err.contains("DANGOL_PASSPHRASE_FILE"), none.err)
    }

    func testWeakPassphraseRefusedAndNothingCreated() throws {
        let s = try Sandbox()
        for weak in ["short one", "password12345678", "원장원장원장원장원장123"] {
            let r = try s.dangol("init", s.vault, "--owner", "원장", "--kdf-level", "test",
                                 env: ["DANGOL_PASSPHRASE_FILE": "", "DANGOL_PASSPHRASE": weak])
            XCTAssertEqual(r.code, 2, weak)
            XCTAssertTrue(r.err.contains("passphrase refused"), r.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault), "a refused init leaves no vault")
        }
    }

    func testNotFoundAndNoVault() throws {
        let s = try Sandbox()
        let noVault = try s.dangol("list")
        XCTAssertEqual(noVault.code, 4)
        XCTAssertTrue(noVault.err.contains("no vault at"), noVault.err)
        try s.initVault()
        let r = try s.dangol("show", "ffffffffffff")
        XCTAssertEqual(r.code, 4)
        XCTAssertTrue(r.err.contains("no customer matches"), r.err)
    }

    func testInvalidRecordsAreRefusedWithoutACommit() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "이하은", "--phone", "010-3333-4444")
        let before = try s.commitCount()
        let cases: [([String], String)] = [
            (["set", id, "phone=12345"], "phone: not a Korean phone number"),
            (["set", id, "birthday=13-01"], "birthday: not a birthday"),
            (["set", id, "note=주민번호 900314-2345678"], "주민등록번호"),
            (["set", id, "favourite_colour=red"], "not a field set can change"),
            (["add", "--name", "최수빈"], "needs a phone number or an email"),
            (["visit", id, "--service", "커트", "--date", "2026-02-30"], "visits[0].date: not a date"),
        ]
        for (args, expected) in cases {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, 8, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains(expected), "\(args): \(r.err)")
        }
        XCTAssertEqual(try s.commitCount(), before, "a refused change commits nothing")
        let json = try s.ok("show", id, "--json", "--reveal")
        XCTAssertTrue(json.contains("010-3333-4444"))
    }

    func testSameValueMakesNoCommit() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "이하은", "--phone", "010-3333-4444")
        let before = try s.commitCount()
        try s.ok("set", id, "phone=01033334444")
        XCTAssertEqual(try s.commitCount(), before)
    }

    /// A record file changed, truncated or moved by someone with the folder:
    /// a clear error naming the file, and the other records stay usable.
    func testTamperedTruncatedAndMovedRecordFiles() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "김도윤", "--phone", "010-5555-6666")
        let b = try s.ok("add", "--name", "박지호", "--phone", "010-7777-8888")
        let c = try s.ok("add", "--name", "정채원", "--phone", "010-1212-3434")
        func path(_ id: String) -> String { "records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec" }
        let fm = FileManager.default
        // Flip one bit of a's ciphertext; truncate b; copy c's file over a third id's place.
        var bytes = [UInt8](fm.contents(atPath: s.vault + "/" + path(a))!)
        bytes[100] ^= 0x01
        XCTAssertTrue(fm.createFile(atPath: s.vault + "/" + path(a), contents: Data(bytes)))
        let bBytes = fm.contents(atPath: s.vault + "/" + path(b))!
        XCTAssertTrue(fm.createFile(atPath: s.vault + "/" + path(b), contents: bBytes.prefix(bBytes.count - 7)))
        let fake = "abcdef0123456789abcdef0123456789"
        try fm.createDirectory(atPath: s.vault + "/records/ab/cd", withIntermediateDirectories: true)
        try fm.copyItem(atPath: s.vault + "/" + path(c), toPath: s.vault + "/" + path(fake))
        XCTAssertEqual(try s.git("add", "-A").code, 0)
        let commit = try s.git("-c", "user.name=someone", "-c", "user.email=x@y", "commit", "-qm", "tamper")
        XCTAssertEqual(commit.code, 0, commit.err)
        // Made outside dangol: held until the owner accepts it; then each bad file is named.
        XCTAssertEqual(try s.dangol("show", c).code, 5)
        try s.ok("accept", try s.head())

        let showA = try s.dangol("show", a)
        XCTAssertEqual(showA.code, 5)
        XCTAssertTrue(showA.err.contains(path(a)) && showA.err.contains("authentication failed"), showA.err)
        let showB = try s.dangol("show", b)
        XCTAssertEqual(showB.code, 5)
        XCTAssertTrue(showB.err.contains(path(b)) && showB.err.contains("truncated"), showB.err)
        let showFake = try s.dangol("show", fake)
        XCTAssertEqual(showFake.code, 5)
        XCTAssertTrue(showFake.err.contains("belongs to record \(c)"), showFake.err)

        // The good record still reads, and list names each bad file.
        XCTAssertTrue(try s.ok("show", c, "--json").contains("정채원"))
        let list = try s.dangol("list")
        XCTAssertEqual(list.code, 5)
        XCTAssertTrue(list.out.contains("정채원"))
        for p in [path(a), path(b), path(fake)] { XCTAssertTrue(list.err.contains(p), "list does not name \(p)") }
        let check = try s.dangol("check")
        XCTAssertEqual(check.code, 5)
        XCTAssertTrue(check.err.contains(path(a)), check.err)
    }
}
