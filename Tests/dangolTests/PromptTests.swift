import Foundation
import XCTest

/// `dangol add` and `dangol visit` without field flags ask at the terminal,
/// through a real pseudo-terminal; `--json -` reads standard input; and
/// nothing a person types reaches any process's arguments.
final class PromptTests: XCTestCase {
    static let hexID = try! NSRegularExpression(pattern: "[0-9a-f]{32}")  // swift-format-ignore: a constant, valid pattern

    func newID(in text: String) -> String? {
        Self.hexID.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            .flatMap { Range($0.range, in: text) }.map { String(text[$0]) }
    }

    func revealed(_ s: Sandbox, _ id: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try s.ok("show", id, "--json", "--reveal").utf8)) as! [String: Any]
    }

    /// Every process's arguments, as another user of the machine reads them.
    func everyCommandLine() -> [String] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { $0.allSatisfy(\.isNumber) }
        return pids.compactMap { pid in
            FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map {
                String(decoding: $0.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            }
        }
    }

    func testAddAsksInKoreanAsksAgainAfterAWrongAnswerAndKeepsAnswersOutOfArgv() throws {
        let s = try Sandbox()
        try s.initVault()
        let t = try PseudoTerminal(s, ["add"], env: ["LANG": "ko_KR.UTF-8"])
        t.expect("새 고객을 등록합니다")
        t.expect("이름: ")
        t.type("최유나")
        t.expect("휴대폰 번호")
        t.type("010-12")
        t.expect("다시 입력해 주세요")
        t.expect("휴대폰 번호")
        t.type("010-8765-4321")
        t.expect("생일")
        // dangol is waiting at the birthday question, with a name and a phone
        // number in its memory: seen from outside, no process shows them.
        let lines = everyCommandLine()
        XCTAssertTrue(lines.contains { $0.contains(Sandbox.binary + " add") }, "dangol add is among the processes seen")
        for typed in ["최유나", "010-8765-4321", "87654321"] {
            XCTAssertFalse(lines.contains { $0.contains(typed) }, "\(typed) is in a process's arguments")
        }
        let ps = try s.run("/bin/ps", ["-eo", "args"])
        XCTAssertTrue(ps.out.contains("dangol") && !ps.out.contains("최유나") && !ps.out.contains("8765"), ps.out)
        t.type("02-30")
        t.expect("다시 입력해 주세요")
        t.type("1991-07-30")
        t.expect("dangol schema extend birthday_year")
        t.type("7월 30일")
        t.expect("알레르기")
        t.type("PPD, 니켈")
        t.expect("메모")
        t.type("")
        t.expect("저장할까요?")
        t.type("")
        XCTAssertEqual(t.finish(), 0, t.screen)
        let id = try XCTUnwrap(newID(in: t.screen), t.screen)
        let c = try revealed(s, id)
        XCTAssertEqual(c["name"] as? String, "최유나")
        XCTAssertEqual(c["phone"] as? String, "010-8765-4321")
        XCTAssertEqual(c["birthday"] as? String, "07-30")
        XCTAssertEqual(c["allergies"] as? [String], ["PPD", "니켈"])
        XCTAssertNil(c["note"])
        try s.assertWhole("after an add through the questions")
    }

    func testAPhoneAnotherCustomerHasIsPointedOutAndAnAnswerCanBeChanged() throws {
        let s = try Sandbox()
        try s.initVault()
        let first = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        let t = try PseudoTerminal(s, ["add"])
        t.expect("Name: ")
        t.type("김민정")
        t.expect("Phone")
        t.type("01012345678")
        t.expect("already belongs to customer \(first.prefix(8))")
        t.expect("anyway? (y/N)")
        t.type("n")
        t.expect("Phone")
        t.type("010-1111-2222")
        for _ in 0..<3 {  // birthday, allergies, note
            t.expect("Enter if none")
            t.type("")
        }
        t.expect("Save?")
        t.type("2")
        t.expect("Phone")
        t.type("010-3333-4444")
        t.expect("Save?")
        t.type("")
        XCTAssertEqual(t.finish(), 0, t.screen)
        let id = try XCTUnwrap(newID(in: t.screen.components(separatedBy: "Save?").last ?? ""), t.screen)
        XCTAssertEqual(try revealed(s, id)["phone"] as? String, "010-3333-4444")
        XCTAssertEqual(try s.customerCount(), 2)
    }

    func testVisitShowsAllergiesFirstAndChecksEachAnswer() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        try s.ok("set", id, "allergies=PPD")
        try s.ok("visit", id, "--service", "염색", "--formula", "웰라 7/0 + 6%", "--date", "2026-01-05")
        let t = try PseudoTerminal(s, ["visit", "4321"])
        t.expect("⚠ allergies: PPD")
        t.expect("last visit 2026-01-05: 염색 · 웰라 7/0 + 6%")
        t.expect("Date of the visit")
        t.type("")
        t.expect("Services")
        t.type("")
        t.expect("services is needed")
        t.type("커트, 뿌리염색")
        t.expect("Colour formula")
        t.type("웰라 6/0 + 6% 30분")
        t.expect("Price")
        t.type("팔만")
        t.expect("write the price in won")
        t.type("8만5천원")
        for _ in 0..<2 {  // reaction, note
            t.expect("Enter if none")
            t.type("")
        }
        t.expect("Stylist (Enter: 원장)")
        t.type("")
        t.expect("Save?")
        t.type("")
        XCTAssertEqual(t.finish(), 0, t.screen)
        let visits = try XCTUnwrap(try revealed(s, id)["visits"] as? [[String: Any]])
        XCTAssertEqual(visits.count, 2)
        let v = visits[1]
        XCTAssertEqual(v["services"] as? [String], ["커트", "뿌리염색"])
        XCTAssertEqual(v["price"] as? Int, 85000)
        XCTAssertEqual(v["stylist"] as? String, "원장")
        XCTAssertEqual(v["formula"] as? String, "웰라 6/0 + 6% 30분")
        XCTAssertEqual((v["date"] as? String)?.count, 10)
    }

    func testSetAsksForTheValuesOfFieldsNamedWithoutOne() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321", "--note", "예전 메모")
        let t = try PseudoTerminal(s, ["set", id, "phone", "note", "birthday=07-30"])
        t.expect("New phone")
        t.type("12")
        t.expect("please try again")
        t.type("010-2222-3333")
        t.expect("New note")
        t.type("두피 예민")
        XCTAssertEqual(t.finish(), 0, t.screen)
        let c = try revealed(s, id)
        XCTAssertEqual(c["phone"] as? String, "010-2222-3333")
        XCTAssertEqual(c["note"] as? String, "두피 예민")
        XCTAssertEqual(c["birthday"] as? String, "07-30")
        XCTAssertEqual(try s.run("/usr/bin/setsid", ["--wait", Sandbox.binary, "set", id, "note"]).code, 2,
                       "no terminal to ask on")
    }

    func testCtrlCAtAQuestionSavesNothing() throws {
        let s = try Sandbox()
        try s.initVault()
        let before = try s.commitCount()
        let t = try PseudoTerminal(s, ["add"])
        t.expect("Name: ")
        t.type("최유나")
        t.expect("Phone")
        t.send(PseudoTerminal.ctrlC)
        XCTAssertEqual(t.finish(), 130, t.screen)
        XCTAssertTrue(t.screen.contains("cancelled; nothing saved"), t.screen)
        XCTAssertEqual(try s.commitCount(), before)
        XCTAssertEqual(try s.customerCount(), 0)
    }

    func testWithoutATerminalTheCommandSaysHowElseToGiveTheData() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        // setsid: a session with no controlling terminal, as under cron or CI.
        for args in [["add"], ["visit", id]] {
            let r = try s.run("/usr/bin/setsid", ["--wait", Sandbox.binary] + args)
            XCTAssertEqual(r.code, 2, r.err)
            XCTAssertTrue(r.err.contains("no terminal to ask on") && r.err.contains("--json -"), r.err)
        }
        XCTAssertEqual(try s.customerCount(), 1)
    }

    func testJSONOnStandardInputIsCheckedLikeEveryWrite() throws {
        let s = try Sandbox()
        try s.initVault()
        let add = try s.run(Sandbox.binary, ["add", "--json", "-"],
                            input: #"{"name": "최유나", "phone": "01087654321", "allergies": ["PPD"]}"#)
        XCTAssertEqual(add.code, 0, add.err)
        let id = add.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try revealed(s, id)["phone"] as? String, "010-8765-4321")
        let refused = [
            #"{"name": "주민", "phone": "010-1111-2222", "note": "900314-2345678"}"#,
            #"{"name": "취미", "phone": "010-1111-2222", "hobby": "골프"}"#,
            #"{"name": "전화", "phone": "12"}"#,
            "not json",
        ]
        for input in refused {
            let r = try s.run(Sandbox.binary, ["add", "--json", "-"], input: input)
            XCTAssertEqual(r.code, 8, "\(input): \(r.err)")
        }
        XCTAssertEqual(try s.dangol("add", "--json", s.root + "/customer.json").code, 2, "only standard input")
        XCTAssertEqual(try s.customerCount(), 1)

        let visit = try s.run(Sandbox.binary, ["visit", id, "--json", "-"],
                              input: #"{"services": ["커트"], "price": 30000, "reaction": "따끔거림"}"#)
        XCTAssertEqual(visit.code, 0, visit.err)
        let v = try XCTUnwrap((try revealed(s, id)["visits"] as? [[String: Any]])?.first)
        XCTAssertEqual(v["stylist"] as? String, "원장", "the stylist defaults to whoever unlocked")
        XCTAssertEqual(v["price"] as? Int, 30000)
        XCTAssertEqual((v["date"] as? String)?.count, 10, "the date defaults to today")
        for input in [#"{"services": ["커트"], "price": "비쌈"}"#, #"{"services": ["커트"], "mood": "좋음"}"#,
                      #"{"date": "2026-02-30", "services": ["커트"]}"#, "[]"] {
            let r = try s.run(Sandbox.binary, ["visit", id, "--json", "-"], input: input)
            XCTAssertEqual(r.code, 8, "\(input): \(r.err)")
        }
        let wrongKey = try s.run(Sandbox.binary, ["visit", id, "--json", "-"], input: #"{"services": ["커트"], "mood": "좋음"}"#)
        XCTAssertTrue(wrongKey.err.contains("mood"), "the problem is named by the visit's own key: \(wrongKey.err)")
        XCTAssertEqual((try revealed(s, id)["visits"] as? [Any])?.count, 1)
    }
}
