import XCTest

@testable import DangolKit

/// Schema.decode: required fields, types, dates, minimal collection and the
/// resident-number refusal, each failure naming the path inside the document.
final class SchemaTests: XCTestCase {
    func decode(_ json: String, extra: Set<String> = []) throws -> Customer {
        try Schema.decode(Array(json.utf8), extraFields: extra, today: "2026-11-25")
    }

    func failure(_ json: String, extra: Set<String> = []) -> ValidationFailure? {
        do {
            _ = try decode(json, extra: extra)
            return nil
        } catch { return error as? ValidationFailure }
    }

    func testAValidDocument() throws {
        let c = try decode(
            #"""
            {"name": " 김민지 ", "phone": "01012345678", "birthday": "1990-03-14", "note": "두피 예민",
             "allergies": ["PPD"], "created": "2026-01-02",
             "visits": [{"date": "2026-11-01", "services": ["염색", "커트"], "formula": "7N + 6% 1:1", "price": 80000}],
             "consents": [{"purpose": "birthday_coupon", "granted": true, "date": "2026-01-02", "text_version": "ko-1"}]}
            """#)
        XCTAssertEqual(c.name, "김민지")
        XCTAssertEqual(c.phone, "010-1234-5678")
        XCTAssertEqual(c.birthday, "1990-03-14")
        XCTAssertEqual(c.allergies, ["PPD"])
        XCTAssertEqual(c.created, "2026-01-02")
        XCTAssertEqual(
            c.visits, [Visit(date: "2026-11-01", services: ["염색", "커트"], formula: "7N + 6% 1:1", price: 80000)])
        XCTAssertTrue(c.consents(to: "birthday_coupon"))
        XCTAssertEqual(
            try decode(#"{"name": "가", "phone": "010-1234-5678"}"#).created, "2026-11-25", "created defaults to today")
    }

    func testMissingNameNamesThePath() {
        XCTAssertEqual(failure(#"{"phone": "010-1234-5678"}"#)?.path, "name")
        XCTAssertEqual(failure(#"{"name": "  ", "phone": "010-1234-5678"}"#)?.path, "name")
    }

    func testUnknownTopLevelKeysAreRefusedByName() {
        let f = failure(#"{"name": "가", "phone": "010-1234-5678", "instagram": "x"}"#)
        XCTAssertEqual(f?.path, "instagram")
        XCTAssertTrue(f?.description.contains("instagram") ?? false)
        XCTAssertTrue(f?.problem.text(.en).contains("not a field of the schema") ?? false, f?.problem.text(.en) ?? "")
        XCTAssertNil(
            failure(#"{"name": "가", "phone": "010-1234-5678", "instagram": "x"}"#, extra: ["instagram"]),
            "unless the schema was extended on purpose")
        XCTAssertEqual(
            failure(
                #"{"name": "가", "phone": "010-1234-5678", "visits": [{"date": "2026-11-01", "services": ["펌"], "tip": 1}]}"#
            )?.path,
            "visits[0].tip")
    }

    func testAnInvalidVisitDateNamesItsIndex() {
        let f = failure(
            #"{"name": "가", "phone": "010-1234-5678", "visits": [{"date": "2026-11-01", "services": ["펌"]}, {"date": "2026-13-01", "services": ["펌"]}]}"#
        )
        XCTAssertEqual(f?.path, "visits[1].date")
        XCTAssertTrue(f?.problem.text(.en).contains("not a date") ?? false, f?.problem.text(.en) ?? "")
        XCTAssertEqual(f?.message.text(.en), #"visits[1].date: not a date ("2026-13-01")"#)
    }

    func testWrongTypes() {
        XCTAssertEqual(
            failure(
                #"{"name": "가", "phone": "010-1234-5678", "visits": [{"date": "2026-11-01", "services": ["펌"], "price": "많이"}]}"#
            )?.path,
            "visits[0].price")
        XCTAssertEqual(
            failure(
                #"{"name": "가", "phone": "010-1234-5678", "visits": [{"date": "2026-11-01", "services": ["펌"], "price": true}]}"#
            )?.path,
            "visits[0].price")
        XCTAssertEqual(failure(#"{"name": 7, "phone": "010-1234-5678"}"#)?.path, "name")
        XCTAssertEqual(failure(#"{"name": "가", "phone": "010-1234-5678", "allergies": "PPD"}"#)?.path, "allergies")
        XCTAssertEqual(failure(#"{"name": "가", "phone": "010-1234-5678", "visits": {}}"#)?.path, "visits")
        XCTAssertEqual(failure(#"{"name": "가", "phone": "010-9"}"#)?.path, "phone")
        XCTAssertEqual(failure(#"{"name": "가", "phone": "010-1234-5678", "birthday": "2030-01-01"}"#)?.path, "birthday")
        XCTAssertEqual(failure("not json")?.problem.text(.en), "not valid JSON")
        XCTAssertEqual(failure("[]")?.path, "")
    }

    func testAPhoneOrAnEmailIsRequired() {
        XCTAssertNil(failure(#"{"name": "가", "phone": "010-1234-5678"}"#), "a phone without an email")
        XCTAssertNil(failure(#"{"name": "가", "email": "a@b.kr"}"#), "an email without a phone")
        let neither = failure(#"{"name": "가"}"#)
        XCTAssertEqual(neither?.path, "phone")
        XCTAssertTrue(neither?.problem.text(.en).contains("phone number or an email") ?? false, neither?.problem.text(.en) ?? "")
        XCTAssertEqual(failure(#"{"name": "가", "phone": "", "email": ""}"#)?.path, "phone", "blank counts as missing")
    }

    func testResidentRegistrationNumbersAreRefused() {
        let f = failure(#"{"name": "가", "phone": "010-1234-5678", "note": "주민번호 900314-2345678"}"#)
        XCTAssertEqual(f?.path, "note")
        XCTAssertTrue(f?.problem.text(.en).contains("주민등록번호") ?? false, f?.problem.text(.en) ?? "")
        XCTAssertFalse(f?.description.contains("2345678") ?? true, "the number itself is not echoed")
        XCTAssertEqual(
            failure(
                #"{"name": "가", "phone": "010-1234-5678", "visits": [{"date": "2026-11-01", "services": ["펌"], "note": "9003142345678"}]}"#
            )?.path,
            "visits[0].note")
        XCTAssertTrue(ResidentNumber.contains("900314 2345678"))
        XCTAssertFalse(ResidentNumber.contains("010-1234-5678"))
        XCTAssertFalse(ResidentNumber.contains("2026-11-25"))
        XCTAssertFalse(ResidentNumber.contains("901314-2345678"), "month 13 is not a birth date")
    }

    func testNFDInputIsStoredAsNFC() throws {
        let nfd = "김민지".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.utf8), Array("김민지".utf8))
        XCTAssertEqual(
            Array(try decode(#"{"name": "\#(nfd)", "phone": "010-1234-5678"}"#).name.utf8), Array("김민지".utf8))
    }
}

extension SchemaTests {
    func testResidentNumbersInOtherSeparatorsAndWidths() {
        for text in ["900314–2345678", "900314.2345678", "９００３１４－２３４５６７８", "900314 2345678"] {
            XCTAssertTrue(ResidentNumber.contains(text), text)
        }
        XCTAssertFalse(ResidentNumber.contains("가격 90000원, 2345678"))
    }

    func testExtensionFieldChangesAreSummarised() {
        let a = Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01")
        var b = a
        b.extra["referral"] = "지인"
        let id = RecordID(hex: "00000000000000000000000000000001")!
        XCTAssertEqual(ChangeSummary.Record(id: id, old: a, new: b).message.text(.en), "00000000: referral set")
        XCTAssertEqual(ChangeSummary.Record(id: id, old: a, new: b).message.text(.ko), "00000000: referral 입력",
                       "a field the owner added keeps the name they gave it")
    }
}
