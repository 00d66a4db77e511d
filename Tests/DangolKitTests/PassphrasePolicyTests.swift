import DangolCrypto
import XCTest

@testable import DangolKit

/// New passphrases: long, not common, not built from the owner's own words.
final class PassphrasePolicyTests: XCTestCase {
    /// The reason a passphrase is refused, or nil when it is accepted.
    func refusal(_ passphrase: String, own: [String] = ["원장김민지"]) throws -> String? {
        var bytes = Array(passphrase.utf8)
        do {
            try PassphrasePolicy.check(try SecureBytes(consuming: &bytes), ownWords: own)
            return nil
        } catch VaultError.weakPassphrase(let why) {
            return why.text(.en)
        }
    }

    func testShortPassphrasesAreRefused() throws {
        XCTAssertTrue(try refusal("short")?.contains("5 characters") ?? false)
        XCTAssertNotNil(try refusal("fourteen chars"), "14 characters")
        XCTAssertNotNil(try refusal("보라색 스테이플 궤도 협곡"), "14 characters of Hangul")
    }

    func testCommonPasswordsAreRefused() throws {
        XCTAssertNotNil(try refusal("passwordpassword123"))
        XCTAssertNotNil(try refusal("사랑해사랑해사랑해1234"))
        XCTAssertNotNil(try refusal("aaaaaaaaaaaaaaaaaaaa"))
    }

    func testTheOwnersNameIsNotAPassphrase() throws {
        XCTAssertNotNil(try refusal("원장김민지원장김민지12345"))
        XCTAssertNotNil(try refusal("원장김민지 원장김민지 2026"))
        XCTAssertNil(try refusal("원장김민지원장김민지12345", own: []), "refused for the name, not the length")
    }

    func testKeyboardRunsAreRefused() throws {
        XCTAssertNotNil(try refusal("qwertyuiop123456"))
        XCTAssertNotNil(try refusal("asdfghjkl1234567890"))
    }

    func testGoodPassphrasesAreAccepted() throws {
        XCTAssertNil(try refusal("violet staple orbit canyon"))
        XCTAssertNil(try refusal("보라색 스테이플 궤도 협곡 바람"))
    }
}
