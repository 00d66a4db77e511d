@testable import DangolCrypto
import XCTest

/// XChaCha20-Poly1305-IETF against the published test vector.
final class AEADTests: XCTestCase {
    func key(_ bytes: [UInt8]) throws -> SecureBytes {
        var copy = bytes
        return try SecureBytes(consuming: &copy)
    }

    /// draft-irtf-cfrg-xchacha-03, appendix A.3.1.
    func testDraftXChaChaVectorA31() throws {
        let plaintext = Array("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let aad = unhex("50515253c0c1c2c3c4c5c6c7")!
        let k = try key(Array(0x80...0x9f))
        let nonce = Array(UInt8(0x40)...UInt8(0x57))
        let expected = unhex(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"
                + "c0875924c1c7987947deafd8780acf49")!
        let sealed = try plaintext.withUnsafeBytes { try AEAD.encrypt($0, nonce: nonce, ad: aad, key: k) }
        XCTAssertEqual(hex(sealed), hex(expected))
        let opened = try AEAD.decrypt(expected[...], nonce: nonce[...], ad: aad, key: k)
        XCTAssertEqual(opened.copyBytes(), plaintext)
        var bad = expected
        bad[0] ^= 1
        XCTAssertThrowsError(try AEAD.decrypt(bad[...], nonce: nonce[...], ad: aad, key: k)) {
            XCTAssertEqual($0 as? CryptoError, .unauthenticated)
        }
        XCTAssertThrowsError(try AEAD.decrypt(expected[...], nonce: nonce[...], ad: aad + [0], key: k))
    }

    func testSealUsesAFreshNonceEachTime() throws {
        let k = try SecureBytes.random(count: 32)
        let a = try [UInt8](repeating: 7, count: 10).withUnsafeBytes { try AEAD.seal($0, ad: [], key: k) }
        let b = try [UInt8](repeating: 7, count: 10).withUnsafeBytes { try AEAD.seal($0, ad: [], key: k) }
        XCTAssertNotEqual(a.prefix(24), b.prefix(24))
        XCTAssertEqual(try AEAD.open(a, ad: [], key: k).copyBytes(), [UInt8](repeating: 7, count: 10))
    }

    func testSubkeysArePurposeBound() throws {
        let vk = try VaultKey.generate()
        let box = try SealedText.seal("phone changed", context: [1, 2], key: vk, purpose: .summaries)
        XCTAssertEqual(try SealedText.open(box, context: [1, 2], key: vk, purpose: .summaries), "phone changed")
        XCTAssertThrowsError(try SealedText.open(box, context: [1, 2], key: vk, purpose: .audit))
        XCTAssertThrowsError(try SealedText.open(box, context: [1, 3], key: vk, purpose: .summaries))
        XCTAssertFalse(vk.subkey(.records).constantTimeEquals(vk.subkey(.summaries)))
    }
}
