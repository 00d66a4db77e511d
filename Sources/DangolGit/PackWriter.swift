import Foundation
internal import CLibgit2

/// A new pack streamed into libgit2's indexer, which writes the .pack and its
/// .idx into the pack directory under their final names (temporary file,
/// fsync when enabled, rename). Owns the indexer; freed in deinit.
final class PackStream {
    private let indexer: OpaquePointer
    private var hash = SHA1()
    private var buffer = [UInt8]()
    private var stats = git_indexer_progress()
    private static let flushSize = 1 << 20

    init(directory: String, objectCount: Int) throws {
        var opts = git_indexer_options()
        try check(git_indexer_options_init(&opts, UInt32(GIT_INDEXER_OPTIONS_VERSION)), "git_indexer_options_init")
        var ix: OpaquePointer?
        // No odb: a pack the purge writes is never thin (every delta's base is
        // in it), so the indexer must not need to look anything up elsewhere.
        try check(git_indexer_new(&ix, directory, 0, nil, &opts), "git_indexer_new")
        guard let ix else {
            throw GitError(function: "git_indexer_new", result: .notFound, message: "returned no indexer")
        }
        indexer = ix
        buffer.reserveCapacity(Self.flushSize + 4096)
        buffer += Array("PACK".utf8)
        append(bigEndian: UInt32(2))
        append(bigEndian: UInt32(objectCount))
    }

    deinit { git_indexer_free(indexer) }

