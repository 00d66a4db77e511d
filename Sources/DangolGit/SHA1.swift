internal import CCrypto

/// SHA-1 through OpenSSL's libcrypto (see Sources/CCrypto), for git's
/// formats: the trailers of the packs and indexes dangol writes (each ends
/// with the SHA-1 of everything before it), the ids of the objects an
/// erasure or a packing writes, and HMAC-SHA1 of hashed known_hosts lines.
/// Nothing secret depends on it.
struct SHA1 {
    /// The algorithm, fetched once: an implicit fetch per digest would cost
    /// more than hashing a small object.
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA1", nil)
    private let context: Context

    /// Owns one OpenSSL digest context; freed in deinit.
    private final class Context {
        let pointer: OpaquePointer?
        init() {
            pointer = EVP_MD_CTX_new()
            // Fails only when libcrypto has no SHA-1 at all; a wrong digest
            // would write a pack git rejects, so stop instead.
            precondition(EVP_DigestInit_ex(pointer, SHA1.algorithm, nil) == 1, "libcrypto offers no SHA-1")
        }
        deinit { EVP_MD_CTX_free(pointer) }
    }

    init() { context = Context() }

    mutating func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        EVP_DigestUpdate(context.pointer, data.baseAddress, data.count)
    }

    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var s = SHA1()
        s.update(bytes)
        return s.finish()
    }

    /// The id git gives an object: SHA-1 of "<type> <size>\0" and the content.
    static func objectID(_ kind: ObjectKind, _ content: UnsafeRawBufferPointer) -> ObjectID {
        var s = SHA1()
        s.update(Array("\(kind.name) \(content.count)\0".utf8))
        s.update(content)
        return ObjectID(digest: s.finish()[...])
    }

    mutating func finish() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        let ok = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context.pointer, $0.baseAddress, &length) }
        precondition(ok == 1 && length == 20, "libcrypto's SHA-1 failed")
        return out
    }
}
