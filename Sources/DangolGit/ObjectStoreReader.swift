import Foundation
internal import CLibgit2

/// Reads objects for the purge and the scan: loose ones straight from their
/// files (open, read, inflate, close: libgit2 adds an access() and an fstat
/// per object, a third of the cost over 60,000 small files), packed ones
/// through a fresh libgit2 object database, which resolves deltas. One per
/// thread: it owns a zlib stream and buffers that it reuses.
final class ObjectStoreReader {
    private let objects: String
    /// Ids stored loose; anything else is looked up in the packs.
    private let loose: Set<ObjectKey>
    private var stream = z_stream()
    private let input = ByteBuffer()
    private let output = ByteBuffer()
    /// "<objects>/xx/<38 hex>\0", rewritten in place for each object.
    private var path: [CChar]
    private var packed: ObjectDatabase?
    /// Packs mapped by the caller, read in place where they can be.
    private let mapped: MappedPacks?
    /// Whether zlib checks each loose object's Adler-32.
    private let verify: Bool
    /// The mapped pack that held the last object read (see MappedPacks.wholeEntry).
    private var packHint = 0

    /// `verify: false` skips the Adler-32 of loose objects: the remnant scan
    /// looks for bytes and spends a sixth of its time on that checksum over
    /// a vault's gigabyte of ciphertext. The purge, which deletes on the
    /// strength of what it reads, keeps it.
    init(objects: String, loose: Set<ObjectKey>, verify: Bool = true, packs: MappedPacks? = nil) throws {
        self.objects = objects
        self.loose = loose
        self.verify = verify
        mapped = packs
        path = Array(objects.utf8CString.dropLast()) + [CChar](repeating: 0, count: 42)
        let rc = verify ? dangol_inflate_init(&stream) : dangol_inflate_init_raw(&stream)
        guard rc == Z_OK else {
            throw ObjectStoreError(path: objects, reason: "zlib could not start (\(rc))")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Calls `body` with the object's type and content (valid only inside).
    func read<T>(_ key: ObjectKey, _ body: (git_object_t, UnsafeRawBufferPointer) throws -> T) throws -> T {
        if loose.contains(key), let n = try readFile(key) {
            return try inflateLoose(n, key, body)
        }
        if let (kind, data, size) = mapped?.wholeEntry(key, hint: &packHint) {
            let type: git_object_t
            switch kind {
            case .commit: type = GIT_OBJECT_COMMIT
            case .tree: type = GIT_OBJECT_TREE
            case .tag: type = GIT_OBJECT_TAG
            default: type = GIT_OBJECT_BLOB
            }
            if let content = MappedPacks.stored(data, size: size, verify: verify) { return try body(type, content) }
            // Compressed (dangol compresses commits, git everything): inflated
            // here, as a loose file is, rather than through libgit2's lookup.
            let content = try inflate(data) {
                ObjectStoreError(path: objects + "pack/", reason: "packed object \(key.objectID): \($0)")
            }
            guard content.count == size else {
                throw ObjectStoreError(
                    path: objects + "pack/", reason: "packed object \(key.objectID): size does not match its header")
            }
            return try body(type, content)
        }
        let odb = try packed ?? ObjectDatabase(freshAt: objects)
        packed = odb
        return try odb.read(key, body)
    }

    /// Reads the compressed file into `input`; nil when it is not there (the
    /// object may also be packed, or a concurrent purge removed it).
    private func readFile(_ key: ObjectKey) throws -> Int? {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        let base = path.count - 42
        var k = key.oid
        withUnsafeBytes(of: &k.id) { id in
            var j = base
            for i in 0..<20 {
                if i == 1 {
                    path[j] = 0x2f  // "/"
                    j += 1
                }
                path[j] = CChar(bitPattern: digits[Int(id[i] >> 4)])
                path[j + 1] = CChar(bitPattern: digits[Int(id[i] & 15)])
                j += 2
            }
            path[j] = 0
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw FileError.last(path: String(cString: path))
        }
        defer { close(fd) }
        var n = 0
        while true {
            if n == input.count { input.grow(keeping: n) }
            let got = Foundation.read(fd, input.base + n, input.count - n)
            if got < 0 {
                if errno == EINTR { continue }
                throw FileError.last(path: String(cString: path))
            }
            if got == 0 { return n }
            n += got
        }
    }

    private func inflateLoose<T>(_ n: Int, _ key: ObjectKey,
                                 _ body: (git_object_t, UnsafeRawBufferPointer) throws -> T) throws -> T {
        func damaged(_ why: String) -> ObjectStoreError {
            ObjectStoreError(path: String(cString: path), reason: "loose object \(key.objectID): \(why)")
        }
        let out = try inflate(UnsafeRawBufferPointer(start: input.base, count: n), damaged)
        // "<type> <decimal size>\0<content>"
        let produced = out.count
        guard let space = out.prefix(8).firstIndex(of: 0x20), let nul = out.prefix(32).firstIndex(of: 0) else {
            throw damaged("no object header")
        }
        let type: git_object_t
        switch String(decoding: out[..<space], as: UTF8.self) {
        case "commit": type = GIT_OBJECT_COMMIT
        case "tree": type = GIT_OBJECT_TREE
        case "blob": type = GIT_OBJECT_BLOB
        case "tag": type = GIT_OBJECT_TAG
        default: throw damaged("unknown object type")
        }
        guard let size = Int(String(decoding: out[(space + 1)..<nul], as: UTF8.self)), size == produced - nul - 1 else {
            throw damaged("size does not match the header")
        }
        return try body(type, UnsafeRawBufferPointer(rebasing: out[(nul + 1)...]))
    }

    /// Inflates one zlib stream (a loose file, a pack entry's data) into the
    /// reader's output buffer; the bytes are valid until the next call.
    func inflate(_ data: UnsafeRawBufferPointer, _ damaged: (String) -> ObjectStoreError) throws
        -> UnsafeRawBufferPointer
    {
        guard inflateReset(&stream) == Z_OK else { throw damaged("zlib reset failed") }
        var skip = 0
        if !verify {
            // The zlib header raw deflate leaves to us: deflate, no preset
            // dictionary, and the header's own check.
            guard data.count >= 2 else { throw damaged("truncated") }
            let cmf = Int(data[0]), flg = Int(data[1])
            guard cmf & 0x0f == 8, flg & 0x20 == 0, (cmf * 256 + flg) % 31 == 0 else {
                throw damaged("not a zlib stream")
            }
            skip = 2
        }
        stream.next_in = UnsafeMutablePointer(
            mutating: data.baseAddress.map { ($0 + skip).assumingMemoryBound(to: Bytef.self) })
        stream.avail_in = uInt(data.count - skip)
        var produced = 0
        while true {
            if produced == output.count { output.grow(keeping: produced) }
            stream.next_out = (output.base + produced).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count - produced)
            let rc = CLibgit2.inflate(&stream, Z_NO_FLUSH)
            produced = output.count - Int(stream.avail_out)
            if rc == Z_STREAM_END { break }
            // Z_BUF_ERROR with room left means the input ended early.
            guard rc == Z_OK || (rc == Z_BUF_ERROR && stream.avail_out == 0) else {
                throw damaged("not a valid zlib stream (\(rc))")
            }
        }
        return UnsafeRawBufferPointer(start: output.base, count: produced)
    }

}

/// A growable byte buffer, owned: freed in deinit. The reader's buffers grow
/// to the largest object read and are reused for every other.
final class ByteBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count: Int

    init(count: Int = 1 << 16) {
        self.count = count
        base = .allocate(byteCount: count, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Doubles the size, keeping the first `used` bytes.
    func grow(keeping used: Int) {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: count * 2, alignment: 16)
        bigger.copyMemory(from: base, byteCount: used)
        base.deallocate()
        base = bigger
        count *= 2
    }

    subscript(i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
}
