import Foundation
import XCTest

/// The reader's language (LC_ALL, LC_MESSAGES, LANG) and time zone (TZ):
/// the same failure with the same exit code in Korean and in English, the
/// `dangol: error:` shape kept; times shown in local time, one formatter
/// for tables and JSON.
final class LanguageTests: XCTestCase {
    static let korean = ["LANG": "ko_KR.UTF-8"]
    static let english = ["LANG": "C.UTF-8"]

    /// The output without the warning every unlock of a `--kdf-level test`
    /// vault gives (in either language): the rest is what is compared.
    static func withoutTestVaultWarning(_ o: Sandbox.Output) -> Sandbox.Output {
        let kept = o.err.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !(line.hasPrefix("dangol: warning: ") && line.contains("--kdf-level test"))
        }
        return Sandbox.Output(code: o.code, out: o.out, err: kept.joined(separator: "\n"))
    }

    func both(_ s: Sandbox, _ args: String..., env: [String: String] = [:]) throws -> (ko: Sandbox.Output, en: Sandbox.Output) {
        let ko = Self.withoutTestVaultWarning(try s.run(Sandbox.binary, args, env: env.merging(Self.korean) { $1 }))
        let en = Self.withoutTestVaultWarning(try s.run(Sandbox.binary, args, env: env.merging(Self.english) { $1 }))
        XCTAssertEqual(ko.code, en.code, "\(args): one exit code in both languages")
        for line in (ko.err + en.err).split(separator: "\n") {
            XCTAssertTrue(line.hasPrefix("dangol: error: ") || line.hasPrefix("dangol: hint: "), "\(args): \(line)")
        }
        return (ko, en)
    }

    func testTheSameFailureInBothLanguages() throws {
        let s = try Sandbox()
        let noVault = try both(s, "list")
        XCTAssertEqual(noVault.ko.code, 4)
        XCTAssertTrue(noVault.ko.err.contains("에 금고가 없습니다: 그런 폴더가 없습니다"), noVault.ko.err)
        XCTAssertTrue(noVault.ko.err.contains("dangol: hint: --vault 경로나 DANGOL_VAULT로"), noVault.ko.err)
        XCTAssertTrue(noVault.en.err.contains("no vault at"), noVault.en.err)

        try s.initVault()
        let id = try s.ok("add", "--name", "이하은", "--phone", "010-3333-4444")

        let missing = try both(s, "show", "ffffffffffff")
        XCTAssertEqual(missing.ko.code, 4)
        XCTAssertEqual(missing.ko.err, "dangol: error: \"ffffffffffff\"에 맞는 고객이 없습니다\n")
        XCTAssertEqual(missing.en.err, "dangol: error: no customer matches \"ffffffffffff\"\n")

        let wrong = try both(s, "list", env: ["DANGOL_PASSPHRASE_FILE": "", "DANGOL_PASSPHRASE": "not the right one at all"])
        XCTAssertEqual(wrong.ko.code, 3)
        XCTAssertTrue(wrong.ko.err.hasPrefix("dangol: error: 암호가 틀렸습니다"), wrong.ko.err)
        XCTAssertTrue(wrong.ko.err.contains("dangol: hint: $DANGOL_PASSPHRASE_FILE"), wrong.ko.err)
        XCTAssertTrue(wrong.en.err.hasPrefix("dangol: error: wrong passphrase"), wrong.en.err)

        let invalid = try both(s, "set", id, "phone=12345")
        XCTAssertEqual(invalid.ko.code, 8)
        XCTAssertEqual(invalid.ko.err, "dangol: error: 잘못된 기록입니다: phone: 한국 전화번호가 아닙니다 (예: 010-1234-5678)\n")
        XCTAssertEqual(invalid.en.err, "dangol: error: invalid record: phone: not a Korean phone number (like 010-1234-5678)\n")

        let query = try both(s, "search", "visited:어제")
        XCTAssertEqual(query.ko.code, 2)
        XCTAssertTrue(query.ko.err.contains("날짜가 아닙니다"), query.ko.err)

        // Argument mistakes too, the library's own sentences included.
        let month = try both(s, "birthdays", "--month", "13")
        XCTAssertEqual(month.ko.code, 2)
        XCTAssertTrue(month.ko.err.hasPrefix("dangol: error: --month에는 1부터 12까지 쓰세요\ndangol: hint: 사용법: dangol birthdays"),
                      month.ko.err)
        let unknown = try both(s, "list", "--bogus")
        XCTAssertTrue(unknown.ko.err.hasPrefix("dangol: error: --bogus은(는) 없는 옵션입니다"), unknown.ko.err)
        XCTAssertTrue(unknown.en.err.hasPrefix("dangol: error: unknown option --bogus"), unknown.en.err)

        // LC_ALL wins over LANG, as POSIX orders them.
        let overridden = Self.withoutTestVaultWarning(
            try s.dangol("show", "ffffffffffff", env: ["LANG": "ko_KR.UTF-8", "LC_ALL": "C.UTF-8"]))
        XCTAssertEqual(overridden.err, missing.en.err)
    }

    func testTablesNotesAndHelpInBothLanguages() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "이하은", "--phone", "010-3333-4444")
        try s.ok("visit", id, "--service", "커트", "--price", "20000")
        let ko = try s.dangol("show", id, env: Self.korean).out
        XCTAssertTrue(ko.contains("전화번호") && ko.contains("방문 1회") && ko.contains("20,000원"), ko)
        let en = try s.dangol("show", id, env: Self.english).out
        XCTAssertTrue(en.contains("phone") && en.contains("1 visit") && en.contains("20,000 won"), en)
        XCTAssertTrue(try s.dangol("list", env: Self.korean).out.contains("고객 1명"))
        XCTAssertTrue(try s.dangol("list", env: Self.english).out.contains("1 customer"))
        let note = Self.withoutTestVaultWarning(try s.dangol("set", id, "phone=010-3333-4444", env: Self.korean))
        XCTAssertEqual(note.code, 0)
        XCTAssertTrue(note.err.hasPrefix("dangol: note: 바뀐 것이 없어"), note.err)
        let help = try s.dangol("add", "--help", env: Self.korean).out
        XCTAssertTrue(help.contains("고객을 추가하고 새 번호를 출력합니다") && help.contains("고객이 알려 준 이름"), help)
        XCTAssertTrue(try s.dangol("add", "--help", env: Self.english).out.contains("Add a customer; prints the new id"))
        let top = try s.dangol("--help", env: Self.korean).out
        XCTAssertTrue(top.contains("종료 코드") && top.contains("암호가 틀림"), top)
        // Data stays data: the JSON is the same in both languages but for the words of a summary.
        XCTAssertEqual(try s.dangol("show", id, "--json", env: Self.korean).out,
                       try s.dangol("show", id, "--json", env: Self.english).out)
    }

    /// One access-log entry and one commit, read in Seoul and in New York:
    /// the same instant, each reader's wall clock, the offset in the JSON.
    func testTimesAreLocal() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "이하은", "--phone", "010-3333-4444")
        let seoul = ["TZ": "Asia/Seoul"], newYork = ["TZ": "America/New_York"]

        func first(_ json: String) throws -> [String: Any] {
            try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])?.first)
        }
        func wallClock(_ iso: String, seconds: Bool) -> String {
            String(iso.prefix(seconds ? 19 : 16)).replacingOccurrences(of: "T", with: " ")
        }
        let inSeoul = try first(try s.dangol("audit", "--json", env: seoul).out)["time"] as! String
        let inNewYork = try first(try s.dangol("audit", "--json", env: newYork).out)["time"] as! String
        XCTAssertTrue(inSeoul.hasSuffix("+09:00"), inSeoul)
        XCTAssertTrue(inNewYork.hasSuffix("-05:00") || inNewYork.hasSuffix("-04:00"), inNewYork)
        let iso = ISO8601DateFormatter()
        XCTAssertEqual(iso.date(from: inSeoul), iso.date(from: inNewYork), "one instant")
        XCTAssertNotEqual(wallClock(inSeoul, seconds: true), wallClock(inNewYork, seconds: true))
        XCTAssertTrue(try s.dangol("audit", env: seoul).out.contains(wallClock(inSeoul, seconds: true)))
        XCTAssertTrue(try s.dangol("audit", env: newYork).out.contains(wallClock(inNewYork, seconds: true)))

        let logSeoul = try first(try s.dangol("log", "--json", env: seoul).out)
        let logNewYork = try first(try s.dangol("log", "--json", env: newYork).out)
        XCTAssertTrue((logSeoul["time"] as! String).hasSuffix("+09:00"))
        XCTAssertEqual(logSeoul["date"] as? String, logSeoul["time"] as? String, "log's contract key says the same")
        XCTAssertTrue(try s.dangol("log", env: seoul).out.contains(wallClock(logSeoul["time"] as! String, seconds: false)))
        XCTAssertTrue(try s.dangol("log", env: newYork).out.contains(wallClock(logNewYork["time"] as! String, seconds: false)))

        let blame = try first(try s.dangol("blame", id, "--json", env: seoul).out)
        XCTAssertTrue((blame["time"] as! String).hasSuffix("+09:00"))
        XCTAssertTrue(try s.dangol("blame", id, env: seoul).out.contains(wallClock(blame["time"] as! String, seconds: false)))
    }
}
