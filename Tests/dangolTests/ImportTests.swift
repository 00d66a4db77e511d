import DangolSynth
import Foundation
import XCTest

/// Importing an old salon program's export: CSV in UTF-8 with a BOM or in
/// CP949, JSONL; all rows or none, in one commit.
final class ImportEndToEndTests: XCTestCase {
    /// Generated customers as CSV rows (never real people).
    func rows(_ n: Int, seed: UInt64) -> [String] {
        var salon = SyntheticSalon(seed: seed)
        return (0..<n).map { _ in
            let c = salon.customer()
            return "\(c.name),\(c.phone ?? ""),\(c.birthday?.replacingOccurrences(of: "-", with: ".") ?? ""),\"\(c.note ?? "")\""
        }
    }

    func write(_ s: Sandbox, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = s.root + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    func listCount(_ s: Sandbox) throws -> Int {
        (try JSONSerialization.jsonObject(with: Data(try s.ok("list", "--json").utf8)) as! [Any]).count
    }

    func testBOMAndCP949FilesImportInOneCommitEach() throws {
        let s = try Sandbox()
        try s.initVault()
        let utf8 = "이름,휴대폰,생년월일,메모\n" + rows(40, seed: 1).joined(separator: "\n") + "\n"
        let bom = try write(s, "bom.csv", [0xEF, 0xBB, 0xBF] + Array(utf8.utf8))
        var before = try s.commitCount()
        let r = try s.dangol("import", bom)
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("imported 40 customers"), r.out)
        XCTAssertEqual(try s.commitCount(), before + 1, "one commit for the whole import")
        XCTAssertEqual(try listCount(s), 40)

        // CP949 bytes made by glibc's iconv, as an old Windows program would write them.
        let korean = "성명,연락처,생일,비고\n" + rows(25, seed: 2).joined(separator: "\r\n") + "\r\n"
        let utf8Path = try write(s, "cp949-source.csv", Array(korean.utf8))
        let conv = try s.run("/usr/bin/iconv", ["-f", "UTF-8", "-t", "CP949", "-o", s.root + "/cp949.csv", utf8Path])
        XCTAssertEqual(conv.code, 0, conv.err)
        let asUTF8 = try s.dangol("import", s.root + "/cp949.csv")
        XCTAssertEqual(asUTF8.code, 8, "CP949 read as UTF-8 is refused")
        XCTAssertTrue(asUTF8.err.contains("--encoding cp949"), asUTF8.err)
        before = try s.commitCount()
        let ok = try s.dangol("import", s.root + "/cp949.csv", "--encoding", "cp949")
        XCTAssertEqual(ok.code, 0, ok.err)
        XCTAssertEqual(try s.commitCount(), before + 1)
        XCTAssertEqual(try listCount(s), 65)
        let first = korean.split(separator: "\n")[1].split(separator: ",")[0]
        XCTAssertTrue(try s.ok("list").contains(String(first)), "names decoded from CP949")
    }

    func testOneBadRowStopsTheImportUnlessSkipBad() throws {
        let s = try Sandbox()
        try s.initVault()
        var lines = ["name,phone,birthday,note"] + rows(6, seed: 3)
        lines[3] = "나쁜행,12345,,"
        lines[5] = "주민번호,010-5555-6666,,\"900314-2345678\""
        let path = try write(s, "bad.csv", Array((lines.joined(separator: "\n") + "\n").utf8))
        let before = try s.commitCount()
        let r = try s.dangol("import", path)
        XCTAssertEqual(r.code, 8)
        XCTAssertTrue(r.err.contains("line 4: phone: not a Korean phone number"), r.err)
        XCTAssertTrue(r.err.contains("line 6: note: looks like a resident registration number"), r.err)
        XCTAssertTrue(r.err.contains("nothing was imported"), r.err)
        XCTAssertFalse(r.err.contains("나쁜행") || r.err.contains("2345678"), "no personal data in the report")
        XCTAssertEqual(try s.commitCount(), before)
        let skip = try s.dangol("import", path, "--skip-bad")
        XCTAssertEqual(skip.code, 0, skip.err)
        XCTAssertTrue(skip.out.contains("imported 4 customers (2 skipped)"), skip.out)
        XCTAssertEqual(try listCount(s), 4)
    }

    func testUnknownColumnsAndJSONL() throws {
        let s = try Sandbox()
        try s.initVault()
        let extra = try write(s, "extra.csv", Array("이름,휴대폰,등급\n가나다,010-1111-2222,VIP\n".utf8))
        let refused = try s.dangol("import", extra)
        XCTAssertEqual(refused.code, 8)
        XCTAssertTrue(refused.err.contains("column \"등급\" matches no field"), refused.err)
        XCTAssertEqual(try s.dangol("import", extra, "--map", "등급=-").code, 0)
        let jsonl = try write(s, "c.jsonl", Array("""
            {"name": "제이슨", "phone": "010-2222-3333", "visits": [{"date": "2026-01-02", "services": ["커트"]}]}

            {"name": "엘", "email": "l@example.com"}
            """.utf8))
        let j = try s.dangol("import", jsonl)
        XCTAssertEqual(j.code, 0, j.err)
        XCTAssertTrue(j.out.contains("imported 2 customers"), j.out)
        XCTAssertEqual(try listCount(s), 3)
    }
}
