internal import CSodium

/// The encrypted form of one customer document. Byte format (SECURITY.md):
///
///     0   4  magic "DGRC"
///     4   1  format version (1)
///     5   1  cipher (1 = XChaCha20-Poly1305-IETF)
///     6   2  reserved, zero
///     8  16  record id
///    24  24  random nonce
///    48   n  ciphertext of the padded plaintext, then the 16-byte tag
///
/// The first 24 bytes are the associated data, so the header and the record
/// id are authenticated along with the content.
public enum RecordFile {
    public static let magic: [UInt8] = Array("DGRC".utf8)
    public static let version: UInt8 = 1
    public static let cipherXChaCha20Poly1305: UInt8 = 1
    public static let headerBytes = 24
    public static let idBytes = 16

    static func header(id: [UInt8]) -> [UInt8] {
        magic + [version, cipherXChaCha20Poly1305, 0, 0] + id
    }

    public static func seal(plaintext: [UInt8], id: [UInt8], key: VaultKey) throws -> [UInt8] {
        guard id.count == idBytes else { throw CryptoError.malformed("record id must be 16 bytes") }
        let padded = try Padding.pad(plaintext)
        let head = header(id: id)
        return head + (try padded.withUnsafeBytes { try AEAD.seal($0, ad: head, key: key.subkey(.records)) })
    }

    /// Opens a record file found at the path of record `id`. Each way a file
    /// can be wrong has its own error, checked cheapest first.
    public static func open(_ file: [UInt8], id: [UInt8], key: VaultKey) throws -> SecureBytes {
        let padded = try SecureBytes(count: try paddedLength(file))
        let length = try padded.withUnsafeMutableBytes { try open(file, id: id, key: key, into: $0) }
        padded.shrink(to: length)
        return padded
    }

    /// The same into a buffer the caller reuses across records (one per
    /// thread in a bulk read; Scratch below); returns the unpadded length.
    /// The buffer must hold `maximumPlaintext` bytes.
    static func open(_ file: [UInt8], id: [UInt8], key: VaultKey, into out: UnsafeMutableRawBufferPointer) throws -> Int {
        let body = try paddedLength(file)
        guard file[5] == cipherXChaCha20Poly1305, file[6] == 0, file[7] == 0 else {
            throw CryptoError.malformed("record header names an unknown cipher")
        }
        let head = Array(file[0..<headerBytes])
        let claimed = Array(file[8..<headerBytes])
        let nonce = file[headerBytes..<(headerBytes + AEAD.nonceBytes)]
        let ciphertext = file[(headerBytes + AEAD.nonceBytes)...]
        let subkey = key.subkey(.records)
        let padded = UnsafeMutableRawBufferPointer(rebasing: out[0..<body])
        if claimed != id {
            // Authentic under its own id: a whole file moved or copied here.
            // Otherwise the id bytes themselves were damaged.
            if (try? AEAD.decrypt(ciphertext, nonce: nonce, ad: head, key: subkey, into: padded)) != nil {
                sodiumWipe(padded)
                throw CryptoError.recordMoved(claimedID: hex(claimed))
            }
            throw CryptoError.unauthenticated
        }
        try AEAD.decrypt(ciphertext, nonce: nonce, ad: head, key: subkey, into: padded)
        return try Padding.unpaddedLength(UnsafeRawBufferPointer(padded))
    }

    public static let maximumPlaintext = Padding.maximumBucket

    /// The padded plaintext length a well-formed file holds, or the error
    /// naming what is wrong with its shape.
    static func paddedLength(_ file: [UInt8]) throws -> Int {
        let minimum = headerBytes + AEAD.nonceBytes + Padding.minimumBucket + AEAD.tagBytes
        if file.count >= 4 && Array(file[0..<4]) != magic {
            throw CryptoError.badMagic(expected: "dangol record file")
        }
        if file.count >= 5 && file[4] != version {
            throw CryptoError.unknownVersion(kind: "record", version: file[4])
        }
        let body = file.count - headerBytes - AEAD.nonceBytes - AEAD.tagBytes
        guard file.count >= minimum, Padding.isBucket(body) else {
            throw CryptoError.truncated(expected: "a record of 24+24+bucket+16 bytes", got: file.count)
        }
        return body
    }

