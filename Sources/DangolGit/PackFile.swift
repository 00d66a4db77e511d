import Foundation
internal import CLibgit2

// Git's pack format, read directly: the purge copies entries byte for byte
// between packs, which libgit2's public API cannot do. The layout followed
// here is git's Documentation/gitformat-pack.txt (pack version 2, index
// version 2).

/// An object id as three machine words, for the hot sets of the purge and the
/// scan: [UInt8]-backed ObjectIDs would cost one heap allocation each, and
/// there are tens of thousands of them per purge.
struct ObjectKey: Hashable {
    let a: UInt64
    let b: UInt64
    let c: UInt32

    init(_ p: UnsafeRawPointer) {
        a = p.loadUnaligned(as: UInt64.self)
        b = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        c = p.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    /// The 20 bytes at `offset` in `buf` (which must hold them).
    init(_ buf: UnsafeRawBufferPointer, at offset: Int = 0) {
        a = buf.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        b = buf.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
        c = buf.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self)
    }

    init(_ id: ObjectID) { self = id.bytes.withUnsafeBytes { ObjectKey($0) } }

    init(_ oid: git_oid) {
        var o = oid
        self = withUnsafeBytes(of: &o.id) { ObjectKey($0) }
    }

    /// Object ids are SHA-1 outputs, already uniform: one word is as good a
    /// hash as all twenty bytes, and much cheaper.
    func hash(into hasher: inout Hasher) { hasher.combine(a) }

    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { buf in
            buf.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
            buf.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
            buf.storeBytes(of: c, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    var objectID: ObjectID { ObjectID(oid) }

    /// The same 20 bytes in the order git writes them.
    var bytes: [UInt8] {
        var o = oid
        return withUnsafeBytes(of: &o.id) { Array($0) }
    }

    /// Parses 40 lowercase or uppercase hex digits at `p`; nil if any is not hex.
    init?(hex p: UnsafePointer<UInt8>) { self.init(hexDigits: UnsafeBufferPointer(start: p, count: 40)) }

    init?<C: RandomAccessCollection>(hexDigits d: C) where C.Element == UInt8, C.Index == Int {
        guard d.count == 40 else { return nil }
        var raw = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let hi = hexValue(d[d.startIndex + 2 * i]), let lo = hexValue(d[d.startIndex + 2 * i + 1]) else {
                return nil
            }
            raw[i] = hi << 4 | lo
        }
        self = raw.withUnsafeBytes { ObjectKey($0) }
    }
}

@inline(__always) func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x61...0x66: return c - 0x61 + 10
    case 0x41...0x46: return c - 0x41 + 10
    default: return nil
    }
}

/// A whole file mapped read-only; unmapped in deinit. Packs can be hundreds
/// of megabytes: mapping lets the kernel page in only what is copied.
final class MappedFile {
    let path: String
    let count: Int
    private let base: UnsafeMutableRawPointer?

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.last(path: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError.last(path: path) }
        count = Int(st.st_size)
        if count == 0 {
            base = nil
        } else {
            let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
            guard let p, p != MAP_FAILED else { throw FileError.last(path: path) }
            base = p
        }
    }

    deinit { if let base { munmap(base, count) } }

    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}

/// A pack, pack index or loose object that cannot be read as git's format
/// says (the path names the file or, for an object, its id). The purge stops
/// there: a damaged reachable tree found while marking stops it before it
/// deletes anything, and what it deleted before any later stop was unreachable.
public struct ObjectStoreError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// The object ids and entry offsets of one pack, read from its .idx (version 2).
struct PackIndex {
    /// In the index's order: sorted by id, which allows binary search.
    let ids: [ObjectKey]
    let offsets: [UInt64]
    /// The pack's own SHA-1 trailer, as recorded in the index.
    let packChecksum: [UInt8]

