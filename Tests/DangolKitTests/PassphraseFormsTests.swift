import DangolCrypto
import Foundation
import XCTest

@testable import DangolKit

/// NFC before the KDF, slots made before still opening with the bytes typed
/// then, and new passphrases refused with control characters or line breaks.
final class PassphraseFormsTests: XCTestCase {
    // Composed (NFC) as Linux types it, decomposed (NFD) as macOS does.
    let nfc = "보라색 스테이플 궤도 협곡 바다"
    var nfd: String { nfc.decomposedStringWithCanonicalMapping }
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dangol-forms-\(UUID().uuidString)").path
        XCTAssertNotEqual(Array(nfc.utf8), Array(nfd.utf8), "the two forms differ in bytes")
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    func secret(_ s: String) throws -> SecureBytes {
        var b = Array(s.utf8)
        return try SecureBytes(consuming: &b)
    }

    func testBothFormsOpenAVaultMadeWithEither() throws {
        for made in [nfc, nfd] {
            try? FileManager.default.removeItem(atPath: dir)
            _ = try Vault.create(at: dir, owner: "원장", passphrase: try secret(made), kdf: .level(.test))
            for typed in [nfc, nfd] {
                XCTAssertEqual(try LockedVault.open(at: dir).unlock(passphrase: try secret(typed)).person.name, "원장")
            }
        }
    }

    func testASlotMadeFromDecomposedBytesBeforeStillOpensWithThem() throws {
        let (vault, _) = try Vault.create(at: dir, owner: "원장", passphrase: try secret("violet staple orbit canyon"),
                                          kdf: .level(.test))
        // A slot as dangol made it before passphrases were normalised: from
        // the NFD bytes a Mac keyboard typed.
        let id = Random.bytes(8)
        let old = try KeySlot.create(kind: .person, role: .staff, name: "지수", secret: try secret(nfd),
                                     parameters: vault.metadata.kdfParameters, key: vault.key, slotID: id)
        try vault.commitLogged(operation: "user", records: [:], files: [Slots.path(id): old.encoded()],
                               summary: ChangeSummary(event: .personAdded, about: ["staff"]), expectedHead: try vault.head())
        XCTAssertThrowsError(try LockedVault.open(at: dir).unlock(passphrase: try secret(nfc), user: "지수"),
                             "NFC bytes never made this slot")
        XCTAssertEqual(try LockedVault.open(at: dir).unlock(passphrase: try secret(nfd)).person.name, "지수",
                       "typed on the Mac as before, it opens")
        // That unlock wrote 지수's slot again as version 2, from the NFC
        // form as every new slot is: now either form opens it.
        XCTAssertEqual(try LockedVault.open(at: dir).unlock(passphrase: try secret(nfc), user: "지수").person.name, "지수")
    }

    func testFormsAreTriedNFCFirst() throws {
        let forms = try Passphrase.forms(try secret(nfd))
        XCTAssertEqual(forms.map { $0.copyBytes() }, [Array(nfc.utf8), Array(nfd.utf8)])
        XCTAssertEqual(try Passphrase.forms(try secret(nfc)).count, 1, "already NFC: one form")
        XCTAssertEqual(try Passphrase.forms(try secret("violet staple orbit canyon")).count, 1, "ASCII: one form")
        XCTAssertEqual(try Passphrase.forNewSlot(try secret(nfd)).copyBytes(), Array(nfc.utf8))
    }

    func testNewPassphrasesWithControlCharactersOrLineBreaksAreRefused() throws {
        for (typed, reason) in [("lavender quarry\nribbon tundra", "line break"),
                                ("lavender quarry\r\nribbon tundra", "line break"),
                                ("lavender\tquarry ribbon tundra", "U+0009"),
                                ("lavender quarry\u{1B}[Aribbon tundra", "U+001B"),
                                ("lavender quarry ribbon\u{85}tundra", "U+0085")] {
            XCTAssertThrowsError(try PassphrasePolicy.check(try secret(typed), ownWords: [])) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(error)")
            }
        }
        XCTAssertNoThrow(try PassphrasePolicy.check(try secret("lavender quarry ribbon tundra"), ownWords: []))
        XCTAssertThrowsError(try Passphrase.refuseLines(try secret("one\ntwo"), source: "DANGOL_NEW_PASSPHRASE_FILE")) {
            XCTAssertTrue("\($0)".contains("DANGOL_NEW_PASSPHRASE_FILE holds more than one line"), "\($0)")
        }
    }
}