    /// A guarded buffer for decrypting many records one after another on
    /// one thread; `open` hands the plaintext to `body` and wipes it after.
    public final class Scratch {
        private let buffer: SecureBytes

        public init() throws { buffer = try SecureBytes(count: RecordFile.maximumPlaintext) }

        public func open<R>(_ file: [UInt8], id: [UInt8], key: VaultKey, _ body: (UnsafeRawBufferPointer) throws -> R)
            throws -> R
        {
            try buffer.withUnsafeMutableBytes { buf in
                let length = try RecordFile.open(file, id: id, key: key, into: buf)
                defer { sodiumWipe(UnsafeMutableRawBufferPointer(rebasing: buf[0..<length])) }
                return try body(UnsafeRawBufferPointer(rebasing: buf[0..<length]))
            }
        }
    }
}

/// Small encrypted strings stored outside record files: the per-commit
/// change summary and the access-log entries. The associated data ties each
/// box to what it describes. The text is padded to a size bucket before it
/// is sealed, so that a box's length says no more than its bucket: not
/// which fields a change touched, nor how many customers a search showed.
///
/// Plaintext: 0x00, the UTF-8 text, then ISO/IEC 7816-4 padding (0x80 and
/// zeros) to B bytes in all, B the smallest power of two that is at least
/// the purpose's minimum and at least the text's length + 2. Boxes sealed
/// before padding hold the bare text, which never starts with 0x00.
public enum SealedText {
    /// The smallest bucket for each purpose that seals text.
    public static func minimumBucket(_ purpose: VaultKey.Purpose) -> Int {
        purpose == .audit ? 512 : 256
    }

    /// `padded: false` seals the bare text, as a vault of format 1 did (one
    /// kept in that format is read by that format's dangol).
    public static func seal(
        _ text: String, context: [UInt8], key: VaultKey, purpose: VaultKey.Purpose, padded: Bool = true
    ) throws -> [UInt8] {
        if !padded {
            return try Array(text.utf8).withUnsafeBytes { try AEAD.seal($0, ad: context, key: key.subkey(purpose)) }
        }
        var bytes = [0] + Array(text.utf8)
        let length = bytes.count
        let bucket = Padding.bucket(for: length, minimum: minimumBucket(purpose))
        bytes += [UInt8](repeating: 0, count: bucket - length)
        var padded = 0
        guard sodium_pad(&padded, &bytes, length, bucket, bucket) == 0, padded == bucket else {
            throw CryptoError.sodium(call: "sodium_pad")
        }
        return try bytes.withUnsafeBytes { try AEAD.seal($0, ad: context, key: key.subkey(purpose)) }
    }

    public static func open(_ box: [UInt8], context: [UInt8], key: VaultKey, purpose: VaultKey.Purpose) throws -> String {
        guard let s = String(validating: try openBytes(box, context: context, key: key, purpose: purpose), as: UTF8.self)
        else { throw CryptoError.malformed("sealed text is not UTF-8") }
        return s
    }

    /// The same, as the bytes of the text, for a caller that looks into
    /// many before it decodes a few (access-log entries).
    public static func openBytes(_ box: [UInt8], context: [UInt8], key: VaultKey, purpose: VaultKey.Purpose) throws
        -> [UInt8]
    {
        // The text becomes a Swift value at once, so guarded memory for the
        // few bytes in between would protect nothing; it would cost three
        // system calls per message, and an erasure opens one per commit.
        var plain = try AEAD.openUnguarded(box, ad: context, key: key.subkey(purpose))
        if plain.first == 0 {
            var length = 0
            guard Padding.isPowerOfTwo(plain.count),
                sodium_unpad(&length, plain, plain.count, plain.count) == 0
            else { throw CryptoError.malformed("sealed text has bad padding") }
            plain = Array(plain[1..<length])
        }
        return plain
    }
}

public func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

public func unhex(_ s: String) -> [UInt8]? {
    let chars = Array(s.utf8)
    guard chars.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
    var out = [UInt8]()
    out.reserveCapacity(chars.count / 2)
    var i = 0
    while i < chars.count {
        guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
        out.append(hi << 4 | lo)
        i += 2
    }
    return out
}