    private func append(bigEndian v: UInt32) {
        buffer += [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8),
                   UInt8(truncatingIfNeeded: v)]
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        _ = try buffer.withUnsafeBytes { buf in
            hash.update(buf)
            try check(git_indexer_append(indexer, buf.baseAddress, buf.count, &stats), "git_indexer_append")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the trailer and has the indexer verify and index the pack.
    /// Returns the new pack's base name, "pack-<hash>".
    func finish() throws -> String {
        try flush()
        buffer = hash.finish()
        _ = try buffer.withUnsafeBytes { buf in
            try check(git_indexer_append(indexer, buf.baseAddress, buf.count, &stats), "git_indexer_append")
        }
        try check(git_indexer_commit(indexer, &stats), "git_indexer_commit")
        return "pack-" + String(cString: git_indexer_name(indexer))
    }
}

/// What rewriting one pack did.
struct PackRewrite {
    /// The pack that replaces it, or nil when nothing in it was kept.
    var newPack: String?
    var removed = 0
    var kept = 0
    /// Kept deltas whose base was dropped, written whole into the new pack.
    var resolved = 0
}

/// Writes a copy of `files` holding only the objects in `keep`: each kept
/// entry's compressed bytes are copied as they are (encrypted records neither
/// compress nor delta, so recompressing would be wasted work), an OFS_DELTA's
/// distance to its base is re-encoded for the new positions, and a kept delta
/// whose base is dropped is resolved through `source` and written whole. The
/// old pack is left in place: the caller deletes it once the new one is
/// durable.
func rewritePack(_ files: PackFiles, index: PackIndex, keep: Set<ObjectKey>, source: ObjectDatabase) throws
    -> PackRewrite
{
    let mapped = try MappedFile(path: files.pack)
    return try mapped.withBytes { buf in
        func damaged(_ why: String) -> ObjectStoreError { ObjectStoreError(path: files.pack, reason: why) }
        func be32(_ at: Int) -> UInt32 { UInt32(bigEndian: buf.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        guard buf.count >= 32, be32(0) == 0x5041_434b else { throw damaged("not a pack file") }
        guard be32(4) == 2 || be32(4) == 3 else { throw damaged("pack version \(be32(4)) is not supported") }
        let n = index.ids.count
        guard Int(be32(8)) == n else { throw damaged("the pack and its index disagree on the number of objects") }
        guard Array(buf[(buf.count - 20)...]) == index.packChecksum else {
            throw damaged("the pack does not match its index")
        }

        // Entries in pack order; each ends where the next begins.
        let order = (0..<n).sorted { index.offsets[$0] < index.offsets[$1] }
        let packEnd = buf.count - 20
        var position = [UInt64: Int](minimumCapacity: n)
        var byID = [ObjectKey: Int](minimumCapacity: n)
        for (k, i) in order.enumerated() {
            position[index.offsets[i]] = k
            byID[index.ids[i]] = k
        }
        var starts = [Int](), ends = [Int](), headers = [PackEntryHeader]()
        for (k, i) in order.enumerated() {
            let start = Int(index.offsets[i])
            let end = k + 1 < n ? Int(index.offsets[order[k + 1]]) : packEnd
            guard start >= 12, start < end, end <= packEnd else { throw damaged("entry offsets out of order") }
            starts.append(start)
            ends.append(end)
            headers.append(try PackEntryHeader(buf, at: start, end: end, path: files.pack))
        }
        func base(of k: Int) -> Int? {
            if let o = headers[k].baseOffset { return position[o] }
            if let id = headers[k].baseID { return byID[id] }
            return nil
        }
        func isDelta(_ k: Int) -> Bool { headers[k].type == .ofsDelta || headers[k].type == .refDelta }

        var result = PackRewrite()
        let kept = order.map { keep.contains(index.ids[$0]) }
        result.kept = kept.filter { $0 }.count
        result.removed = n - result.kept
        guard result.kept > 0 else { return result }

        let stream = try PackStream(directory: files.directory, objectCount: result.kept)
        var newOffset = [Int](repeating: 0, count: n)
        var written = 12
        for k in 0..<n where kept[k] {
            newOffset[k] = written
            let h = headers[k]
            let entry = UnsafeRawBufferPointer(rebasing: buf[starts[k]..<ends[k]])
            let b = base(of: k)
            if isDelta(k) && !(b.map { kept[$0] } ?? false) {
                // Its base is purged (or, in a damaged pack, absent): the
                // object goes in whole. Objects that are deltas on this one
                // stay deltas, their base now a whole entry.
                let whole = try source.read(index.ids[order[k]]) { type, data in try wholeEntry(type, data) }
                try stream.write(whole)
                written += whole.count
                result.resolved += 1
            } else if h.type == .ofsDelta, let b {
                // The base is earlier in the pack (an OFS_DELTA can only
                // point back), so its new offset is known.
                let distance = encodeDeltaOffset(UInt64(written - newOffset[b]))
                try stream.write(UnsafeRawBufferPointer(rebasing: entry[0..<h.sizeHeaderLength]))
                try stream.write(distance)
                try stream.write(UnsafeRawBufferPointer(rebasing: entry[h.dataStart...]))
                written += h.sizeHeaderLength + distance.count + (entry.count - h.dataStart)
            } else {
                try stream.write(entry)
                written += entry.count
            }
        }
        let name = try stream.finish()
        result.newPack = name
        // The indexer checked every entry inflates and every delta applies;
        // this checks the pack holds exactly the objects meant to be kept.
        let indexed = try PackIndex(path: files.directory + name + ".idx")
        let expected = order.indices.filter { kept[$0] }.map { index.ids[order[$0]] }
        guard Set(indexed.ids) == Set(expected), indexed.ids.count == expected.count else {
            if name != files.name {
                for path in PackFiles(directory: files.directory, name: name).allFiles { try removeIfPresent(path) }
            }
            throw damaged("the rewritten pack does not hold the objects it should")
        }
        return result
    }
}

/// A whole (non-delta) pack entry: type and size header, then the content
/// deflated. Level 1: these are mostly trees whose delta base was purged,
/// written once; recompressing harder would cost more than it saves.
private func wholeEntry(_ type: git_object_t, _ data: UnsafeRawBufferPointer) throws -> [UInt8] {
    var size = data.count
    var out = [UInt8((type.rawValue & 7) << 4) | UInt8(size & 15)]
    size >>= 4
    while size > 0 {
        out[out.count - 1] |= 0x80
        out.append(UInt8(size & 0x7f))
        size >>= 7
    }
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
