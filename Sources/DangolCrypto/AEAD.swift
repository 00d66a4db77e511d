internal import CSodium

/// XChaCha20-Poly1305-IETF from libsodium. The 192-bit nonce is large enough
/// to be chosen at random for every message without a counter.
public enum AEAD {
    public static let keyBytes = 32
    public static let nonceBytes = 24
    public static let tagBytes = 16

    /// Encrypts with an explicit nonce. Only tests and `seal` call this: a
    /// nonce must never repeat under one key.
    public static func encrypt(
        _ plaintext: UnsafeRawBufferPointer, nonce: [UInt8], ad: [UInt8], key: SecureBytes
    ) throws -> [UInt8] {
        try ensureSodium()
        guard nonce.count == nonceBytes, key.count == keyBytes else {
            throw CryptoError.malformed("bad nonce or key length")
        }
        var out = [UInt8](repeating: 0, count: plaintext.count + tagBytes)
        var outLen: UInt64 = 0
        let rc = key.withUnsafeBytes { k in
            crypto_aead_xchacha20poly1305_ietf_encrypt(
                &out, &outLen,
                plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                ad, UInt64(ad.count), nil, nonce, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard rc == 0 else { throw CryptoError.sodium(call: "crypto_aead_xchacha20poly1305_ietf_encrypt") }
        return out
    }

    /// Decrypts into guarded memory; throws `.unauthenticated` on any change.
    public static func decrypt(
        _ ciphertext: ArraySlice<UInt8>, nonce: ArraySlice<UInt8>, ad: [UInt8], key: SecureBytes
    ) throws -> SecureBytes {
        guard ciphertext.count >= tagBytes else {
            throw CryptoError.truncated(expected: "at least \(tagBytes) bytes of ciphertext", got: ciphertext.count)
        }
        let out = try SecureBytes(count: ciphertext.count - tagBytes)
        try out.withUnsafeMutableBytes { try decrypt(ciphertext, nonce: nonce, ad: ad, key: key, into: $0) }
        return out
    }

    /// Decrypts into the first `ciphertext.count - tagBytes` bytes of `out`,
    /// a buffer the caller owns: reading 100,000 records, one guarded buffer
    /// per thread instead of one sodium_malloc each (an mmap, mprotect and
    /// mlock apiece, which made bulk reads ten times slower).
    static func decrypt(
        _ ciphertext: ArraySlice<UInt8>, nonce: ArraySlice<UInt8>, ad: [UInt8], key: SecureBytes,
        into out: UnsafeMutableRawBufferPointer
    ) throws {
        try ensureSodium()
        guard nonce.count == nonceBytes, key.count == keyBytes else {
            throw CryptoError.malformed("bad nonce or key length")
        }
        guard ciphertext.count >= tagBytes else {
            throw CryptoError.truncated(expected: "at least \(tagBytes) bytes of ciphertext", got: ciphertext.count)
        }
        guard out.count >= ciphertext.count - tagBytes else { throw CryptoError.malformed("output buffer too small") }
        var outLen: UInt64 = 0
        let rc = ciphertext.withUnsafeBufferPointer { c in
            nonce.withUnsafeBufferPointer { n in
                key.withUnsafeBytes { k in
                    crypto_aead_xchacha20poly1305_ietf_decrypt(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), &outLen, nil,
                        c.baseAddress!, UInt64(c.count), ad, UInt64(ad.count),
                        n.baseAddress!, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        guard rc == 0 else { throw CryptoError.unauthenticated }
    }

    /// Encrypts under a fresh random nonce and returns nonce || ciphertext.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, ad: [UInt8], key: SecureBytes) throws -> [UInt8] {
        let nonce = Random.bytes(nonceBytes)
        return nonce + (try encrypt(plaintext, nonce: nonce, ad: ad, key: key))
    }

    /// Opens nonce || ciphertext into ordinary memory, for callers that turn
    /// the plaintext into a Swift value straight away (see SealedText).
    static func openUnguarded(_ box: [UInt8], ad: [UInt8], key: SecureBytes) throws -> [UInt8] {
        try ensureSodium()
        guard box.count >= nonceBytes + tagBytes, key.count == keyBytes else {
            throw CryptoError.truncated(expected: "at least \(nonceBytes + tagBytes) bytes", got: box.count)
        }
        var out = [UInt8](repeating: 0, count: box.count - nonceBytes - tagBytes)
        var outLen: UInt64 = 0
        let rc = box.withUnsafeBufferPointer { b in
            key.withUnsafeBytes { k in
                crypto_aead_xchacha20poly1305_ietf_decrypt(
                    &out, &outLen, nil, b.baseAddress! + nonceBytes, UInt64(box.count - nonceBytes), ad, UInt64(ad.count),
                    b.baseAddress!, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        guard rc == 0 else { throw CryptoError.unauthenticated }
        return out
    }

    /// Opens nonce || ciphertext as written by `seal`.
    public static func open(_ box: [UInt8], ad: [UInt8], key: SecureBytes) throws -> SecureBytes {
        guard box.count >= nonceBytes + tagBytes else {
            throw CryptoError.truncated(expected: "at least \(nonceBytes + tagBytes) bytes", got: box.count)
        }
        return try decrypt(box[nonceBytes...], nonce: box[..<nonceBytes], ad: ad, key: key)
    }
}
