import XCTest

@testable import DangolKit

/// Korean phone numbers: accepted forms, the canonical dashed form, masking.
final class PhoneTests: XCTestCase {
    func testMobileNumbersInTheFormsPeopleTypeThem() {
        for typed in [
            "010-1234-5678", "01012345678", "010 1234 5678", "+82 10-1234-5678", "+82 010 1234 5678",
            "+821012345678", "(010) 1234-5678", " 010-1234-5678",
        ] {
            XCTAssertEqual(Phone.normalize(typed), "010-1234-5678", typed)
        }
    }

    func testLandlines() {
        XCTAssertEqual(Phone.normalize("02-123-4567"), "02-123-4567")
        XCTAssertEqual(Phone.normalize("0212345678"), "02-1234-5678")
        XCTAssertEqual(Phone.normalize("031-1234-5678"), "031-1234-5678")
        XCTAssertEqual(Phone.normalize("031-123-4567"), "031-123-4567")
        XCTAssertEqual(Phone.normalize("070-1234-5678"), "070-1234-5678")
        XCTAssertEqual(Phone.normalize("+82 2-123-4567"), "02-123-4567")
    }

    func testNotPhoneNumbers() {
        for bad in [
            "12345", "010-12-34", "010-abcd-5678", "010-1234-567a", "공일공-1234-5678", "+1 555 123 4567",
            "010-1234-56789", "", "+", "010/1234/5678",
        ] {
            XCTAssertNil(Phone.normalize(bad), bad)
        }
    }

    func testMasking() {
        XCTAssertEqual(Phone.masked("010-1234-5678"), "010-****-5678")
        XCTAssertEqual(Phone.masked("02-123-4567"), "02-***-4567")
        XCTAssertEqual(Phone.masked("01012345678"), "*******5678", "an undashed number keeps only its last four")
    }

    func testDigits() {
        XCTAssertEqual(Phone.digits("010-1234-5678"), "01012345678")
    }
}
