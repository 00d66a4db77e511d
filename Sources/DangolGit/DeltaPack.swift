internal import CLibgit2
import Foundation

/// The four kinds of git object, with their numbers in the pack format.
public enum ObjectKind: UInt8, Sendable {
    case commit = 1, tree = 2, blob = 3, tag = 4

    var libgit2: git_object_t {
        switch self {
        case .commit: return GIT_OBJECT_COMMIT
        case .tree: return GIT_OBJECT_TREE
        case .blob: return GIT_OBJECT_BLOB
        case .tag: return GIT_OBJECT_TAG
        }
    }

    var name: String {
        switch self {
        case .commit: return "commit"
        case .tree: return "tree"
        case .blob: return "blob"
        case .tag: return "tag"
        }
    }
}

/// Writes new objects straight into one pack file and its version-2 index.
///
/// Why not libgit2: loose objects cost a file, a deflate and an fsync each
/// (tens of thousands after a rewrite), and a mempack dumped through
/// `git_packbuilder` re-deltifies and recompresses everything (the measured
/// 9.5 s in DESIGN.md). A rewrite knows better: the new version of a tree
/// differs from the previous new version at the same path by one entry, so
/// each is stored as a delta copying the common head and tail. Deflate runs
/// in "stored" mode: trees are mostly SHA-1s and records are ciphertext,
/// neither compresses. The pack becomes visible only when its index has been
/// renamed into place, after both were fsync'ed, so a crash leaves either no
/// pack or a complete one.
final class DeltaPackWriter {
    private struct Entry {
        let id: ObjectID
        let offset: Int
        let crc: UInt32
    }

    /// The last object written for a delta chain, kept whole to delta against.
    struct Base {
        let offset: Int
        let content: [UInt8]
        let depth: Int
    }

    /// Deep chains make every later read replay them; git's own default is 50.
    static let maxDepth = 50
    /// Below this size a delta saves too little to be worth a chain.
    static let minDeltaSize = 256

    private let repo: Repository
    private var pack: [UInt8] = packHeader(objectCount: 0)
    private var entries: [Entry] = []
    private var offsets: [ObjectID: (offset: Int, depth: Int)] = [:]

    init(repo: Repository) { self.repo = repo }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    /// The rewrite cleans trees on two threads: hashing and delta encoding
    /// run outside this lock, only the append to the pack inside it.
    private let lock = NSLock()

    /// Adds an object; returns its id and, for chaining, what later versions
    /// may delta against. `base` is a previous object of this pack.
    /// `compress`: deflated (when that is smaller) rather than stored.
    @discardableResult
    func add(_ kind: ObjectKind, _ content: [UInt8], deltaFrom base: Base? = nil, compress: Bool = false) throws
        -> (id: ObjectID, base: Base)
    {
        let id = content.withUnsafeBytes { SHA1.objectID(kind, $0) }
        var delta: [UInt8]?
        if let base, base.depth < Self.maxDepth, content.count >= Self.minDeltaSize,
            base.content.count >= Self.minDeltaSize,
            let d = Self.delta(from: base.content, to: content), d.count < content.count / 2
        {
            delta = d
        }
        let deflated = compress && delta == nil ? Self.deflated(content) : nil
        lock.lock()
        defer { lock.unlock() }
        if let known = offsets[id] { return (id, Base(offset: known.offset, content: content, depth: known.depth)) }
        let offset = pack.count
        if let base, let delta {
            Self.appendHeader(type: 6, size: delta.count, to: &pack)
            pack += encodeDeltaOffset(UInt64(offset - base.offset))
            Self.appendStored(delta, to: &pack)
            finishEntry(id: id, offset: offset, depth: base.depth + 1)
            return (id, Base(offset: offset, content: content, depth: base.depth + 1))
        }
        Self.appendHeader(type: kind.rawValue, size: content.count, to: &pack)
        if let deflated { pack += deflated } else { Self.appendStored(content, to: &pack) }
        finishEntry(id: id, offset: offset, depth: 0)
        return (id, Base(offset: offset, content: content, depth: 0))
    }

    private func finishEntry(id: ObjectID, offset: Int, depth: Int) {
        entries.append(Entry(id: id, offset: offset, crc: CRC32.checksum(pack[offset...])))
        offsets[id] = (offset, depth)
    }

    /// Writes pack and index under objects/pack and makes libgit2 see them.
    /// Returns the pack's name (its checksum), or nil when nothing was added.
    @discardableResult
    func finish() throws -> String? {
        guard !entries.isEmpty else { return nil }
        let n = UInt32(entries.count)
        pack.replaceSubrange(8..<12, with: bigEndian32(n))
        let packSum = SHA1.digest(pack)
        pack += packSum
        let name = ObjectID(digest: packSum[...]).hex
        let dir = repo.gitDirectory + "objects/pack/"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Temporary names in git's own tmp_pack_/tmp_idx_ style: what a crash
        // leaves behind, git ignores and the purge removes.
        try writeThenRename(dir + "tmp_pack_\(name)", to: dir + "pack-\(name).pack", bytes: pack)
        let indexed = entries.map { PackIndexEntry(id: ObjectKey($0.id), offset: $0.offset, crc: $0.crc) }
        try writeThenRename(dir + "tmp_idx_\(name)", to: dir + "pack-\(name).idx",
                            bytes: packIndexBytes(indexed, packSum: packSum))
        try syncDirectory(dir)
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repo.pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        try check(git_odb_refresh(odb), "git_odb_refresh")
        pack = []
        return name
    }

