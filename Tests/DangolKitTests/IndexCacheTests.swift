import DangolCrypto
@testable import DangolKit
import Foundation
import XCTest

/// The encrypted index cache: current, brought up to date, or rebuilt.
final class IndexCacheTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = NSTemporaryDirectory() + "dangol-cache-\(UUID().uuidString)" }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testCacheFollowsTheHeadAndHoldsNoPlaintext() throws {
        var pass = Array("violet staple orbit canyon".utf8)
        let (vault, _) = try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &pass), kdf: .level(.test))
        let a = try vault.add(Customer(name: "캐시가", phone: "010-1212-3434", created: "2026-01-01"))
        XCTAssertEqual(try vault.search("3434").hits.map(\.id), [a])
        let file = dir + "/.git/dangol-index"
        let first = try Data(contentsOf: URL(fileURLWithPath: file))
        XCTAssertNil(first.range(of: Data("캐시가".utf8)), "the cache is encrypted")
        XCTAssertEqual(first.count, IndexCache.headerBytes + 4 + 24 + 64 * 1024 + 16, "one segment, padded to 64 KiB")

        // A change since: only that record is read again, and the cache moves on.
        let b = try vault.add(Customer(name: "캐시나", phone: "010-5656-3434", created: "2026-01-01"))
        try vault.set([(field: "name", value: "캐시다")], on: a)
        XCTAssertEqual(Set(try vault.search("3434").hits.map(\.customer.name)), ["캐시다", "캐시나"])
        XCTAssertEqual(IndexCache.load(vault.repo, key: vault.key)?.store.count, 2)
        _ = b

        // A damaged cache is rebuilt, not trusted.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[60] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        XCTAssertNil(IndexCache.load(vault.repo, key: vault.key))
        XCTAssertEqual(try vault.search("캐시").hits.count, 2)
        XCTAssertNotNil(IndexCache.load(vault.repo, key: vault.key))

        // Cut short, or with anything after its last segment: rebuilt too.
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        for bad in [Array(good.dropLast(100)), good + [0], Array(good.prefix(IndexCache.headerBytes))] {
            try Data(bad).write(to: URL(fileURLWithPath: file))
            XCTAssertNil(IndexCache.load(vault.repo, key: vault.key))
        }
    }

    func testNoCacheIsWrittenWhileAWriterIsBusyOrForAnOldHead() throws {
        var pass = Array("violet staple orbit canyon".utf8)
        let (vault, _) = try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &pass), kdf: .level(.test))
        _ = try vault.add(Customer(name: "잠금중", phone: "010-7777-8888", created: "2026-01-01"))
        let file = dir + "/.git/dangol-index"
        try? FileManager.default.removeItem(atPath: file)
        do {
            // An erasure, say, holds the lock: the search answers but writes nothing.
            let lock = try WriteLock(gitDirectory: vault.repo.gitDirectory, timeout: 1)
            XCTAssertEqual(try vault.search("8888").hits.count, 1)
            XCTAssertFalse(FileManager.default.fileExists(atPath: file))
            withExtendedLifetime(lock) {}
        }
        let oldHead = try vault.head()
        let (store, _) = try vault.cachedRecords()
        XCTAssertTrue(FileManager.default.fileExists(atPath: file))
        try FileManager.default.removeItem(atPath: file)
        _ = try vault.add(Customer(name: "나중에", phone: "010-7777-9999", created: "2026-01-01"))
        IndexCache.saveIfCurrent(vault.repo, key: vault.key, head: oldHead, store: store)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "records read at an older head are not written back")
    }

    func testBinaryRecordCodingRoundTrips() throws {
        var c = Customer(name: "가나", phone: "010-1111-2222", email: "a@b.kr", birthday: "1990-01-02", note: "메모", created: "2026-01-01")
        c.allergies = ["PPD"]
        c.visits = [Visit(date: "2026-02-02", services: ["펌", "커트"], stylist: "원장", formula: "x", price: 50000, note: nil, reaction: "붉음")]
        c.consents = [ConsentEvent(purpose: "marketing_sms", granted: true, date: "2026-01-01", textVersion: "ko-1")]
        c.extra = ["referral": "지인"]
        var w = RecordWriter()
        w.customer(c)
        let decoded = try w.bytes.withUnsafeBytes { buf -> Customer in
            var r = RecordReader(bytes: buf)
            return try r.customer()
        }
        XCTAssertEqual(decoded, c)
        XCTAssertThrowsError(try Array(w.bytes.prefix(20)).withUnsafeBytes { buf -> Customer in
            var r = RecordReader(bytes: buf)
            return try r.customer()
        })
    }

    func testRecordStoreSegmentsParseBackAndRejectDamage() throws {
        let people = (0..<RecordStore.segmentRecords + 3).map { i in
            (id: RecordID(bytes: withUnsafeBytes(of: UInt64(i).bigEndian) { Array($0) } + [UInt8](repeating: 7, count: 8))!,
             customer: Customer(name: "가\(i % 7)", phone: "010-0000-\(1000 + i % 9000)", note: String(repeating: "메모", count: i % 50),
                                created: "2026-01-01"))
        }
        var b = RecordStore.Builder()
        var keep = [UInt8]()
        for (k, p) in people.enumerated() {
            var bytes = RecordStore.encode(p.customer)
            if k == 0 { keep = bytes }
            try b.append(p.id, encoded: &bytes)
            XCTAssertTrue(bytes.allSatisfy { $0 == 0 }, "the encoded copy is wiped once copied in")
        }
        XCTAssertFalse(keep.isEmpty)
        let store = try b.finish()
        XCTAssertEqual(store.segments.count, 2, "a segment holds at most \(RecordStore.segmentRecords) records")
        XCTAssertTrue(store.segments.allSatisfy { $0.count % RecordStore.padding == 0 }, "padded to 64 KiB steps")

        // What a cache holds reads back as the same records, in any order.
        func copy(_ s: SecureBytes) throws -> SecureBytes {
            let c = try SecureBytes(count: s.count)
            c.withUnsafeMutableBytes { out in s.withUnsafeBytes { out.copyMemory(from: $0) } }
            return c
        }
        let segments = try store.segments.map(copy)
        let parsed = try RecordStore(parsing: segments).reordered([people.count - 1, 0])
        XCTAssertEqual(parsed.ids, [people.last!.id, people[0].id])
        XCTAssertEqual(try parsed.customer(0), people.last!.customer)
        XCTAssertEqual(try parsed.name(1), "가0")

        // A count larger than the segment could hold, or a record running
        // past its end, is refused rather than read.
        segments[1].withUnsafeMutableBytes { $0[7] = 0x7F }
        XCTAssertThrowsError(try RecordStore(parsing: segments))
        segments[1].withUnsafeMutableBytes { $0[7] = 0; $0[8] = 0xFF; $0[9] = 0xFF; $0[10] = 0x7F }
        XCTAssertThrowsError(try RecordStore(parsing: segments))
    }

    func testVarintsRoundTripEveryWidth() throws {
        var w = RecordWriter()
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, Int(Int32.max), -1, Int.min, Int.max]
        values.forEach { w.int($0) }
        XCTAssertEqual(w.bytes.prefix(3), [0, 1, 127], "small numbers take one byte")
        let back = try w.bytes.withUnsafeBytes { buf -> [Int] in
            var r = RecordReader(bytes: buf)
            return try values.map { _ in try r.int() }
        }
        XCTAssertEqual(back, values)
        XCTAssertThrowsError(try [UInt8](repeating: 0x80, count: 11).withUnsafeBytes { buf -> Int in
            var r = RecordReader(bytes: buf)
            return try r.int()
        })
    }
}
