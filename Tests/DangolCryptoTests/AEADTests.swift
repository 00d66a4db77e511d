import XCTest

@testable import DangolCrypto

/// XChaCha20-Poly1305-IETF (libsodium) against the published test vector.
final class AEADTests: XCTestCase {
    // draft-irtf-cfrg-xchacha-03, appendix A.3.1.
    let plaintext = Array(
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
            .utf8)
    let aad = unhex("50515253c0c1c2c3c4c5c6c7")!
    let keyBytes = Array(UInt8(0x80)...UInt8(0x9f))
    let nonce = Array(UInt8(0x40)...UInt8(0x57))
    let ciphertext = unhex(
        "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
            + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
            + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
            + "21f9664c97637da9768812f615c68b13b52e")!
    let tag = unhex("c0875924c1c7987947deafd8780acf49")!

    func testVectorShapes() {
        XCTAssertEqual(keyBytes.count, AEAD.keyBytes)
        XCTAssertEqual(nonce.count, AEAD.nonceBytes)
        XCTAssertEqual(plaintext.count, 114)
        XCTAssertEqual(ciphertext.count, plaintext.count)
        XCTAssertEqual(tag.count, AEAD.tagBytes)
    }

    func testEncryptMatchesDraftVectorA31() throws {
        let key = try secure(keyBytes)
        let sealed = try plaintext.withUnsafeBytes { try AEAD.encrypt($0, nonce: nonce, ad: aad, key: key) }
        XCTAssertEqual(hex(sealed), hex(ciphertext + tag))
    }

    func testDecryptRoundTripsDraftVectorA31() throws {
        let key = try secure(keyBytes)
        let opened = try AEAD.decrypt((ciphertext + tag)[...], nonce: nonce[...], ad: aad, key: key)
        XCTAssertEqual(opened.copyBytes(), plaintext)
        // seal/open framing: nonce || ciphertext || tag.
        XCTAssertEqual(try AEAD.open(nonce + ciphertext + tag, ad: aad, key: key).copyBytes(), plaintext)
    }

    func testAnyChangeIsUnauthenticated() throws {
        let key = try secure(keyBytes)
        let box = ciphertext + tag
        var flipped = box
        flipped[0] ^= 1
        XCTAssertThrowsCryptoError(
            .unauthenticated, try AEAD.decrypt(flipped[...], nonce: nonce[...], ad: aad, key: key))
        var badTag = box
        badTag[badTag.count - 1] ^= 0x80
        XCTAssertThrowsCryptoError(
            .unauthenticated, try AEAD.decrypt(badTag[...], nonce: nonce[...], ad: aad, key: key))
        XCTAssertThrowsCryptoError(
            .unauthenticated, try AEAD.decrypt(box[...], nonce: nonce[...], ad: aad + [0], key: key))
        XCTAssertThrowsCryptoError(.unauthenticated, try AEAD.decrypt(box[...], nonce: nonce[...], ad: [], key: key))
        var otherNonce = nonce
        otherNonce[23] ^= 1
        XCTAssertThrowsCryptoError(
            .unauthenticated, try AEAD.decrypt(box[...], nonce: otherNonce[...], ad: aad, key: key))
        var otherKey = keyBytes
        otherKey[0] ^= 1
        XCTAssertThrowsCryptoError(
            .unauthenticated, try AEAD.decrypt(box[...], nonce: nonce[...], ad: aad, key: try secure(otherKey)))
    }

    func testBadLengthsAreRefusedBeforeUse() throws {
        let key = try secure(keyBytes)
        XCTAssertThrowsError(
            try plaintext.withUnsafeBytes { try AEAD.encrypt($0, nonce: Array(nonce.prefix(12)), ad: [], key: key) })
        XCTAssertThrowsError(
            try plaintext.withUnsafeBytes {
                try AEAD.encrypt($0, nonce: nonce, ad: [], key: try secure(Array(keyBytes.prefix(16))))
            })
        XCTAssertThrowsError(try AEAD.decrypt(tag.prefix(15)[...], nonce: nonce[...], ad: [], key: key)) {
            guard case .truncated = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try AEAD.open(Array(nonce.prefix(30)), ad: [], key: key)) {
            guard case .truncated = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
    }

    func testSealUsesAFreshNonceEachTime() throws {
        let key = try SecureBytes.random(count: AEAD.keyBytes)
        let message = [UInt8](repeating: 7, count: 10)
        let a = try message.withUnsafeBytes { try AEAD.seal($0, ad: [], key: key) }
        let b = try message.withUnsafeBytes { try AEAD.seal($0, ad: [], key: key) }
        XCTAssertEqual(a.count, AEAD.nonceBytes + message.count + AEAD.tagBytes)
        XCTAssertNotEqual(Array(a.prefix(AEAD.nonceBytes)), Array(b.prefix(AEAD.nonceBytes)))
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(try AEAD.open(a, ad: [], key: key).copyBytes(), message)
        XCTAssertEqual(try AEAD.open(b, ad: [], key: key).copyBytes(), message)
    }

    func testEmptyPlaintext() throws {
        let key = try SecureBytes.random(count: AEAD.keyBytes)
        let box = try [UInt8]().withUnsafeBytes { try AEAD.seal($0, ad: [1], key: key) }
        XCTAssertEqual(box.count, AEAD.nonceBytes + AEAD.tagBytes)
        XCTAssertEqual(try AEAD.open(box, ad: [1], key: key).count, 0)
    }
}
