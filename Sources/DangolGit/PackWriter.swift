import Foundation
internal import CLibgit2

/// One entry of a pack index: the object, where its entry starts in the
/// pack, and the CRC-32 of the entry's bytes as stored.
struct PackIndexEntry {
    let id: ObjectKey
    let offset: Int
    let crc: UInt32
}

/// A pack index (version 2) for `entries` of the pack whose SHA-1 trailer is
/// `packSum`: gitformat-pack's fan-out table, sorted ids, CRCs, offsets
/// (large ones in a second table), then both checksums.
func packIndexBytes(_ entries: [PackIndexEntry], packSum: [UInt8]) -> [UInt8] {
    let sorted = entries.sorted { $0.id.precedes($1.id) }
    var out: [UInt8] = [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]
    out.reserveCapacity(8 + 1024 + sorted.count * 28 + 40)
    var fanout = [UInt32](repeating: 0, count: 256)
    for e in sorted { fanout[Int(truncatingIfNeeded: e.id.a & 0xff)] += 1 }
    var running: UInt32 = 0
    for i in 0..<256 {
        running += fanout[i]
        out += bigEndian32(running)
    }
    for e in sorted {
        // The key's words hold the id's bytes in memory order.
        withUnsafeBytes(of: e.id.a) { out += $0 }
        withUnsafeBytes(of: e.id.b) { out += $0 }
        withUnsafeBytes(of: e.id.c) { out += $0 }
    }
    for e in sorted { out += bigEndian32(e.crc) }
    var large = [UInt8]()
    var largeCount: UInt32 = 0
    for e in sorted {
        if e.offset < 0x8000_0000 {
            out += bigEndian32(UInt32(e.offset))
        } else {
            out += bigEndian32(0x8000_0000 | largeCount)
            largeCount += 1
            for s in stride(from: 56, through: 0, by: -8) { large.append(UInt8(truncatingIfNeeded: e.offset >> s)) }
        }
    }
    out += large
    out += packSum
    out += SHA1.digest(out)
    return out
}

/// A new pack written entry by entry to a temporary file in the pack
/// directory, then its index; `finish` syncs both and renames them to their
/// final names, the index last, so that git never sees an index without its
/// pack. Entries are copied as they are, with the CRC-32 the caller vouches
/// for; nothing is inflated or hashed per object, which is what made the
/// purge through libgit2's indexer slow. Closes and removes the temporary
/// file in deinit if `finish` was not reached.
final class PackFileWriter {
    private let directory: String
    private let temporary: String
    private var fd: Int32
    private var hash = SHA1()
    private var buffer = [UInt8]()
    private(set) var written = 0
    private var entries = [PackIndexEntry]()
    private let expected: Int
    private static let flushSize = 1 << 20

    init(directory: String, objectCount: Int) throws {
        self.directory = directory
        expected = objectCount
        temporary = directory + "tmp_pack_\(getpid())_\(UInt64.random(in: 0...UInt64.max))"
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw FileError.last(path: temporary) }
        buffer.reserveCapacity(Self.flushSize + 4096)
        buffer += packHeader(objectCount: objectCount)
        written = 12
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporary)
        }
    }

    /// Appends one entry made of `parts` (header, delta offset, data).
    func append(_ id: ObjectKey, crc: UInt32, _ parts: UnsafeRawBufferPointer...) throws {
        entries.append(PackIndexEntry(id: id, offset: written, crc: crc))
        for part in parts {
            buffer.append(contentsOf: part)
            written += part.count
        }
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { buf in
            hash.update(buf)
            try writeAll(buf)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ buf: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < buf.count {
            let n = write(fd, buf.baseAddress! + off, buf.count - off)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw FileError.last(path: temporary) }
            off += n
        }
    }

    /// Writes the trailer and the index and moves both into place. Returns
    /// the pack's base name, "pack-<checksum>".
    func finish() throws -> String {
        guard entries.count == expected else {
            throw ObjectStoreError(path: temporary, reason: "\(entries.count) entries written, \(expected) announced")
        }
        try flush()
        let sum = hash.finish()
        try sum.withUnsafeBytes { try writeAll($0) }
        if Libgit2.fsyncEnabled && fsync(fd) != 0 { throw FileError.last(path: temporary) }
        close(fd)
        fd = -1
        let name = "pack-" + ObjectID(digest: sum[...]).hex
        guard rename(temporary, directory + name + ".pack") == 0 else {
            let error = FileError.last(path: temporary)
            unlink(temporary)
            throw error
        }
        try writeThenRename(directory + "tmp_idx_" + name.dropFirst(5), to: directory + name + ".idx",
                            bytes: packIndexBytes(entries, packSum: sum))
        return name
    }
}

/// What rewriting packs into one did.
struct PackRewrite {
    /// The pack that replaces them, or nil when nothing in them was kept.
    var newPack: String?
    /// Stored copies left out because nothing reaches them.
    var removed = 0
    /// Objects in the new pack.
    var kept = 0
    /// Second copies of an object that another pack also held, left out.
    var duplicates = 0
    /// Kept deltas whose base was dropped, written whole into the new pack.
    var resolved = 0
}

