import XCTest

@testable import DangolCrypto

/// Recovery codes: 160 random bits in grouped Crockford base32.
final class RecoveryCodeTests: XCTestCase {
    let crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

    func text(_ s: SecureBytes) -> String { String(decoding: s.copyBytes(), as: UTF8.self) }

    func testGenerateGivesEightGroupsOfFourCrockfordCharacters() throws {
        var seen = Set<String>()
        for _ in 0..<20 {
            let code = text(try RecoveryCode.generate())
            XCTAssertEqual(code.count, 39)
            let groups = code.split(separator: "-", omittingEmptySubsequences: false)
            XCTAssertEqual(groups.count, 8, code)
            XCTAssertTrue(groups.allSatisfy { $0.count == 4 }, code)
            XCTAssertTrue(groups.joined().allSatisfy { crockford.contains($0) }, code)
            seen.insert(code)
        }
        XCTAssertEqual(seen.count, 20, "codes are random")
    }

    func testNormalizeAcceptsHowPeopleTypeIt() throws {
        let code = try RecoveryCode.generate()
        let canonical = text(code)
        for typed in [
            canonical, canonical.lowercased(), canonical.replacingOccurrences(of: "-", with: ""),
            canonical.lowercased().replacingOccurrences(of: "-", with: ""),
            canonical.replacingOccurrences(of: "-", with: " ") + "\n",
        ] {
            XCTAssertTrue(try RecoveryCode.normalize(try secure(typed)).constantTimeEquals(code), typed)
        }
    }

    func testNormalizeMapsConfusableLetters() throws {
        let typed = "oOiI-lL00-0000-0000-0000-0000-0000-0000"
        XCTAssertEqual(text(try RecoveryCode.normalize(try secure(typed))), "0011-1100-0000-0000-0000-0000-0000-0000")
        XCTAssertEqual(
            text(try RecoveryCode.normalize(try secure("ABCDEFGHJKMNPQRSTVWXYZ0123456789"))),
            "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789")
    }

    func testNormalizeRejectsWrongLengthAndForeignCharacters() throws {
        let thirtyTwo = String(repeating: "A", count: 32)
        XCTAssertNoThrow(try RecoveryCode.normalize(try secure(thirtyTwo)))
        for bad in [
            "", "ABCD-EFGH", String(thirtyTwo.dropLast()), thirtyTwo + "A", "U" + thirtyTwo.dropLast(),
            "*" + thirtyTwo.dropLast(), "Ä" + thirtyTwo.dropLast(2),
        ] {
            XCTAssertThrowsError(try RecoveryCode.normalize(try secure(bad)), bad) {
                guard case .malformed = $0 as? CryptoError else { return XCTFail("\($0)") }
            }
        }
    }
}
