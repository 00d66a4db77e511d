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

    /// Whether this id sorts before `other` as git sorts ids (by their
    /// bytes), compared a word at a time without building arrays.
    func precedes(_ other: ObjectKey) -> Bool {
        if a != other.a { return a.byteSwapped < other.a.byteSwapped }
        if b != other.b { return b.byteSwapped < other.b.byteSwapped }
        return c.byteSwapped < other.c.byteSwapped
    }

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

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The object ids and entry offsets of one pack, read from its .idx (version 2).
struct PackIndex {
    /// In the index's order: sorted by id, which allows binary search.
    let ids: [ObjectKey]
    let offsets: [UInt64]
    /// The CRC-32 of each entry's bytes in the pack, as indexed.
    let crcs: [UInt32]
    /// The pack's own SHA-1 trailer, as recorded in the index.
    let packChecksum: [UInt8]

    init(path: String) throws {
        let file = try MappedFile(path: path)
        self = try file.withBytes { try PackIndex($0, path: path) }
    }

    /// The index in `buf`; `path` names it in errors.
    init(_ buf: UnsafeRawBufferPointer, path: String) throws {
        func damaged(_ why: String) -> ObjectStoreError { ObjectStoreError(path: path, reason: why) }
        (ids, offsets, crcs, packChecksum) = try {
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
            let crcsAt = idsAt + n * 20
            var ids = [ObjectKey]()
            var offsets = [UInt64]()
            var crcs = [UInt32]()
            ids.reserveCapacity(n)
            offsets.reserveCapacity(n)
            crcs.reserveCapacity(n)
            for i in 0..<n {
                ids.append(ObjectKey(buf, at: idsAt + 20 * i))
                crcs.append(be32(crcsAt + 4 * i))
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
            return (ids, offsets, crcs, Array(buf[trailer..<(trailer + 20)]))
        }()
    }

    func contains(_ key: ObjectKey) -> Bool { position(of: key) != nil }

    /// Where `key` is in `ids`, if it is there.
    func position(of key: ObjectKey) -> Int? {
        // ids are sorted by their bytes; compare the same way.
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] == key { return mid }
            if ids[mid].precedes(key) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }
}

/// The type codes of pack entries.
enum PackEntryType: UInt8 {
    case commit = 1, tree = 2, blob = 3, tag = 4, ofsDelta = 6, refDelta = 7
}

/// One entry's header, parsed from the pack bytes at its offset.
struct PackEntryHeader {
    let type: PackEntryType
    /// The object's size, or for a delta the size of the delta data.
    let size: Int
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
        var size = Int(c & 15)
        var shift = 4
        while c & 0x80 != 0 {
            guard i < end, shift < 57 else { throw damaged("truncated size") }
            c = pack[i]
            i += 1
            size |= Int(c & 0x7f) << shift
            shift += 7
        }
        self.type = type
        self.size = size
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

/// The entries of one mapped pack in pack order (by offset), each with its
/// bounds and parsed header, after checking the pack against its index.
struct PackEntries {
    /// Index positions in pack order: entry k is index.ids[order[k]].
    let order: [Int]
    let starts: [Int]
    let ends: [Int]
    let headers: [PackEntryHeader]
    /// entryOf[i] is the entry of index.ids[i]: order's inverse.
    private let entryOf: [Int]
    private let index: PackIndex

    init(_ buf: UnsafeRawBufferPointer, index: PackIndex, path: String) throws {
        func damaged(_ why: String) -> ObjectStoreError { ObjectStoreError(path: path, reason: why) }
        func be32(_ at: Int) -> UInt32 { UInt32(bigEndian: buf.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        guard buf.count >= 32, be32(0) == 0x5041_434b else { throw damaged("not a pack file") }
        guard be32(4) == 2 || be32(4) == 3 else { throw damaged("pack version \(be32(4)) is not supported") }
        let n = index.ids.count
        guard Int(be32(8)) == n else { throw damaged("the pack and its index disagree on the number of objects") }
        guard Array(buf[(buf.count - 20)...]) == index.packChecksum else {
            throw damaged("the pack does not match its index")
        }
        let offsets = index.offsets
        order = (0..<n).sorted { offsets[$0] < offsets[$1] }
        let packEnd = buf.count - 20
        var entryOf = [Int](repeating: 0, count: n)
        var starts = [Int](), ends = [Int](), headers = [PackEntryHeader]()
        starts.reserveCapacity(n)
        ends.reserveCapacity(n)
        headers.reserveCapacity(n)
        for (k, i) in order.enumerated() {
            entryOf[i] = k
            let start = Int(offsets[i])
            let end = k + 1 < n ? Int(offsets[order[k + 1]]) : packEnd
            guard start >= 12, start < end, end <= packEnd else { throw damaged("entry offsets out of order") }
            starts.append(start)
            ends.append(end)
            headers.append(try PackEntryHeader(buf, at: start, end: end, path: path))
        }
        (self.entryOf, self.starts, self.ends, self.headers, self.index) = (entryOf, starts, ends, headers, index)
    }

    var count: Int { order.count }

    /// The entry a delta is based on, when it is in this pack.
    func base(of k: Int) -> Int? {
        if let o = headers[k].baseOffset {
            // starts is ascending: a binary search finds the entry there.
            var lo = 0, hi = k
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] < Int(o) { lo = mid + 1 } else { hi = mid }
            }
            return lo < k && starts[lo] == Int(o) ? lo : nil
        }
        if let id = headers[k].baseID, let i = index.position(of: id) { return entryOf[i] }
        return nil
    }

