internal import CSodium

public enum Hash {
    /// BLAKE2b-256 (crypto_generichash) as lower-case hex: the access log's
    /// chain links each entry to the exact bytes of the one before.
    public static func blake2b(_ bytes: [UInt8]) -> String {
        precondition(sodium_init() >= 0, "libsodium could not be initialised")
        var out = [UInt8](repeating: 0, count: 32)
        _ = crypto_generichash(&out, 32, bytes, UInt64(bytes.count), nil, 0)
        return hex(out)
    }
}
