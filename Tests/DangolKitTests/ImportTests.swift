@testable import DangolKit
import XCTest

/// The CSV reader, header mapping, birthday formats and encodings.
final class ImportTests: XCTestCase {
    func testCSVFollowsRFC4180() throws {
        let rows = try CSV.parse("이름,메모\r\n김민지,\"두피, 예민\"\r\n\"박\"\"서연\",\"두 줄\n메모\"\n\n이하은,\n")
        XCTAssertEqual(rows.map(\.fields), [["이름", "메모"], ["김민지", "두피, 예민"], ["박\"서연", "두 줄\n메모"], ["이하은", ""]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 3, 6], "a row keeps the line it starts on")
        XCTAssertThrowsError(try CSV.parse("a,b\n\"open,x\n")) { XCTAssertEqual(($0 as? CSV.ParseError)?.line, 2) }
        XCTAssertEqual(try CSV.parse("a,b").map(\.fields), [["a", "b"]], "no final newline")
    }

    func testHeadersMapToFieldsOrStopTheImport() throws {
        let map = try ColumnMap(headers: ["이름", "휴대폰", "생년월일", "비고", "알레르기", "등급"],
                                overrides: ["등급": "-"], extraFields: [])
        XCTAssertEqual(map.columns, ["name", "phone", "birthday", "note", "allergies", nil])
        let c = map.customer(["김민지", "01012345678", "1990.3.14", "메모", "PPD; 니켈", "VIP"], today: "2026-11-25")
        XCTAssertEqual(c.birthday, "1990-03-14")
        XCTAssertEqual(c.allergies, ["PPD", "니켈"])
        XCTAssertThrowsError(try ColumnMap(headers: ["이름", "등급"], overrides: [:], extraFields: [])) {
            XCTAssertTrue("\($0)".contains("column \"등급\" matches no field"), "\($0)")
        }
        XCTAssertEqual(try ColumnMap(headers: ["이름", "추천인"], overrides: [:], extraFields: ["추천인"]).columns, ["name", "추천인"])
        XCTAssertEqual(try ColumnMap(headers: ["고객", "번호"], overrides: try ColumnMap.parseOverrides("고객=name,번호=phone"),
                                     extraFields: []).columns, ["name", "phone"])
        for (raw, want) in [("19900314", "1990-03-14"), ("1990/03/14", "1990-03-14"), ("1990-3-4", "1990-03-04"), ("3월", "3월")] {
            XCTAssertEqual(ColumnMap.date(raw), want)
        }
        for (raw, want) in [("3/14", "03-14"), ("0314", "03-14"), ("3월 14일", "03-14"), ("1990.3.14", "1990-03-14"),
                            ("12-25", "12-25"), ("봄", "봄")] {
            XCTAssertEqual(Birthday.normalized(raw), want, raw)
        }
    }

    func testEncodings() throws {
        XCTAssertEqual(try TextEncoding.utf8.decode([0xEF, 0xBB, 0xBF] + Array("이름".utf8)), "이름")
        // "김민지" in CP949 (EUC-KR): B1E8 B9CE C1F6.
        XCTAssertEqual(try TextEncoding.cp949.decode([0xB1, 0xE8, 0xB9, 0xCE, 0xC1, 0xF6]), "김민지")
        XCTAssertThrowsError(try TextEncoding.utf8.decode([0xB1, 0xE8]))
        XCTAssertThrowsError(try TextEncoding.cp949.decode([0xFF, 0xFF, 0xFF]))
    }
}
