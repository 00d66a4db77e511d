// DangolCrypto provides every cryptographic operation dangol needs, and is the
// only module that talks to libsodium.
internal import CSodium

/// An error from the cryptographic layer. Messages are plain sentences that
/// never contain key material or plaintext.
public enum CryptoError: Error, Equatable, CustomStringConvertible {
    /// The authentication tag did not verify: wrong key, or the bytes were changed.
    case unauthenticated
    /// The data is shorter (or longer) than its format allows.
    case truncated(expected: String, got: Int)
    /// The data starts with magic bytes of another kind of file.
    case badMagic(expected: String)
    /// A format version this build does not know.
    case unknownVersion(kind: String, version: UInt8)
    /// A record file whose header names another record id: it was moved or copied.
    case recordMoved(claimedID: String)
    /// KDF parameters outside the accepted range, refused before any work.
    case kdfParametersRefused(String)
    /// libsodium could not initialise or allocate.
    case sodium(call: String)
    /// Input that does not fit the format (too large, bad encoding).
    case malformed(String)

    public var description: String {
        switch self {
        case .unauthenticated:
            return "authentication failed: the data was changed or the key is wrong"
        case .truncated(let expected, let got):
            return "truncated or extended: expected \(expected), found \(got) bytes"
        case .badMagic(let expected):
            return "not a \(expected) (unexpected leading bytes)"
        case .unknownVersion(let kind, let version):
            return "unknown \(kind) format version \(version): this dangol is too old or the file is damaged"
        case .recordMoved(let claimed):
            return "this file belongs to record \(claimed): it was moved or copied from another record"
        case .kdfParametersRefused(let why):
            return "key derivation parameters refused: \(why)"
        case .sodium(let call):
            return "libsodium failed in \(call)"
        case .malformed(let why):
            return why
        }
    }
}

/// libsodium must be initialised once before use; `sodium_init` is idempotent
/// and thread-safe, so every entry point calls this cheaply.
@inline(__always)
func ensureSodium() throws {
    if sodium_init() < 0 { throw CryptoError.sodium(call: "sodium_init") }
}

public enum Random {
    /// Cryptographically secure random bytes from the OS (getrandom).
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(sodium_init() >= 0, "libsodium could not be initialised")
        var out = [UInt8](repeating: 0, count: count)
        if count > 0 { out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, $0.count) } }
        return out
    }
}

public enum ConstantTime {
    /// Compares two byte strings without leaking where they differ.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in sodium_memcmp(pa.baseAddress!, pb.baseAddress!, a.count) == 0 }
        }
    }
}

/// Overwrites a Swift array's storage; used for short-lived copies that could
/// not live in guarded memory.
public func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buf in
        if let base = buf.baseAddress { sodium_memzero(base, buf.count) }
    }
}

/// Zeroes memory the optimiser may not skip.
func sodiumWipe(_ buf: UnsafeMutableRawBufferPointer) {
    if let base = buf.baseAddress { sodium_memzero(base, buf.count) }
}
