internal import CSodium

/// The vault's 256-bit master key, in guarded memory. Records, summaries and the
/// audit log each use a subkey derived from it with a distinct context, so a
/// ciphertext of one kind can never be opened as another.
public final class VaultKey {
    public static let byteCount = 32
    let secret: SecureBytes

    public enum Purpose: UInt64 {
        case records = 1
        case summaries = 2
        case audit = 3
        case index = 4
        /// The MAC over dangol.json.
        case settings = 5
        /// The MAC over each person's key slot.
        case people = 6
        var context: String {
            switch self {
            case .records: return "dgrecord"
            case .summaries: return "dgsummry"
            case .audit: return "dgaudit_"
            case .index: return "dgindex_"
            case .settings: return "dgsettng"
            case .people: return "dgpeople"
            }
        }
        static let all: [Purpose] = [.records, .summaries, .audit, .index, .settings, .people]
    }

    // Derived once, up front, so the key is immutable and safe to share
    // between the threads that decrypt records in parallel.
    private let subkeys: [Purpose: SecureBytes]

    init(secret: SecureBytes) throws {
        guard secret.count == Self.byteCount else { throw CryptoError.malformed("vault key must be 32 bytes") }
        self.secret = secret
        var derived: [Purpose: SecureBytes] = [:]
        for purpose in Purpose.all {
            derived[purpose] = try Self.derive(purpose, from: secret)
        }
        subkeys = derived
    }

    /// The key as the unlock agent hands it back (see DangolKit/Agent).
    public convenience init(agentSecret: SecureBytes) throws {
        try self.init(secret: agentSecret)
    }

    /// The raw key, for the one place that hands it on: the unlock agent,
    /// over a pipe to its own process and a socket to the same user only.
    public func withRawKey<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try secret.withUnsafeBytes(body)
    }

    /// A fresh random vault key for `init` (and later `rekey`).
    public static func generate() throws -> VaultKey {
        try VaultKey(secret: SecureBytes.random(count: byteCount))
    }

    /// The subkey for one purpose (BLAKE2b-based crypto_kdf).
    public func subkey(_ purpose: Purpose) -> SecureBytes {
        subkeys[purpose]!  // every purpose is derived in init
    }

    private static func derive(_ purpose: Purpose, from secret: SecureBytes) throws -> SecureBytes {
        let k = try SecureBytes(count: 32)
        let ctx = Array(purpose.context.utf8)
        let rc = k.withUnsafeMutableBytes { out in
            secret.withUnsafeBytes { master in
                ctx.withUnsafeBufferPointer { c in
                    c.baseAddress!.withMemoryRebound(to: CChar.self, capacity: 8) { cc in
                        crypto_kdf_derive_from_key(
                            out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32, purpose.rawValue, cc,
                            master.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
        }
        guard rc == 0 else { throw CryptoError.sodium(call: "crypto_kdf_derive_from_key") }
        return k
    }
}
