import Foundation
import XCTest

@testable import DangolKit

/// Calendar dates as strict YYYY-MM-DD.
final class DatesTests: XCTestCase {
    func testLeapYears() {
        XCTAssertTrue(Dates.isValid("2024-02-29"))
        XCTAssertFalse(Dates.isValid("2023-02-29"))
        XCTAssertTrue(Dates.isValid("2000-02-29"))
        XCTAssertFalse(Dates.isValid("1900-02-29"))
    }

    func testOutOfRangeFields() {
        XCTAssertFalse(Dates.isValid("2026-13-01"))
        XCTAssertFalse(Dates.isValid("2026-00-10"))
        XCTAssertFalse(Dates.isValid("2026-04-31"))
        XCTAssertFalse(Dates.isValid("2026-01-32"))
        XCTAssertFalse(Dates.isValid("2026-01-00"))
        XCTAssertTrue(Dates.isValid("2026-12-31"))
    }

    func testOnlyTheStrictForm() {
        for bad in [
            "2026-1-01", "2026-01-1", "26-01-01", "2026/01/01", "20260101", "2026-01-0x", "2026-01-01 ",
            "+026-01-01", "２０２６-01-01", "",
        ] {
            XCTAssertFalse(Dates.isValid(bad), bad)
        }
    }

    func testFormatAndParseAgree() throws {
        let d = try XCTUnwrap(Dates.parse("2026-03-14"))
        XCTAssertEqual(Dates.format(d), "2026-03-14")
        XCTAssertNil(Dates.parse("2026-02-30"))
        XCTAssertTrue(Dates.isValid(Dates.today()))
    }
}