    init(path: String) throws {
        let file = try MappedFile(path: path)
        func damaged(_ why: String) -> ObjectStoreError { ObjectStoreError(path: path, reason: why) }
        (ids, offsets, packChecksum) = try file.withBytes { buf in
            guard buf.count >= 8 + 256 * 4 + 40 else { throw damaged("pack index too short") }
            func be32(_ at: Int) -> UInt32 { UInt32(bigEndian: buf.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
            guard be32(0) == 0xff74_4f63 else {
                throw damaged("pack index version 1 or unknown; run `git index-pack` on the pack to rewrite it")
            }
            guard be32(4) == 2 else { throw damaged("pack index version \(be32(4)) is not supported") }
            let n = Int(be32(8 + 255 * 4))
            let idsAt = 8 + 256 * 4
            let offsetsAt = idsAt + n * 24
            let largeAt = offsetsAt + n * 4
            guard buf.count >= largeAt + 40 else { throw damaged("pack index truncated") }
            let largeCount = (buf.count - 40 - largeAt) / 8
            var ids = [ObjectKey]()
            var offsets = [UInt64]()
            ids.reserveCapacity(n)
            offsets.reserveCapacity(n)
            for i in 0..<n {
                ids.append(ObjectKey(buf, at: idsAt + 20 * i))
                let o = be32(offsetsAt + 4 * i)
                if o & 0x8000_0000 == 0 {
                    offsets.append(UInt64(o))
                } else {
                    let j = Int(o & 0x7fff_ffff)
                    guard j < largeCount else { throw damaged("pack index large offset out of range") }
                    let large = buf.loadUnaligned(fromByteOffset: largeAt + 8 * j, as: UInt64.self)
                    offsets.append(UInt64(bigEndian: large))
                }
            }
            let trailer = buf.count - 40
            return (ids, offsets, Array(buf[trailer..<(trailer + 20)]))
        }
    }

    func contains(_ key: ObjectKey) -> Bool {
        // ids are sorted by their bytes; compare the same way.
        let target = key.bytes
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let b = ids[mid].bytes
            if b == target { return true }
            if b.lexicographicallyPrecedes(target) { lo = mid + 1 } else { hi = mid }
        }
        return false
    }
}

/// The type codes of pack entries.
enum PackEntryType: UInt8 {
    case commit = 1, tree = 2, blob = 3, tag = 4, ofsDelta = 6, refDelta = 7
}

/// One entry's header, parsed from the pack bytes at its offset.
struct PackEntryHeader {
    let type: PackEntryType
    /// Bytes of the type-and-size header.
    let sizeHeaderLength: Int
    /// For an OFS_DELTA: the base entry's offset; for a REF_DELTA: its id.
    let baseOffset: UInt64?
    let baseID: ObjectKey?
    /// Where the zlib stream starts, relative to the entry's offset.
    let dataStart: Int

    init(_ pack: UnsafeRawBufferPointer, at offset: Int, end: Int, path: String) throws {
        func damaged(_ why: String) -> ObjectStoreError {
            ObjectStoreError(path: path, reason: "entry at \(offset): \(why)")
        }
        var i = offset
        guard i < end else { throw damaged("empty") }
        var c = pack[i]
        i += 1
        guard let type = PackEntryType(rawValue: (c >> 4) & 7) else { throw damaged("unknown type \((c >> 4) & 7)") }
        while c & 0x80 != 0 {
            guard i < end else { throw damaged("truncated size") }
            c = pack[i]
            i += 1
        }
        self.type = type
        sizeHeaderLength = i - offset
        switch type {
        case .ofsDelta:
            // Git's offset encoding adds one per continuation byte, so that
            // each length has its own range (gitformat-pack, "offset encoding").
            guard i < end else { throw damaged("truncated delta offset") }
            c = pack[i]
            i += 1
            var back = UInt64(c & 0x7f)
            while c & 0x80 != 0 {
                guard i < end, back < (1 << 56) else { throw damaged("bad delta offset") }
                c = pack[i]
                i += 1
                back = ((back + 1) << 7) | UInt64(c & 0x7f)
            }
            guard back > 0, back <= UInt64(offset) else { throw damaged("delta base outside the pack") }
            baseOffset = UInt64(offset) - back
            baseID = nil
        case .refDelta:
            guard i + 20 <= end else { throw damaged("truncated delta base id") }
            baseID = ObjectKey(pack, at: i)
            baseOffset = nil
            i += 20
        default:
            baseOffset = nil
            baseID = nil
        }
        dataStart = i - offset
    }
}

/// Git's encoding of an OFS_DELTA's distance back to its base.
func encodeDeltaOffset(_ distance: UInt64) -> [UInt8] {
    var n = distance
    var out = [UInt8(n & 0x7f)]
    n >>= 7
    while n != 0 {
        n -= 1
        out.insert(UInt8(0x80 | (n & 0x7f)), at: 0)
        n >>= 7
    }
    return out
}

/// The files of one pack in objects/pack, by their shared base name.
struct PackFiles {
    let directory: String
    /// "pack-<hash>"
    let name: String

    var pack: String { directory + name + ".pack" }
    var index: String { directory + name + ".idx" }
    var keep: String { directory + name + ".keep" }

    /// Every file git or libgit2 may keep beside a pack, in the order they are
    /// deleted: the index goes just before the pack, so that an interruption
    /// never leaves an index naming a pack that is gone.
    var allFiles: [String] {
        [".bitmap", ".rev", ".mtimes", ".promisor", ".keep", ".idx", ".pack"].map { directory + name + $0 }
    }

    /// Packs that have both their .pack and their .idx.
    static func list(in directory: String) -> [PackFiles] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        let set = Set(names)
        return names.filter { $0.hasPrefix("pack-") && $0.hasSuffix(".pack") }
            .map { String($0.dropLast(5)) }
            .filter { set.contains($0 + ".idx") }
            .sorted()
            .map { PackFiles(directory: directory, name: $0) }
    }
}
