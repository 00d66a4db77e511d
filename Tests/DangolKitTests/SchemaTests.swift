@testable import DangolKit
import DangolCrypto
import XCTest

/// Validation, phones, dates, the resident-number refusal and the passphrase policy.
final class SchemaTests: XCTestCase {
    func testPhones() {
        XCTAssertEqual(Phone.normalize("010-1234-5678"), "010-1234-5678")
        XCTAssertEqual(Phone.normalize("01012345678"), "010-1234-5678")
        XCTAssertEqual(Phone.normalize("010 1234 5678"), "010-1234-5678")
        XCTAssertEqual(Phone.normalize("+82 10-1234-5678"), "010-1234-5678")
        XCTAssertEqual(Phone.normalize("02-123-4567"), "02-123-4567")
        XCTAssertEqual(Phone.normalize("031-1234-5678"), "031-1234-5678")
        for bad in ["12345", "010-12-34", "010-abcd-5678", "+1 555 123 4567", ""] { XCTAssertNil(Phone.normalize(bad), bad) }
        XCTAssertEqual(Phone.masked("010-1234-5678"), "010-****-5678")
    }

    func testDates() {
        XCTAssertTrue(Dates.isValid("2024-02-29"))
        XCTAssertFalse(Dates.isValid("2023-02-29"))
        XCTAssertFalse(Dates.isValid("2026-13-01"))
        XCTAssertFalse(Dates.isValid("2026-1-01"))
        XCTAssertFalse(Dates.isValid("2026-01-0x"))
    }

    func decode(_ json: String) throws -> Customer { try Schema.decode(Array(json.utf8), today: "2026-11-25") }

    func failure(_ json: String, extra: Set<String> = []) -> ValidationFailure? {
        do {
            _ = try Schema.decode(Array(json.utf8), extraFields: extra, today: "2026-11-25")
            return nil
        } catch { return error as? ValidationFailure }
    }

    func testSchemaNamesThePathAndTheKindOfProblem() throws {
        let ok = try decode(#"{"name": "김민지", "phone": "01012345678", "visits": [{"date": "2026-11-01", "services": ["염색"], "price": 80000}]}"#)
        XCTAssertEqual(ok.phone, "010-1234-5678")
        XCTAssertEqual(ok.created, "2026-11-25")
        XCTAssertEqual(failure(#"{"phone": "010-1234-5678"}"#)?.path, "name")
        XCTAssertEqual(failure(#"{"name": "가", "phone": "010-1234-5678", "instagram": "x"}"#)?.path, "instagram")
        XCTAssertNil(failure(#"{"name": "가", "phone": "010-1234-5678", "instagram": "x"}"#, extra: ["instagram"]))
        let date = failure(#"{"name": "가", "phone": "010-1234-5678", "visits": [{"date": "2026-11-01", "services": ["펌"]}, {"date": "2026-13-01", "services": ["펌"]}]}"#)
        XCTAssertEqual(date?.description, #"visits[1].date: not a date ("2026-13-01")"#)
        XCTAssertEqual(failure(#"{"name": "가", "phone": "010-1234-5678", "visits": [{"date": "2026-11-01", "services": ["펌"], "price": "많이"}]}"#)?.path,
                       "visits[0].price")
        XCTAssertEqual(failure(#"{"name": "가"}"#)?.path, "phone", "a phone or an email is required")
        XCTAssertNil(failure(#"{"name": "가", "email": "a@b.kr"}"#))
        XCTAssertEqual(failure("not json")?.problem, "not valid JSON")
        let rrn = failure(#"{"name": "가", "phone": "010-1234-5678", "note": "주민번호 900314-2345678"}"#)
        XCTAssertEqual(rrn?.path, "note")
        XCTAssertTrue(rrn?.problem.contains("주민등록번호") ?? false)
        XCTAssertFalse(rrn?.description.contains("2345678") ?? true, "the number itself is not echoed")
        XCTAssertTrue(ResidentNumber.contains("9003142345678"))
        XCTAssertFalse(ResidentNumber.contains("010-1234-5678"))
        XCTAssertFalse(ResidentNumber.contains("2026-11-25"))
    }

    func testNFDInputIsStoredAsNFC() throws {
        let nfd = "김민지".decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfd.utf8), Array("김민지".utf8))
        XCTAssertEqual(Array(try decode(#"{"name": "\#(nfd)", "phone": "010-1234-5678"}"#).name.utf8), Array("김민지".utf8))
    }

    func check(_ pass: String, own: [String] = ["원장김민지"]) -> Bool {
        var b = Array(pass.utf8)
        guard let s = try? SecureBytes(consuming: &b) else { return false }
        return (try? PassphrasePolicy.check(s, ownWords: own)) != nil
    }

    func testPassphrasePolicy() {
        XCTAssertFalse(check("short one"))
        XCTAssertFalse(check("passwordpassword123"))
        XCTAssertFalse(check("원장김민지원장김민지12345"))
        XCTAssertFalse(check("qwertyuiop123456"))
        XCTAssertFalse(check("aaaaaaaaaaaaaaaaaaaa"))
        XCTAssertFalse(check("사랑해사랑해사랑해1234"))
        XCTAssertTrue(check("violet staple orbit canyon"))
        XCTAssertTrue(check("보라색 스테이플 궤도 협곡 바람"))
        XCTAssertFalse(check("보라색 스테이플 궤도 협곡"), "14 characters")
    }

    func testCommitMessagesCarryOnlyOperationAndIds() throws {
        let ids = [RecordID.random(), RecordID.random()]
        let m = CommitMessage(operation: "set", records: ids, sealedSummary: [1, 2, 3], trailers: ["Dangol-Restored-From: abc"])
        let parsed = CommitMessage.parse(m.text)
        XCTAssertEqual(parsed.operation, "set")
        XCTAssertEqual(parsed.records, ids)
        XCTAssertEqual(parsed.sealedSummary, [1, 2, 3])
        XCTAssertEqual(parsed.trailers, ["Dangol-Restored-From: abc"])
        XCTAssertTrue(m.text.hasPrefix("set \(ids[0].hex) \(ids[1].hex)\n"))
        let many = CommitMessage(operation: "import", records: (0..<5).map { _ in RecordID.random() }, sealedSummary: nil)
        XCTAssertTrue(many.text.hasPrefix("import 5 records\n"))
    }

    func testChangeSummaries() {
        let a = Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01")
        var b = a
        b.phone = "010-3333-4444"
        b.visits = [Visit(date: "2026-01-02", services: ["커트"])]
        XCTAssertEqual(ChangeSummary.describe(old: a, new: b), "phone changed, visit added")
        XCTAssertEqual(ChangeSummary.describe(old: nil, new: a), "new customer")
        XCTAssertEqual(ChangeSummary.describe(old: a, new: a), "no change")
    }

    func testRecordPathsUseTwoLevelsOfFanOut() {
        let id = RecordID(hex: "3f2a00112233445566778899aabbccdd")!
        XCTAssertEqual(id.path, "records/3f/2a/3f2a00112233445566778899aabbccdd.rec")
        XCTAssertEqual(RecordID(path: id.path), id)
        XCTAssertNil(RecordID(path: "records/00/2a/3f2a00112233445566778899aabbccdd.rec"), "a path must match its id")
    }
}
