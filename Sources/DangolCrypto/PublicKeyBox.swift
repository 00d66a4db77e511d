internal import CSodium

/// A person's X25519 key pair: the secret half in guarded memory, wrapped in
/// their key slot under their passphrase; the public half in the clear.
public final class PersonKey {
    public static let byteCount = 32
    let secret: SecureBytes
    public let publicKey: [UInt8]

    init(secret: SecureBytes, publicKey: [UInt8]) {
        self.secret = secret
        self.publicKey = publicKey
    }

    /// A fresh key pair (crypto_box_keypair), the secret generated straight
    /// into guarded memory.
    public static func generate() throws -> PersonKey {
        try ensureSodium()
        let sk = try SecureBytes(count: byteCount)
        var pk = [UInt8](repeating: 0, count: byteCount)
        let rc = sk.withUnsafeMutableBytes { crypto_box_keypair(&pk, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        guard rc == 0 else { throw CryptoError.sodium(call: "crypto_box_keypair") }
        return PersonKey(secret: sk, publicKey: pk)
    }

    /// The key pair of a secret half; the public half is computed from it.
    static func from(secret: SecureBytes) throws -> PersonKey {
        guard secret.count == byteCount else { throw CryptoError.malformed("a person's secret key must be 32 bytes") }
        var pk = [UInt8](repeating: 0, count: byteCount)
        let rc = secret.withUnsafeBytes { crypto_scalarmult_base(&pk, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        guard rc == 0 else { throw CryptoError.sodium(call: "crypto_scalarmult_base") }
        return PersonKey(secret: secret, publicKey: pk)
    }
}

/// The vault key sealed from one person's key pair to another's (or to the
/// same person's own): libsodium's crypto_box_easy, X25519 then
/// XSalsa20-Poly1305, authenticated both ways. Only the holder of the
/// recipient's secret key can open it, and it opens only with the sender's
/// public key, so a box nobody trusted made is refused: anyone may know a
/// public key, but nobody without a sender's secret key can make a box that
/// opens as theirs.
enum PublicKeyBox {
    static let nonceBytes = 24
    static let macBytes = 16

    static func seal(_ key: VaultKey, to recipient: [UInt8], from sender: PersonKey) throws -> (nonce: [UInt8], box: [UInt8]) {
        try ensureSodium()
        guard recipient.count == PersonKey.byteCount else { throw CryptoError.malformed("a public key must be 32 bytes") }
        let nonce = Random.bytes(nonceBytes)
        var box = [UInt8](repeating: 0, count: VaultKey.byteCount + macBytes)
        let rc = key.secret.withUnsafeBytes { k in
            sender.secret.withUnsafeBytes { sk in
                crypto_box_easy(
                    &box, k.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(k.count), nonce, recipient,
                    sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        guard rc == 0 else { throw CryptoError.sodium(call: "crypto_box_easy") }
        return (nonce, box)
    }

    /// `.unauthenticated` when the box was not made by `sender` for `recipient`.
    static func open(_ box: [UInt8], nonce: [UInt8], from sender: [UInt8], by recipient: PersonKey) throws -> VaultKey {
        try ensureSodium()
        guard box.count == VaultKey.byteCount + macBytes, nonce.count == nonceBytes, sender.count == PersonKey.byteCount
        else { throw CryptoError.malformed("a sealed vault key has the wrong length") }
        let key = try SecureBytes(count: VaultKey.byteCount)
        let rc = key.withUnsafeMutableBytes { k in
            recipient.secret.withUnsafeBytes { sk in
                crypto_box_open_easy(
                    k.baseAddress!.assumingMemoryBound(to: UInt8.self), box, UInt64(box.count), nonce, sender,
                    sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        guard rc == 0 else { throw CryptoError.unauthenticated }
        return try VaultKey(secret: key)
    }
}

/// HMAC-SHA-512-256 (crypto_auth) under a subkey of the vault key: for what
/// must stay readable without the key but must not change without it
/// (dangol.json, the public parts of key slots).
public enum MAC {
    public static let bytes = 32

    public static func tag(_ message: [UInt8], key: VaultKey, purpose: VaultKey.Purpose) -> [UInt8] {
        precondition(sodium_init() >= 0, "libsodium could not be initialised")
        var out = [UInt8](repeating: 0, count: bytes)
        _ = key.subkey(purpose).withUnsafeBytes {
            crypto_auth(&out, message, UInt64(message.count), $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return out
    }

    /// Constant-time check of a tag.
    public static func verify(_ tag: [UInt8], _ message: [UInt8], key: VaultKey, purpose: VaultKey.Purpose) -> Bool {
        guard tag.count == bytes else { return false }
        return key.subkey(purpose).withUnsafeBytes {
            crypto_auth_verify(tag, message, UInt64(message.count), $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        } == 0
    }
}
