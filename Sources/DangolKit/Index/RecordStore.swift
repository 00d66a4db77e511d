import DangolCrypto
import Foundation

/// The decrypted customers an index answers from, in guarded memory
/// (sodium_malloc: never swapped, wiped when freed) rather than as 100,000
/// `Customer` values: Swift's strings, arrays and dictionaries cost several
/// times the JSON they came from, and the index keeps every customer in
/// memory for as long as a shell stays open. A customer is decoded when a
/// query hands it out.
///
/// The records sit in segments of at most `segmentRecords` each, so that
/// building, sealing and loading the store never needs a second copy of all
/// of it at once. A segment is also one sealed box of the index cache:
///
///     8 bytes  record count, little-endian
///     then per record: varint n, the 16-byte id, n - 16 bytes of RecordWriter's customer
///     then zeros up to the next 64 KiB, so sizes say little about the salon
final class RecordStore: @unchecked Sendable {
    static let padding = 64 * 1024
    static let segmentRecords = 4096

    let segments: [SecureBytes]
    /// Per record, in the store's current order: its id and where its
    /// customer's bytes lie.
    private(set) var ids: [RecordID]
    private(set) var spans: [Span]

    struct Span {
        let segment: Int32
        let start: Int32
        let end: Int32
        var count: Int { Int(end - start) }
    }

    var count: Int { ids.count }

    /// Reads the layout of segments (a decrypted cache, say); throws if they
    /// are not that, so a damaged cache is rebuilt rather than trusted.
    init(parsing segments: [SecureBytes]) throws {
        var ids = [RecordID](), spans = [Span]()
        for (s, segment) in segments.enumerated() {
            try segment.withUnsafeBytes { buf in
                guard buf.count >= 8, buf.count <= Int(Int32.max) else { throw RecordReader.Malformed() }
                var n: UInt64 = 0
                withUnsafeMutableBytes(of: &n) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buf[0..<8])) }
                let count = Int(truncatingIfNeeded: UInt64(littleEndian: n))
                guard count >= 0, count <= buf.count / 17 else { throw RecordReader.Malformed() }
                var r = RecordReader(bytes: buf, offset: 8)
                for _ in 0..<count {
                    let length = try r.int()
                    guard length >= 16, length <= buf.count - r.offset,
                          let id = RecordID(bytes: Array(buf[r.offset..<r.offset + 16]))
                    else { throw RecordReader.Malformed() }
                    ids.append(id)
                    spans.append(Span(segment: Int32(s), start: Int32(r.offset + 16), end: Int32(r.offset + length)))
                    r.offset += length
                }
            }
        }
        self.segments = segments
        self.ids = ids
        self.spans = spans
    }

    private init(segments: [SecureBytes], ids: [RecordID], spans: [Span]) {
        self.segments = segments
        self.ids = ids
        self.spans = spans
    }

    static func encode(_ c: Customer) -> [UInt8] {
        var w = RecordWriter()
        w.customer(c)
        return w.bytes
    }

    /// The same records in another order (`order[k]` is the record to put
    /// at k), sharing the segments.
    func reordered(_ order: [Int]) -> RecordStore {
        RecordStore(segments: segments, ids: order.map { ids[$0] }, spans: order.map { spans[$0] })
    }

    /// Record i's customer bytes, valid only inside `body`.
    func withRecord<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let s = spans[i]
        return try segments[Int(s.segment)].withUnsafeBytes { buf in
            try body(UnsafeRawBufferPointer(rebasing: buf[Int(s.start)..<Int(s.end)]))
        }
    }

    func customer(_ i: Int) throws -> Customer {
        try withRecord(i) { bytes in
            var r = RecordReader(bytes: bytes)
            return try r.customer()
        }
    }

    /// Only the name, which RecordWriter puts right after the schema
    /// version: ordering 100,000 customers for display reads nothing else.
    func name(_ i: Int) throws -> String {
        try withRecord(i) { bytes in
            var r = RecordReader(bytes: bytes)
            _ = try r.int()
            return try r.string()
        }
    }

    /// Collects records into segments. The segment being filled is ordinary
    /// memory (a few MB, reused and wiped at each flush); each full one moves
    /// into guarded memory of exactly its padded size.
    struct Builder {
        private var pending = [UInt8](repeating: 0, count: 8)
        private var pendingCount = 0
        private var pendingSpans = [(id: RecordID, start: Int, end: Int)]()
        private var segments = [SecureBytes]()
        private var ids = [RecordID]()
        private var spans = [Span]()

        init() {}

        mutating func append(_ id: RecordID, _ customer: UnsafeRawBufferPointer) throws {
            var w = RecordWriter()
            w.int(customer.count + 16)
            pending += w.bytes
            pending += id.bytes
            pendingSpans.append((id, pending.count, pending.count + customer.count))
            pending += customer
            pendingCount += 1
            if pendingCount == RecordStore.segmentRecords { try flush() }
        }

        mutating func append(_ id: RecordID, encoded: inout [UInt8]) throws {
            try encoded.withUnsafeBytes { try append(id, $0) }
            wipe(&encoded)
        }

        private mutating func flush(evenIfEmpty: Bool = false) throws {
            guard pendingCount > 0 || evenIfEmpty else { return }
            withUnsafeBytes(of: UInt64(pendingCount).littleEndian) { count in
                pending.withUnsafeMutableBytes { $0.copyMemory(from: count) }
            }
            let segment = try SecureBytes(count: (pending.count / RecordStore.padding + 1) * RecordStore.padding)
            segment.withUnsafeMutableBytes { out in pending.withUnsafeBytes { out.copyMemory(from: $0) } }
            let s = Int32(segments.count)
            segments.append(segment)
            for p in pendingSpans {
                ids.append(p.id)
                spans.append(Span(segment: s, start: Int32(p.start), end: Int32(p.end)))
            }
            wipe(&pending)
            pending.removeAll(keepingCapacity: true)
            pending += [UInt8](repeating: 0, count: 8)
            pendingSpans.removeAll(keepingCapacity: true)
            pendingCount = 0
        }

        /// A store has at least one segment, even with no records: the cache
        /// authenticates its header through its segments, and a cache with
        /// none could claim an empty salon.
        mutating func finish() throws -> RecordStore {
            try flush(evenIfEmpty: segments.isEmpty)
            return RecordStore(segments: segments, ids: ids, spans: spans)
        }
    }
}
