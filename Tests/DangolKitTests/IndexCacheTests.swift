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
        XCTAssertEqual(first.count % (64 * 1024), 49 + 16, "padded to 64 KiB steps")

        // A change since: only that record is read again, and the cache moves on.
        let b = try vault.add(Customer(name: "캐시나", phone: "010-5656-3434", created: "2026-01-01"))
        try vault.set([(field: "name", value: "캐시다")], on: a)
        XCTAssertEqual(Set(try vault.search("3434").hits.map(\.customer.name)), ["캐시다", "캐시나"])
        XCTAssertEqual(IndexCache.load(vault.repo, key: vault.key)?.records.count, 2)
        _ = b

        // A damaged cache is rebuilt, not trusted.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[60] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        XCTAssertNil(IndexCache.load(vault.repo, key: vault.key))
        XCTAssertEqual(try vault.search("캐시").hits.count, 2)
        XCTAssertNotNil(IndexCache.load(vault.repo, key: vault.key))
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
}
