internal import CLibgit2

// The checksums git's pack format needs besides object ids: the SHA-1
// trailer of a pack or index file (SHA1.swift), the CRC-32 of each packed
// entry (stored in the index) and the Adler-32 trailer of each deflate
// stream. The last two are zlib's own, which the purge links anyway.

enum CRC32 {
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// `continuing` is the CRC of the bytes before these, to checksum an
    /// entry written in parts.
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing: UInt32 = 0) -> UInt32 {
        UInt32(crc32(uLong(continuing), bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}

enum Adler32 {
    static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { checksum($0) } }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(adler32(1, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}
