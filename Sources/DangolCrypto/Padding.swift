internal import CSodium

/// Size buckets for record plaintexts. A file's size reveals only its bucket:
/// powers of two from 512 bytes, so a short record and a long one of the same
/// bucket are indistinguishable on disk.
public enum Padding {
    public static let minimumBucket = 512
    /// Records larger than this are refused: no salon record is a megabyte.
    public static let maximumBucket = 1 << 20

    /// The bucket for `length` bytes; sodium_pad always adds at least one byte.
    public static func bucket(for length: Int) -> Int { bucket(for: length, minimum: minimumBucket) }

    /// The smallest power of two of at least `minimum` that holds `length`
    /// bytes and the pad's one byte.
    public static func bucket(for length: Int, minimum: Int) -> Int {
        var b = minimum
        while b < length + 1 { b <<= 1 }
        return b
    }

    static func isPowerOfTwo(_ n: Int) -> Bool { n > 0 && n & (n - 1) == 0 }

    public static func isBucket(_ size: Int) -> Bool {
        size >= minimumBucket && size <= maximumBucket && size & (size - 1) == 0
    }

    /// Copies `plaintext` into guarded memory padded (ISO/IEC 7816-4) to its bucket.
    public static func pad(_ plaintext: [UInt8]) throws -> SecureBytes {
        let bucket = bucket(for: plaintext.count)
        guard bucket <= maximumBucket else {
            throw CryptoError.malformed("record is larger than \(maximumBucket) bytes")
        }
        let out = try SecureBytes(count: bucket)
        var padded = 0
        let rc = out.withUnsafeMutableBytes { buf -> Int32 in
            plaintext.withUnsafeBytes { src in
                if let s = src.baseAddress { buf.baseAddress!.copyMemory(from: s, byteCount: src.count) }
            }
            return sodium_pad(&padded, buf.baseAddress!.assumingMemoryBound(to: UInt8.self),
                              plaintext.count, bucket, bucket)
        }
        guard rc == 0, padded == bucket else { throw CryptoError.sodium(call: "sodium_pad") }
        return out
    }

    /// The length of the unpadded content of a padded buffer.
    public static func unpaddedLength(_ padded: SecureBytes) throws -> Int {
        try padded.withUnsafeBytes { try unpaddedLength($0) }
    }

    static func unpaddedLength(_ buf: UnsafeRawBufferPointer) throws -> Int {
        guard isBucket(buf.count) else {
            throw CryptoError.malformed("padded length \(buf.count) is not a size bucket")
        }
        var length = 0
        let rc = sodium_unpad(&length, buf.baseAddress!.assumingMemoryBound(to: UInt8.self), buf.count, buf.count)
        guard rc == 0 else { throw CryptoError.malformed("bad padding inside an authenticated record") }
        return length
    }
}
