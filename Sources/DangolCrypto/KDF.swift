internal import CSodium

/// Argon2id (crypto_pwhash, v1.3) parameters. They are stored with each key
/// slot, so a slot made today stays openable when defaults change.
public struct KDFParameters: Equatable, Sendable {
    public var opsLimit: UInt64
    public var memLimit: UInt64

    public init(opsLimit: UInt64, memLimit: UInt64) {
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// The named levels of libsodium. `test` is the library minimum: only for
    /// throwaway vaults in tests, where unlocking hundreds of times must be cheap.
    public enum Level: String, CaseIterable, Sendable {
        case test, interactive, moderate, sensitive
    }

    public static func level(_ level: Level) -> KDFParameters {
        switch level {
        case .test:
            return KDFParameters(opsLimit: UInt64(crypto_pwhash_opslimit_min()),
                                 memLimit: UInt64(crypto_pwhash_memlimit_min()))
        case .interactive:
            return KDFParameters(opsLimit: UInt64(crypto_pwhash_opslimit_interactive()),
                                 memLimit: UInt64(crypto_pwhash_memlimit_interactive()))
        case .moderate:
            return KDFParameters(opsLimit: UInt64(crypto_pwhash_opslimit_moderate()),
                                 memLimit: UInt64(crypto_pwhash_memlimit_moderate()))
        case .sensitive:
            return KDFParameters(opsLimit: UInt64(crypto_pwhash_opslimit_sensitive()),
                                 memLimit: UInt64(crypto_pwhash_memlimit_sensitive()))
        }
    }

    /// The cap: a slot asking for more than this is refused before any work,
    /// so a forged slot cannot make an unlock take minutes or exhaust memory.
    /// It is libsodium's SENSITIVE level, the most dangol ever writes.
    public static let maximumOpsLimit: UInt64 = 4
    public static let maximumMemLimit: UInt64 = 1 << 30  // 1 GiB

    /// The least a person's or the recovery slot is ever written with
    /// (outside a vault made for tests): whatever a settings file asks,
    /// a new slot costs at least MODERATE, each parameter on its own.
    public func atLeast(_ floor: KDFParameters) -> KDFParameters {
        KDFParameters(opsLimit: max(opsLimit, floor.opsLimit), memLimit: max(memLimit, floor.memLimit))
    }

    public func validate() throws {
        let minOps = UInt64(crypto_pwhash_opslimit_min())
        let minMem = UInt64(crypto_pwhash_memlimit_min())
        if opsLimit < minOps || memLimit < minMem {
            throw CryptoError.kdfParametersRefused(
                "below libsodium's minimum (ops \(opsLimit), memory \(memLimit) bytes)")
        }
        if opsLimit > Self.maximumOpsLimit || memLimit > Self.maximumMemLimit {
            throw CryptoError.kdfParametersRefused(
                "above dangol's cap of ops \(Self.maximumOpsLimit) and memory \(Self.maximumMemLimit) bytes"
                    + " (asked: ops \(opsLimit), memory \(memLimit) bytes)")
        }
    }
}

public enum KDF {
    public static let saltBytes = 16

    /// Derives a 32-byte key-encryption key from a passphrase.
    public static func deriveKey(passphrase: SecureBytes, salt: [UInt8], parameters: KDFParameters) throws -> SecureBytes {
        try ensureSodium()
        try parameters.validate()
        guard salt.count == saltBytes else { throw CryptoError.malformed("salt must be \(saltBytes) bytes") }
        let out = try SecureBytes(count: 32)
        let rc = out.withUnsafeMutableBytes { o in
            passphrase.withUnsafeBytes { p in
                p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(p.count, 1)) { pc in
                    crypto_pwhash(
                        o.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                        pc, UInt64(p.count), salt,
                        parameters.opsLimit, Int(parameters.memLimit), crypto_pwhash_ALG_ARGON2ID13)
                }
            }
        }
        // Fails only when the memory cannot be allocated.
        guard rc == 0 else { throw CryptoError.sodium(call: "crypto_pwhash (out of memory?)") }
        return out
    }
}