    func isDelta(_ k: Int) -> Bool { headers[k].type == .ofsDelta || headers[k].type == .refDelta }

    /// The type of the object entry k stores, following its delta chain;
    /// nil when the chain leaves the pack.
    func objectType(_ k: Int) -> PackEntryType? {
        var k = k
        for _ in 0...count {
            guard isDelta(k) else { return headers[k].type }
            guard let b = base(of: k) else { return nil }
            k = b
        }
        return nil
    }
}

/// The content of a zlib stream that is one final "stored" deflate block of
/// exactly `size` bytes, as it lies in `data`; nil for any other stream.
/// Encrypted records never compress, so zlib stores them this way, and
/// dangol's own packs store every whole object so.
func storedContent(_ data: UnsafeRawBufferPointer, size: Int) -> UnsafeRawBufferPointer? {
    guard data.count >= 7 + size + 4 else { return nil }
    let cmf = Int(data[0]), flg = Int(data[1])
    guard cmf & 0x0f == 8, flg & 0x20 == 0, (cmf * 256 + flg) % 31 == 0 else { return nil }
    // BFINAL = 1 and BTYPE = 00; the rest of that byte is padding.
    guard data[2] & 0x07 == 0x01 else { return nil }
    let len = Int(data[3]) | Int(data[4]) << 8
    let nlen = Int(data[5]) | Int(data[6]) << 8
    guard len == size, len ^ nlen == 0xffff else { return nil }
    return UnsafeRawBufferPointer(rebasing: data[7..<(7 + len)])
}

/// The packs of an object store, mapped once and shared by the readers of
/// one rewrite or one reachability walk on every thread. A whole object
/// stored as one deflate block (every object dangol packs, and every
/// encrypted record in git's packs) is handed out where it lies in the
/// mapping: no copy, no libgit2 cache, no lookup through each pack in turn.
/// Anything else (deltas, compressed entries) is left to libgit2.
final class MappedPacks: @unchecked Sendable {
    private let packs: [(file: MappedFile, index: PackIndex)]

    /// The packs in `objects`/pack as they are now; a pack added later is
    /// not seen (libgit2 still finds its objects).
    init(objects: String) throws {
        packs = try PackFiles.list(in: objects + "pack/").map {
            (try MappedFile(path: $0.pack), try PackIndex(path: $0.index))
        }
    }

    /// The object's type and content when a pack holds it whole in one
    /// stored block, its Adler-32 checked when `verify`; nil otherwise. The
    /// bytes stay valid as long as this lives.
    func storedObject(_ key: ObjectKey, verify: Bool) -> (kind: PackEntryType, content: UnsafeRawBufferPointer)? {
        var hint = 0
        guard let (kind, data, size) = wholeEntry(key, hint: &hint),
            let content = Self.stored(data, size: size, verify: verify)
        else { return nil }
        return (kind, content)
    }

    /// The content of a whole entry's zlib stream when it is one stored
    /// block (with its Adler-32 checked when `verify`), else nil.
    static func stored(_ data: UnsafeRawBufferPointer, size: Int, verify: Bool) -> UnsafeRawBufferPointer? {
        guard let content = storedContent(data, size: size) else { return nil }
        if verify {
            let at = 7 + content.count
            let stored = UInt32(data[at]) << 24 | UInt32(data[at + 1]) << 16 | UInt32(data[at + 2]) << 8
                | UInt32(data[at + 3])
            guard Adler32.checksum(content) == stored else { return nil }
        }
        return content
    }

    /// The object's type, its zlib stream (to the end of the pack's data)
    /// and its size, when a pack holds it whole (not as a delta); nil
    /// otherwise.
    ///
    /// `hint` is the pack to look in first, and is set to the one that held
    /// the object: a vault in use has a pack per packing (dozens after some
    /// years), and objects read one after another (a commit's trees, the
    /// access log's commits) were mostly packed together.
    func wholeEntry(_ key: ObjectKey, hint: inout Int) -> (kind: PackEntryType, data: UnsafeRawBufferPointer, size: Int)? {
        guard !packs.isEmpty else { return nil }
        if hint >= packs.count { hint = 0 }
        for k in 0..<packs.count {
            let p = k == 0 ? hint : (k <= hint ? k - 1 : k)
            let (file, index) = packs[p]
            guard let i = index.position(of: key) else { continue }
            hint = p
            return file.withBytes { buf -> (PackEntryType, UnsafeRawBufferPointer, Int)? in
                let offset = Int(index.offsets[i])
                let end = buf.count - 20
                guard offset >= 12, offset < end,
                    let h = try? PackEntryHeader(buf, at: offset, end: end, path: file.path),
                    h.type != .ofsDelta, h.type != .refDelta
                else { return nil }
                return (h.type, UnsafeRawBufferPointer(rebasing: buf[(offset + h.dataStart)..<end]), h.size)
            }
        }
        return nil
    }
}

/// A 32-bit number as git's pack and index formats write it.
func bigEndian32(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
}

/// The 12 bytes a pack starts with: "PACK", version 2, the object count.
func packHeader(objectCount: Int) -> [UInt8] { Array("PACK".utf8) + bigEndian32(2) + bigEndian32(UInt32(objectCount)) }

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
