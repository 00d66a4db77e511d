import Foundation
import XCTest

/// `dangol shell` as a person uses it at a terminal (line editing, history
/// in memory only, the whole card) and as a script feeds it (changes through
/// the same vault operations and access log as the commands).
final class ShellTests: XCTestCase {
    /// Files under `dir`, the vault left out.
    func files(under dir: String, except vault: String) -> Set<String> {
        var out = Set<String>()
        let e = FileManager.default.enumerator(atPath: dir)
        while let rel = e?.nextObject() as? String {
            if (dir + "/" + rel).hasPrefix(vault) { continue }
            out.insert(rel)
        }
        return out
    }

    func testAtATerminalLinesAreEditedRecalledAndNeverWrittenToAHistoryFile() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        try s.ok("set", id, "allergies=PPD")
        try s.ok("visit", id, "--service", "뿌리염색", "--formula", "웰라 6/0 + 6% 30분", "--price", "80000",
                 "--reaction", "따끔거림", "--date", "2026-03-01")
        let before = files(under: s.root, except: s.vault)
        let t = try PseudoTerminal(s, ["shell"], env: ["LANG": "ko_KR.UTF-8"])
        t.expect("dangol> ")
        t.type("search 4321")
        t.expect("최유나")
        t.expect("dangol> ")
        // "sho 4321", five steps left, the missing "w", Enter: "show 4321".
        t.send(Array("sho 4321".utf8) + Array(repeating: PseudoTerminal.left, count: 5).flatMap { $0 } + Array("w\r".utf8))
        t.expect("⚠ 알레르기: PPD")
        t.expect("⚠ 반응 기록 2026-03-01: 따끔거림")
        t.expect("웰라 6/0 + 6% 30분")
        t.expect("80,000원")
        t.expect("dangol> ")
        // Up twice: the search again, from the history in memory.
        t.send(PseudoTerminal.up + PseudoTerminal.up + [0x0D])
        t.expect("search 4321")
        t.expect("최유나")
        t.expect("dangol> ")
        t.send(PseudoTerminal.ctrlC)  // drops the line, not the shell
        t.expect("dangol> ")
        t.type("quit")
        XCTAssertEqual(t.finish(), 0, t.screen)
        XCTAssertEqual(files(under: s.root, except: s.vault).subtracting(before).filter { !$0.hasPrefix(".out-") && !$0.hasPrefix(".err-") },
                       [], "the shell wrote a file (a history file?) in HOME")
    }

    func testTheIdleLockPutsTheTerminalBack() throws {
        let s = try Sandbox()
        try s.initVault()
        let t = try PseudoTerminal(s, ["shell", "--idle-timeout", "2s"])
        t.expect("dangol> ")
        t.type("sea")  // half a line, in raw mode, when the lock comes
        XCTAssertEqual(t.finish(), 0, t.screen)
        XCTAssertTrue(t.screen.contains("locked after 2 s"), t.screen)
        var mode = termios()
        XCTAssertEqual(tcgetattr(t.master, &mode), 0)
        XCTAssertNotEqual(mode.c_lflag & tcflag_t(ICANON), 0, "the terminal was left in raw mode")
        XCTAssertNotEqual(mode.c_lflag & tcflag_t(ECHO), 0, "the terminal was left without echo")
    }

    func testChangesFromAScriptGoThroughTheVaultOperationsAndTheAccessLog() throws {
        let s = try Sandbox()
        try s.initVault()
        let script = """
            add
            이서연
            010-12
            010-5555-6666
            02-29

            단골

            visit 6666

            커트, 뿌리염색
            웰라 7/1 + 6%
            8만5천




            consent 6666 문자=예 birthday_coupon=no
            set 6666 note=두피 예민 심함 birthday=
            show 6666
            quit

            """
        let r = try s.run(Sandbox.binary, ["shell", "--reveal"], input: script)
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.err.contains("phone: not a Korean phone number"), "the wrong answer is refused: \(r.err)")
        let out = r.out
        XCTAssertTrue(out.contains("010-5555-6666") && out.contains("85,000 won") && out.contains("웰라 7/1 + 6%"), out)
        let id = try XCTUnwrap(out.split(separator: "\n").first.map(String.init))
        let c = try JSONSerialization.jsonObject(with: Data(try s.ok("show", id, "--json", "--reveal").utf8)) as! [String: Any]
        XCTAssertEqual(c["note"] as? String, "두피 예민 심함")
        XCTAssertNil(c["birthday"], "an empty value clears the field")
        XCTAssertEqual((c["visits"] as? [[String: Any]])?.first?["price"] as? Int, 85000)
        let consents = try XCTUnwrap(c["consents"] as? [[String: Any]])
        XCTAssertEqual(consents.map { $0["purpose"] as? String }, ["marketing_sms", "birthday_coupon"])
        XCTAssertEqual(consents.map { $0["granted"] as? Bool }, [true, false])
        let log = try s.run(Sandbox.binary, ["audit", "--record", String(id.prefix(8)), "--json"])
        let actions = (try JSONSerialization.jsonObject(with: Data(log.out.utf8)) as! [[String: Any]]).map { $0["action"] as! String }
        for action in ["add", "show", "visit", "consent", "set"] {
            XCTAssertTrue(actions.contains(action), "\(action) is in the access log: \(actions)")
        }
        try s.assertWhole("after changes in the shell")
    }

    /// At the counter: four digits or a name on their own line search, and
    /// the commands have Korean names, so nobody switches keyboards.
    func testABareLineSearchesAndKoreanCommandWordsWork() throws {
        let s = try Sandbox()
        try s.initVault()
        let added = try s.run(Sandbox.binary, ["add", "--json", "-"],
                              input: #"{"name": "이서연", "phone": "010-5555-6666", "allergies": ["PPD"]}"#)
        XCTAssertEqual(added.code, 0, added.err)
        let id = added.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try s.run(Sandbox.binary, ["add", "--json", "-"], input: #"{"name": "박지훈", "phone": "010-7777-8888"}"#).code, 0)
        let script = "6666\n박지\n보기 6666\n수정 6666 note=두피 예민\n종이\n끝\nshow 8888\n"
        let r = try s.run(Sandbox.binary, ["shell"], env: ["LANG": "ko_KR.UTF-8"], input: script)
        XCTAssertEqual(r.code, 0, r.err)
        let lines = r.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix(String(id.prefix(8))) && $0.contains("이서연") }, "6666 found her: \(r.out)")
        XCTAssertTrue(r.out.contains("박지훈"), "a part of a name found him: \(r.out)")
        XCTAssertTrue(r.out.contains("⚠ 알레르기: PPD"), "보기 shows the card: \(r.out)")
        XCTAssertTrue(r.err.contains("\"종이\""), "a line that finds nobody says so: \(r.err)")
        XCTAssertEqual(r.out.components(separatedBy: "010-****-8888").count, 2, "끝 ended the shell before show 8888: \(r.out)")
        XCTAssertEqual(try s.customer(id)?["note"] as? String, "두피 예민", "수정 set the field")
    }
}