/// Writes one new pack holding the objects of `packs` that are in `keep`
/// (all of them when `keep` is nil), each object once. Each kept entry's
/// compressed bytes are copied as they are (encrypted records neither
/// compress nor delta, so recompressing would be wasted work), checked
/// against the CRC-32 its index recorded; an OFS_DELTA's distance to its
/// base is re-encoded for the new positions; a kept delta whose base is not
/// kept is resolved through `source` and written whole. The old packs are
/// left in place: the caller deletes them once the new one is durable.
func rewritePacks(_ packs: [(files: PackFiles, index: PackIndex)], keep: Set<ObjectKey>?, source: ObjectDatabase)
    throws -> PackRewrite
{
    guard let directory = packs.first?.files.directory else { return PackRewrite() }
    let mapped = try packs.map { try MappedFile(path: $0.files.pack) }
    var result = PackRewrite()
    // First which entries go in: the kept ones, the first copy of each
    // object; and which objects have a second copy (a delta in the later
    // pack may be based on it, and is then based on the first copy).
    var plans = [(entries: PackEntries, take: [Bool])]()
    var taken = Set<ObjectKey>()
    var twice = Set<ObjectKey>()
    for (p, pack) in packs.enumerated() {
        let entries = try mapped[p].withBytes { try PackEntries($0, index: pack.index, path: pack.files.pack) }
        var take = [Bool](repeating: false, count: entries.count)
        for k in 0..<entries.count {
            let id = pack.index.ids[entries.order[k]]
            guard keep?.contains(id) ?? true else {
                result.removed += 1
                continue
            }
            if taken.insert(id).inserted {
                take[k] = true
            } else {
                twice.insert(id)
                result.duplicates += 1
            }
        }
        plans.append((entries, take))
    }
    result.kept = taken.count
    guard result.kept > 0 else { return result }

    let stream = try PackFileWriter(directory: directory, objectCount: result.kept)
    var firstCopy = [ObjectKey: Int]()
    for (p, pack) in packs.enumerated() {
        let (entries, take) = plans[p]
        let index = pack.index
        try mapped[p].withBytes { buf in
            func damaged(_ why: String) -> ObjectStoreError { ObjectStoreError(path: pack.files.pack, reason: why) }
            // Where each entry of this pack is in the new one; nil: not there.
            var newOffset = [Int?](repeating: nil, count: entries.count)
            for k in 0..<entries.count {
                let id = index.ids[entries.order[k]]
                guard take[k] else {
                    if twice.contains(id) { newOffset[k] = firstCopy[id] }
                    continue
                }
                newOffset[k] = stream.written
                if twice.contains(id) { firstCopy[id] = stream.written }
                let h = entries.headers[k]
                let entry = UnsafeRawBufferPointer(rebasing: buf[entries.starts[k]..<entries.ends[k]])
                // The bytes must be the ones indexed: a pack damaged since
                // stops the purge here, before anything is deleted.
                let crc = index.crcs[entries.order[k]]
                guard CRC32.checksum(entry) == crc else {
                    throw damaged("the entry of \(id.objectID) at \(entries.starts[k]) does not match its CRC-32 in the index")
                }
                let base = entries.base(of: k).flatMap { newOffset[$0] }
                if entries.isDelta(k) && base == nil {
                    // Its base is purged (or, in a damaged pack, absent): the
                    // object goes in whole. Objects that are deltas on this
                    // one stay deltas, their base now a whole entry.
                    let whole = try source.read(id) { type, data in try wholeEntry(type, data) }
                    try whole.withUnsafeBytes { try stream.append(id, crc: CRC32.checksum($0), $0) }
                    result.resolved += 1
                } else if h.type == .ofsDelta, let base {
                    // The base is earlier in the new pack (an OFS_DELTA can
                    // only point back, and a first copy came before).
                    let distance = encodeDeltaOffset(UInt64(stream.written - base))
                    let header = UnsafeRawBufferPointer(rebasing: entry[0..<h.sizeHeaderLength])
                    let data = UnsafeRawBufferPointer(rebasing: entry[h.dataStart...])
                    try distance.withUnsafeBytes { d in
                        let c = CRC32.checksum(d, continuing: CRC32.checksum(header))
                        try stream.append(id, crc: CRC32.checksum(data, continuing: c), header, d, data)
                    }
                } else {
                    try stream.append(id, crc: crc, entry)
                }
            }
        }
    }
    result.newPack = try stream.finish()
    return result
}

/// A whole (non-delta) pack entry: type and size header, then the content
/// deflated. Level 1: these are mostly trees whose delta base was purged,
/// written once; recompressing harder would cost more than it saves.
private func wholeEntry(_ type: git_object_t, _ data: UnsafeRawBufferPointer) throws -> [UInt8] {
    var out = [UInt8]()
    DeltaPackWriter.appendHeader(type: UInt8(type.rawValue & 7), size: data.count, to: &out)
    var stream = z_stream()
    guard dangol_deflate_init(&stream, Z_BEST_SPEED) == Z_OK else {
        throw ObjectStoreError(path: "zlib", reason: "deflate could not start")
    }
    defer { deflateEnd(&stream) }
    let headerLength = out.count
    let bound = Int(deflateBound(&stream, uLong(data.count)))
    out += [UInt8](repeating: 0, count: bound)
    let rc = out.withUnsafeMutableBytes { o -> Int32 in
        stream.next_in = UnsafeMutablePointer(mutating: data.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(data.count)
        // Never empty: it holds the header at least.
        stream.next_out = o.baseAddress.map { ($0 + headerLength).assumingMemoryBound(to: Bytef.self) }
        stream.avail_out = uInt(bound)
        return deflate(&stream, Z_FINISH)
    }
    guard rc == Z_STREAM_END else { throw ObjectStoreError(path: "zlib", reason: "deflate failed (\(rc))") }
    out.removeLast(Int(stream.avail_out))
    return out
}
