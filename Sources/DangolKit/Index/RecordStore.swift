import DangolCrypto
import Foundation

/// The decrypted customers an index answers from, in one buffer of guarded
/// memory (sodium_malloc: never swapped, wiped when freed) rather than as
/// 100,000 `Customer` values: Swift's strings, arrays and dictionaries cost
/// several times the JSON they came from, and the index keeps every customer
/// in memory for as long as a shell stays open. A customer is decoded when a
/// query hands it out.
///
/// The buffer is also the plaintext of the index cache, byte for byte, so a
/// cache that matches the head becomes the store without a copy:
///
///     8 bytes  record count, little-endian
///     then per record: varint n, the 16-byte id, n - 16 bytes of RecordWriter's customer
///     then zeros up to the next 64 KiB, so sizes say little about the salon
final class RecordStore: @unchecked Sendable {
    static let padding = 64 * 1024

    let storage: SecureBytes
    /// Per record, in the store's current order: its id and where its
    /// customer's bytes lie in `storage`.
    private(set) var ids: [RecordID]
    private(set) var spans: [Range<Int>]

    var count: Int { ids.count }

    /// Reads the layout of a buffer (a decrypted cache, say); throws if it is
    /// not one, so a damaged cache is rebuilt rather than trusted.
    init(parsing storage: SecureBytes) throws {
        var ids = [RecordID](), spans = [Range<Int>]()
        try storage.withUnsafeBytes { buf in
            guard buf.count >= 8 else { throw RecordReader.Malformed() }
            var n: UInt64 = 0
            withUnsafeMutableBytes(of: &n) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buf[0..<8])) }
            let count = Int(UInt64(littleEndian: n))
            guard count >= 0, count <= buf.count / 17 else { throw RecordReader.Malformed() }
            ids.reserveCapacity(count)
            spans.reserveCapacity(count)
            var r = RecordReader(bytes: buf, offset: 8)
            for _ in 0..<count {
                let length = try r.int()
                guard length >= 16, r.offset + length <= buf.count,
                      let id = RecordID(bytes: Array(buf[r.offset..<r.offset + 16]))
                else { throw RecordReader.Malformed() }
                ids.append(id)
                spans.append(r.offset + 16..<r.offset + length)
                r.offset += length
            }
        }
        self.storage = storage
        self.ids = ids
        self.spans = spans
    }

    private init(storage: SecureBytes, ids: [RecordID], spans: [Range<Int>]) {
        self.storage = storage
        self.ids = ids
        self.spans = spans
    }

    /// Lays records out in a new buffer. `sizes[i]` is the length of record
    /// i's customer bytes, which `write(i, destination)` fills. Sizing
    /// first means one guarded allocation and no growing copy of it.
    static func assemble(ids: [RecordID], sizes: [Int], write: (Int, UnsafeMutableRawBufferPointer) -> Void) throws
        -> RecordStore
    {
        var prefixes = [[UInt8]]()
        prefixes.reserveCapacity(ids.count)
        var total = 8
        for (i, size) in sizes.enumerated() {
            var w = RecordWriter()
            w.int(size + 16)
            prefixes.append(w.bytes + ids[i].bytes)
            total += prefixes[i].count + size
        }
        let storage = try SecureBytes(count: (total / padding + 1) * padding)
        var spans = [Range<Int>]()
        spans.reserveCapacity(ids.count)
        storage.withUnsafeMutableBytes { buf in
            withUnsafeBytes(of: UInt64(ids.count).littleEndian) { buf.copyMemory(from: $0) }
            var at = 8
            for i in ids.indices {
                UnsafeMutableRawBufferPointer(rebasing: buf[at..<at + prefixes[i].count]).copyBytes(from: prefixes[i])
                at += prefixes[i].count
                write(i, UnsafeMutableRawBufferPointer(rebasing: buf[at..<at + sizes[i]]))
                spans.append(at..<at + sizes[i])
                at += sizes[i]
            }
        }
        return RecordStore(storage: storage, ids: ids, spans: spans)
    }

    /// Customers already encoded with RecordWriter, each array wiped and
    /// freed once copied in.
    static func assemble(ids: [RecordID], encoded: inout [[UInt8]]) throws -> RecordStore {
        let sizes = encoded.map(\.count)
        return try assemble(ids: ids, sizes: sizes) { i, out in
            out.copyBytes(from: encoded[i])
            wipe(&encoded[i])
            encoded[i] = []
        }
    }

    static func encode(_ c: Customer) -> [UInt8] {
        var w = RecordWriter()
        w.customer(c)
        return w.bytes
    }

    /// The same records in another order (`order[k]` is the record to put
    /// at k), sharing the buffer.
    func reordered(_ order: [Int]) -> RecordStore {
        RecordStore(storage: storage, ids: order.map { ids[$0] }, spans: order.map { spans[$0] })
    }

    func customer(_ i: Int) throws -> Customer {
        try storage.withUnsafeBytes { buf in
            var r = RecordReader(bytes: UnsafeRawBufferPointer(rebasing: buf[spans[i]]))
            return try r.customer()
        }
    }

    /// Only the name, which RecordWriter puts right after the schema
    /// version: ordering 100,000 customers for display reads nothing else.
    func name(_ i: Int) throws -> String {
        try storage.withUnsafeBytes { buf in
            var r = RecordReader(bytes: UnsafeRawBufferPointer(rebasing: buf[spans[i]]))
            _ = try r.int()
            return try r.string()
        }
    }

    /// Record i's customer bytes, for a store built from this one.
    func copyRecord(_ i: Int, to out: UnsafeMutableRawBufferPointer) {
        storage.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[spans[i]])) }
    }
}
