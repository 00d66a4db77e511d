import Foundation
import XCTest

/// The passphrase typed on a terminal: asked twice at init, never echoed.
/// util-linux `script` gives dangol a real pseudo-terminal.
final class TerminalTests: XCTestCase {
    func typed(_ s: Sandbox, _ command: String, lines: [String]) throws -> Sandbox.Output {
        // dangol flushes typeahead when it turns echo off, so each line is sent
        // after a pause long enough for the prompt to be up.
        let feed = lines.map { "sleep 1.5; printf '%s\\n' '\($0)'" }.joined(separator: "; ")
        return try s.run("/bin/sh", ["-c", "(\(feed); sleep 1) | script -qec \"\(command)\" /dev/null"],
                         env: ["DANGOL_PASSPHRASE_FILE": "", "TERM": "dumb"])
    }

    func testInitAsksTwiceWithoutEchoAndUnlockReadsTheTerminal() throws {
        let s = try Sandbox()
        let secret = "lantern pebble saffron quiet"
        let r = try typed(s, "\(Sandbox.binary) init \(s.vault) --owner 원장 --kdf-level test", lines: [secret, secret])
        XCTAssertTrue(r.out.contains("new passphrase for the vault:"), r.out)
        XCTAssertTrue(r.out.contains("repeat it:"), r.out)
        XCTAssertTrue(r.out.contains("recovery code"), r.out)
        XCTAssertFalse(r.out.contains(secret), "the passphrase was echoed")

        let list = try typed(s, "\(Sandbox.binary) list --vault \(s.vault)", lines: [secret])
        XCTAssertTrue(list.out.contains("0 customers"), list.out)
        XCTAssertFalse(list.out.contains(secret))

        let mismatch = try typed(s, "\(Sandbox.binary) init \(s.root)/other --owner 원장 --kdf-level test",
                                 lines: [secret, secret + " typo"])
        XCTAssertTrue(mismatch.out.contains("the two passphrases differ"), mismatch.out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.root + "/other"))
    }
}
