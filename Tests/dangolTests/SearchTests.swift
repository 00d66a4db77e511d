import Foundation
import XCTest

/// `dangol search` and query resolution through the real binary.
final class SearchTests: XCTestCase {
    func testSearchOutputLimitsAndNotFound() throws {
        let s = try Sandbox()
        try s.initVault()
        let minji = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678", "--note", "두피 예민")
        try s.ok("add", "--name", "김민수", "--phone", "010-9876-5678")
        try s.ok("visit", minji, "--service", "뿌리염색", "--date", "2026-02-01")
        let json = try JSONSerialization.jsonObject(with: Data(try s.ok("search", "5678", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(json.count, 2)
        XCTAssertEqual(Set(json[0].keys), ["id", "name", "phone", "last_visit"])
        XCTAssertEqual(json.first { ($0["id"] as? String) == minji }?["phone"] as? String, "010-****-5678")
        XCTAssertEqual(json.first { ($0["id"] as? String) == minji }?["last_visit"] as? String, "2026-02-01")
        let revealed = try s.ok("search", "ㄱㅁㅈ", "--json", "--reveal")
        XCTAssertTrue(revealed.contains("010-1234-5678"))
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(try s.ok("search", "김민", "--json", "--limit", "1").utf8)) as! [Any]).count, 1)
        let table = try s.ok("search", "service:염색", "visited:>2026-01-01")
        XCTAssertTrue(table.contains("김민지") && table.contains("010-****-5678") && !table.contains("김민수"), table)
        XCTAssertTrue(try s.ok("search", "두피").contains("김민지"))
        let none = try s.dangol("search", "이영희")
        XCTAssertEqual(none.code, 4)
        XCTAssertTrue(none.err.contains("no customer matches \"이영희\""), none.err)
        XCTAssertEqual(try s.dangol("search", "colour:red").code, 2)
    }

    /// The filters by their Korean names, through the real binary: no 한/영
    /// switching in the middle of a query.
    func testKoreanFilterWords() throws {
        let s = try Sandbox()
        try s.initVault()
        let minji = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678", "--birthday", "12-03")
        // A customer since 2023 whose last visit was then, as a script hands one over.
        let added = try s.run(Sandbox.binary, ["add", "--json", "-"], input: """
            {"name": "김민수", "phone": "010-9876-5678", "created": "2023-05-01", "allergies": ["PPD"],
             "visits": [{"date": "2023-05-01", "services": ["커트"]}]}
            """)
        XCTAssertEqual(added.code, 0, added.err)
        let minsu = added.out.trimmingCharacters(in: .whitespacesAndNewlines)
        try s.ok("visit", minji, "--service", "뿌리염색", "--date", "2026-02-01")
        try s.ok("consent", minji, "문자=예")
        func ids(_ query: String) throws -> [String] {
            let out = try s.ok("search", query, "--json")
            return (try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[String: Any]]).compactMap { $0["id"] as? String }
        }
        XCTAssertEqual(try ids("서비스:염색 방문:>2026-01-01 동의:문자"), [minji])
        XCTAssertEqual(try ids("생일:12월"), [minji])
        XCTAssertEqual(try ids("알레르기:ppd"), [minsu])
        XCTAssertEqual(try ids("미방문:>2년"), [minsu])
        XCTAssertEqual(try ids("김 미방문：>1년"), [minsu], "a full-width colon counts")
        let wrong = try s.dangol("search", "색깔:빨강")
        XCTAssertEqual(wrong.code, 2)
        XCTAssertTrue(wrong.err.contains("서비스"), "the Korean filter names are listed: \(wrong.err)")
        let help = try s.ok("search", "--help")
        for word in ["service:", "서비스:", "visited:", "방문:", "inactive:", "미방문:", "birthday:", "생일:", "consent:",
                     "동의:", "allergy:", "알레르기:"] {
            XCTAssertTrue(help.contains(word), "search --help lists \(word)")
        }
    }

    func testAQueryWorksWhereAnIdDoes() throws {
        let s = try Sandbox()
        try s.initVault()
        try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        try s.ok("add", "--name", "이서연", "--phone", "010-4321-5678")
        XCTAssertTrue(try s.ok("show", "010-1234-5678").contains("김민지"))
        XCTAssertTrue(try s.ok("show", "ㅇㅅㅇ").contains("이서연"))
        let ambiguous = try s.dangol("show", "5678")
        XCTAssertEqual(ambiguous.code, 2)
        XCTAssertTrue(ambiguous.err.contains("김민지") && ambiguous.err.contains("이서연"), "candidates listed: \(ambiguous.err)")
        XCTAssertTrue(ambiguous.err.contains("matches 2 customers"), ambiguous.err)
    }

    func testACorruptedRecordFileDoesNotHideTheOthers() throws {
        let s = try Sandbox()
        try s.initVault()
        let bad = try s.ok("add", "--name", "망가진", "--phone", "010-1111-5678")
        try s.ok("add", "--name", "멀쩡한", "--phone", "010-2222-5678")
        let path = "records/\(bad.prefix(2))/\(bad.dropFirst(2).prefix(2))/\(bad).rec"
        var bytes = [UInt8](FileManager.default.contents(atPath: s.vault + "/" + path)!)
        bytes[80] ^= 0xFF
        XCTAssertTrue(FileManager.default.createFile(atPath: s.vault + "/" + path, contents: Data(bytes)))
        XCTAssertEqual(try s.git("-c", "user.name=x", "-c", "user.email=x@y", "commit", "-qam", "damage").code, 0)
        // Committed outside dangol: the owner accepts it first.
        try s.ok("accept", try s.head())
        let r = try s.dangol("search", "5678")
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("멀쩡한"))
        XCTAssertTrue(r.err.contains(path), "the bad file is named: \(r.err)")
    }

    func testShellKeepsTheIndexAndLocksWhenIdle() throws {
        let s = try Sandbox()
        try s.initVault()
        try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        // Lines from a pipe: search, show, then end of input.
        let piped = try s.run("/bin/sh", ["-c", "printf 'search 5678\\nshow ㄱㅁㅈ\\nbogus\\nquit\\n' | \(Sandbox.binary) shell"])
        XCTAssertEqual(piped.code, 0, piped.err)
        XCTAssertTrue(piped.out.contains("김민지") && piped.out.contains("010-****-5678"), piped.out)
        // A line that names no command is a search (ShellTests).
        XCTAssertTrue(piped.err.contains("no customer matches \"bogus\""), piped.err)
        // No input for longer than the idle timeout: the shell locks itself,
        // though its input is still open.
        let started = Date()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Sandbox.binary)
        p.arguments = ["shell", "--idle-timeout", "1s"]
        p.environment = s.env
        let input = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = errors
        try p.run()
        p.waitUntilExit()
        let idleErr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertTrue(idleErr.contains("locked after 1 s without input"), idleErr)
        try input.fileHandleForWriting.close()
        XCTAssertLessThan(Date().timeIntervalSince(started), 25, "the shell did not wait for its input to end")
    }
}
