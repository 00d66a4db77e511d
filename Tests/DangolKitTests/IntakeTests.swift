import DangolCrypto
import Foundation
import XCTest

@testable import DangolKit

/// The questions of `add` and `visit`, answered from a script: each answer
/// checked by the schema's own rules, asked again on a mistake.
final class IntakeTests: XCTestCase {
    /// Answers in order; records what was asked and told.
    final class Script: Asking {
        var answers: [String]
        var asked = [String]()
        var told = [String]()

        init(_ answers: [String]) { self.answers = answers }

        func ask(_ prompt: String) throws -> String? {
            asked.append(prompt)
            return answers.isEmpty ? nil : answers.removeFirst()
        }

        func tell(_ line: String) { told.append(line) }
    }

    var dir: String!
    var vault: Vault!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dangol-intake-\(UUID().uuidString)").path
        var b = Array("violet staple orbit canyon".utf8)
        vault = try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &b), kdf: .level(.test)).0
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    func testACustomerAnswerByAnswer() throws {
        let script = Script(["", "김민지", "010-12", "", "", "", "minji@", "minji@example.com", "1990-03-14", "3월 14일", "PPD，니켈 、", "",
                             "9", "n?", ""])
        let c = try XCTUnwrap(try vault.askCustomer(script, today: "2026-11-25"))
        XCTAssertEqual(c.name, "김민지")
        XCTAssertNil(c.phone)
        XCTAssertEqual(c.email, "minji@example.com")
        XCTAssertEqual(c.birthday, "03-14", "no year: this vault keeps none")
        XCTAssertEqual(c.allergies, ["PPD", "니켈"])
        XCTAssertEqual(c.created, "2026-11-25")
        let told = script.told.joined(separator: "\n")
        for problem in ["name is needed", "phone: not a Korean phone number", "needs a phone number or an email",
                        "email: not an email address", "birthday_year"] {
            XCTAssertTrue(told.contains(problem), "\(problem) in \(told)")
        }
        XCTAssertTrue(script.told.contains { $0.contains("\"9\"") }, "a number that is no field is pointed out")
    }

    func testEndingTheInputCancels() throws {
        XCTAssertNil(try vault.askCustomer(Script(["김민지"])))
        XCTAssertNil(try vault.askCustomer(Script(["김민지", "010-1234-5678", "", "", "", "n"])), "n at the review")
    }

    func testAVisitAnswerByAnswer() throws {
        let id = try vault.add(Customer(name: "김민지", phone: "010-1234-5678", created: "2026-01-01"))
        let script = Script(["2026-02-30", "", "", "커트", "웰라 6/0", "팔만", "8만5천원", "900314-2345678", "", "지수", "", ""])
        let v = try XCTUnwrap(try vault.askVisit(for: id, script, today: "2026-11-25"))
        XCTAssertEqual(v.date, "2026-11-25")
        XCTAssertEqual(v.services, ["커트"])
        XCTAssertEqual(v.price, 85000)
        XCTAssertNil(v.reaction, "the resident number was refused and the next answer left it empty")
        XCTAssertEqual(v.note, "지수")
        XCTAssertEqual(v.stylist, "원장")
        let told = script.told.joined(separator: "\n")
        XCTAssertTrue(told.contains("date: not a date"), told)
        XCTAssertTrue(told.contains("services is needed"), told)
        XCTAssertTrue(told.contains("주민등록번호"), told)
    }

    func testPricesAsPeopleWriteThem() {
        for (typed, won) in [("80000", 80000), ("80,000원", 80000), ("8만", 80000), ("8만5천", 85000), ("8만 5000원", 85000),
                             ("3천원", 3000), ("1억", 100_000_000), ("만", 10000), ("0", 0)] {
            XCTAssertEqual(Interview.won(typed), won, typed)
        }
        for typed in ["팔만", "8만5만", "5천2000", "-3", "원", "8.5만"] { XCTAssertNil(Interview.won(typed), typed) }
    }

    func testAVisitFromJSONIsNamedByItsOwnKeys() throws {
        let v = try Schema.decodeVisit(Array(#"{"services": ["커트"], "price": 30000}"#.utf8), stylist: "지수", today: "2026-11-25")
        XCTAssertEqual(v.date, "2026-11-25")
        XCTAssertEqual(v.stylist, "지수")
        XCTAssertThrowsError(try Schema.decodeVisit(Array(#"{"services": ["커트"], "mood": "x"}"#.utf8), stylist: "지수")) {
            XCTAssertEqual(($0 as? ValidationFailure)?.path, "mood")
        }
        XCTAssertThrowsError(try Schema.decodeVisit(Array(#"["커트"]"#.utf8), stylist: "지수"))
    }

    func testConsentAnswersAndShellAssignments() throws {
        let answers = try ConsentEvent.answers(["문자=예", "birthday_coupon=no", "제3자=아니오"])
        XCTAssertEqual(answers.map(\.purpose), ["marketing_sms", "birthday_coupon", "third_party"])
        XCTAssertEqual(answers.map(\.granted), [true, false, false])
        XCTAssertThrowsError(try ConsentEvent.answers(["문자=글쎄"]))
        let set = try Vault.assignments(in: "note=두피 예민 심함 phone=010-9999-0000 birthday=", extraFields: [])
        XCTAssertEqual(set.map(\.field), ["note", "phone", "birthday"])
        XCTAssertEqual(set.map(\.value), ["두피 예민 심함", "010-9999-0000", ""])
        XCTAssertThrowsError(try Vault.assignments(in: "두피 note=x", extraFields: []))
        XCTAssertThrowsError(try Vault.assignments(in: "", extraFields: []))
    }
}