    // MARK: The pack format (git's Documentation/gitformat-pack.txt)

    static func appendHeader(type: UInt8, size: Int, to out: inout [UInt8]) {
        var s = size >> 4
        var byte = type << 4 | UInt8(size & 0x0F)
        while s > 0 {
            out.append(byte | 0x80)
            byte = UInt8(s & 0x7F)
            s >>= 7
        }
        out.append(byte)
    }

    /// A zlib stream of "stored" deflate blocks: no compression, just framing.
    static func appendStored(_ data: [UInt8], to out: inout [UInt8]) {
        out += [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65535, data.count - i)
            let final: UInt8 = i + n == data.count ? 1 : 0
            out += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[i..<(i + n)]
            i += n
        } while i < data.count
        out += bigEndian32(Adler32.checksum(data))
    }

    /// A zlib stream of `data` at zlib's default level, when it is smaller
    /// than the stored one (text: commit messages, hex and base64).
    static func deflated(_ data: [UInt8]) -> [UInt8]? {
        var size = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let rc = data.withUnsafeBytes { src in
            compress2(&out, &size, src.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(data.count),
                      Z_DEFAULT_COMPRESSION)
        }
        // Stored framing costs 11 bytes (header, one block header, Adler-32).
        guard rc == Z_OK, Int(size) < data.count + 11 else { return nil }
        return Array(out.prefix(Int(size)))
    }

    static func appendVarint(_ value: Int, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// A delta that copies the common prefix and suffix of `base` and
    /// inserts the middle of `target`: exact for trees that differ in one
    /// entry, which is what a rewrite produces.
    static func delta(from base: [UInt8], to target: [UInt8]) -> [UInt8]? {
        let limit = min(base.count, target.count)
        // Eight bytes at a time, then byte by byte: trees of a 2,000-customer
        // vault are 7 KB, and a rewrite compares ten thousand of them.
        let (prefix, suffix) = base.withUnsafeBytes { b in
            target.withUnsafeBytes { t -> (Int, Int) in
                var prefix = 0
                while prefix + 8 <= limit
                    && b.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
                        == t.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
                {
                    prefix += 8
                }
                while prefix < limit && b[prefix] == t[prefix] { prefix += 1 }
                var suffix = 0
                while suffix + 8 <= limit - prefix
                    && b.loadUnaligned(fromByteOffset: b.count - suffix - 8, as: UInt64.self)
                        == t.loadUnaligned(fromByteOffset: t.count - suffix - 8, as: UInt64.self)
                {
                    suffix += 8
                }
                while suffix < limit - prefix && b[b.count - 1 - suffix] == t[t.count - 1 - suffix] { suffix += 1 }
                return (prefix, suffix)
            }
        }
        var out = [UInt8]()
        appendVarint(base.count, to: &out)
        appendVarint(target.count, to: &out)
        appendCopy(offset: 0, size: prefix, to: &out)
        var i = prefix
        while i < target.count - suffix {
            let n = min(127, target.count - suffix - i)
            out.append(UInt8(n))
            out += target[i..<(i + n)]
            i += n
        }
        appendCopy(offset: base.count - suffix, size: suffix, to: &out)
        return out
    }

    private static func appendCopy(offset: Int, size: Int, to out: inout [UInt8]) {
        var remaining = size, at = offset
        while remaining > 0 {
            // One copy moves at most 0xFFFFFF bytes; trees never come close,
            // but the loop keeps the encoding right for any size.
            let n = min(remaining, 0xFF_FFFF)
            var op: UInt8 = 0x80
            var args = [UInt8]()
            for k in 0..<4 where (at >> (8 * k)) & 0xFF != 0 {
                op |= 1 << UInt8(k)
                args.append(UInt8((at >> (8 * k)) & 0xFF))
            }
            for k in 0..<3 where (n >> (8 * k)) & 0xFF != 0 {
                op |= 1 << UInt8(4 + k)
                args.append(UInt8((n >> (8 * k)) & 0xFF))
            }
            out.append(op)
            out += args
            remaining -= n
            at += n
        }
    }
}

/// Writes `bytes` to `temporary`, syncs it, and renames it to `path`.
func writeThenRename(
    _ temporary: String, to path: String, bytes: [UInt8], exclusive: Bool = false,
    mode: mode_t = 0o444
) throws {
    let fd = open(temporary, O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), mode)
    guard fd >= 0 else {
        if exclusive && errno == EEXIST {
            throw GitError(
                function: "writeThenRename", result: .locked,
                message: "\(temporary) exists: another git process is updating \(path), or one crashed (then remove it)"
            )
        }
        throw FileError.last(path: temporary)
    }
    var ok = true
    bytes.withUnsafeBytes { buf in
        guard let base = buf.baseAddress else { return }
        var off = 0
        while off < buf.count {
            let n = write(fd, base + off, buf.count - off)
            if n <= 0 { ok = false; break }
            off += n
        }
    }
    if ok && fsync(fd) != 0 { ok = false }
    close(fd)
    guard ok, rename(temporary, path) == 0 else {
        let e = FileError.last(path: path)
        unlink(temporary)
        throw e
    }
}

/// fsync on a directory makes a rename in it durable.
func syncDirectory(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError.last(path: path) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw FileError.last(path: path) }
}
