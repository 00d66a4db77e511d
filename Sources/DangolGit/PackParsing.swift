import Foundation

/// The pack and pack-index readers (PackFile.swift) over bytes in memory:
/// what the purge, the remnant scan and the rewrites trust a pack on disk to
/// be. The fuzzer drives them through here; a damaged file must end in an
/// `ObjectStoreError` naming it, never in a crash or a read out of bounds.
public enum PackParsing {
    /// Reads a version-2 pack index; returns its object count.
    @discardableResult
    public static func index(_ bytes: [UInt8], path: String = "pack index") throws -> Int {
        try bytes.withUnsafeBytes { try PackIndex($0, path: path).ids.count }
    }

    /// Reads a pack against its index as the purge does: every entry's
    /// header and bounds, each delta's base and the type at the end of its
    /// chain, and the content of each entry stored whole in one deflate
    /// block with its Adler-32. Returns how many entries were read whole.
    @discardableResult
    public static func pack(_ pack: [UInt8], index: [UInt8], path: String = "pack") throws -> Int {
        let idx = try index.withUnsafeBytes { try PackIndex($0, path: path + ".idx") }
        return try pack.withUnsafeBytes { buf in
            let entries = try PackEntries(buf, index: idx, path: path)
            var whole = 0
            for k in 0..<entries.count {
                _ = entries.base(of: k)
                _ = entries.objectType(k)
                let h = entries.headers[k]
                guard !entries.isDelta(k) else { continue }
                let data = UnsafeRawBufferPointer(rebasing: buf[(entries.starts[k] + h.dataStart)..<entries.ends[k]])
                if let content = storedContent(data, size: h.size) {
                    _ = Adler32.checksum(content)
                    whole += 1
                }
            }
            return whole
        }
    }
}
