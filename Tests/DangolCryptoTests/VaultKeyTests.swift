import XCTest

@testable import DangolCrypto

/// The vault key's subkeys: one per purpose, so a ciphertext of one kind
/// never opens as another.
final class VaultKeyTests: XCTestCase {
    let purposes: [VaultKey.Purpose] = [.records, .summaries, .audit, .index]

    func testSealedTextOpensOnlyUnderItsOwnPurpose() throws {
        let key = try VaultKey.generate()
        for sealer in purposes {
            let box = try SealedText.seal("phone changed", context: [1, 2], key: key, purpose: sealer)
            for opener in purposes {
                if opener == sealer {
                    XCTAssertEqual(
                        try SealedText.open(box, context: [1, 2], key: key, purpose: opener), "phone changed")
                } else {
                    XCTAssertThrowsCryptoError(
                        .unauthenticated, try SealedText.open(box, context: [1, 2], key: key, purpose: opener),
                        "\(sealer) as \(opener)")
                }
            }
        }
    }

    func testSealedTextIsBoundToItsContext() throws {
        let key = try VaultKey.generate()
        let box = try SealedText.seal("visit added", context: [1, 2], key: key, purpose: .summaries)
        XCTAssertThrowsCryptoError(
            .unauthenticated, try SealedText.open(box, context: [1, 3], key: key, purpose: .summaries))
        XCTAssertThrowsCryptoError(
            .unauthenticated, try SealedText.open(box, context: [], key: key, purpose: .summaries))
    }

    func testSubkeysDifferFromEachOtherAndFromTheMasterKey() throws {
        let key = try VaultKey.generate()
        for (i, a) in purposes.enumerated() {
            XCTAssertEqual(key.subkey(a).count, 32)
            XCTAssertFalse(key.subkey(a).constantTimeEquals(key.secret), "\(a)")
            for b in purposes[(i + 1)...] {
                XCTAssertFalse(key.subkey(a).constantTimeEquals(key.subkey(b)), "\(a) \(b)")
            }
        }
    }

    func testSubkeysAreDeterministicPerMasterKey() throws {
        let master = Array(UInt8(0)..<UInt8(32))
        let a = try VaultKey(secret: try secure(master))
        let b = try VaultKey(secret: try secure(master))
        let other = try VaultKey.generate()
        for p in purposes {
            XCTAssertTrue(a.subkey(p).constantTimeEquals(b.subkey(p)))
            XCTAssertFalse(a.subkey(p).constantTimeEquals(other.subkey(p)))
        }
        XCTAssertThrowsError(try VaultKey(secret: try secure(Array(master.prefix(31)))))
    }
}
