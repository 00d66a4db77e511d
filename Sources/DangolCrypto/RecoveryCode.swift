/// The recovery code printed once at `init`: 160 random bits in Crockford
/// base32, grouped for reading aloud and typing. Its entropy, not the KDF,
/// is what protects the recovery slot.
public enum RecoveryCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public static func generate() throws -> SecureBytes {
        var raw = Random.bytes(20)
        defer { wipe(&raw) }
        var chars = [UInt8]()
        var acc: UInt32 = 0
        var bits = 0
        for b in raw {
            acc = (acc << 8) | UInt32(b)
            bits += 8
            while bits >= 5 {
                bits -= 5
                chars.append(alphabet[Int((acc >> UInt32(bits)) & 31)])
            }
        }
        var grouped = [UInt8]()
        for (i, c) in chars.enumerated() {
            if i > 0 && i % 4 == 0 { grouped.append(UInt8(ascii: "-")) }
            grouped.append(c)
        }
        wipe(&chars)
        return try SecureBytes(consuming: &grouped)
    }

    /// Canonical form of a typed code: upper case, separators dropped, and the
    /// letters people confuse with digits mapped as Crockford specifies.
    public static func normalize(_ typed: SecureBytes) throws -> SecureBytes {
        var out = [UInt8]()
        typed.withUnsafeBytes { buf in
            for var c in buf {
                if c >= 97 && c <= 122 { c -= 32 }
                switch c {
                case UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
                case UInt8(ascii: "O"): out.append(UInt8(ascii: "0"))
                case UInt8(ascii: "I"), UInt8(ascii: "L"): out.append(UInt8(ascii: "1"))
                default: out.append(c)
                }
            }
        }
        guard out.count == 32, out.allSatisfy({ alphabet.contains($0) }) else {
            wipe(&out)
            throw CryptoError.malformed("a recovery code has 32 characters from 0-9 and A-Z (without I, L, O, U)")
        }
        var grouped = [UInt8]()
        for (i, c) in out.enumerated() {
            if i > 0 && i % 4 == 0 { grouped.append(UInt8(ascii: "-")) }
            grouped.append(c)
        }
        wipe(&out)
        return try SecureBytes(consuming: &grouped)
    }
}
