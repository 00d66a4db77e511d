import XCTest

@testable import DangolCrypto

/// Size buckets: a file's length reveals only its bucket.
final class PaddingTests: XCTestCase {
    func testBucketBoundaries() {
        XCTAssertEqual(Padding.bucket(for: 0), 512)
        XCTAssertEqual(Padding.bucket(for: 511), 512)
        XCTAssertEqual(Padding.bucket(for: 512), 1024, "sodium_pad always adds at least one byte")
        XCTAssertEqual(Padding.bucket(for: 1023), 1024)
        XCTAssertEqual(Padding.bucket(for: 1024), 2048)
        XCTAssertEqual(Padding.bucket(for: 3000), 4096)
        XCTAssertTrue(Padding.isBucket(512))
        XCTAssertTrue(Padding.isBucket(1 << 20))
        XCTAssertFalse(Padding.isBucket(256))
        XCTAssertFalse(Padding.isBucket(768))
        XCTAssertFalse(Padding.isBucket(2 << 20))
    }

    func testPlaintextsOfOneBucketMakeFilesOfOneSize() throws {
        let key = try VaultKey.generate()
        let id = [UInt8](repeating: 7, count: 16)
        let short = try RecordFile.seal(plaintext: [UInt8](repeating: 65, count: 10), id: id, key: key)
        let longer = try RecordFile.seal(plaintext: [UInt8](repeating: 65, count: 400), id: id, key: key)
        let fullest = try RecordFile.seal(plaintext: [UInt8](repeating: 65, count: 511), id: id, key: key)
        XCTAssertEqual(short.count, longer.count)
        XCTAssertEqual(short.count, fullest.count)
        XCTAssertEqual(short.count, 24 + 24 + 512 + 16)
        let next = try RecordFile.seal(plaintext: [UInt8](repeating: 65, count: 512), id: id, key: key)
        XCTAssertEqual(next.count, 24 + 24 + 1024 + 16)
    }

    func testPadAndUnpadRoundTrip() throws {
        for length in [0, 1, 511, 512, 1000] {
            let plain = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
            let padded = try Padding.pad(plain)
            XCTAssertEqual(padded.count, Padding.bucket(for: length))
            XCTAssertEqual(padded.copyBytes(prefix: length), plain)
            XCTAssertEqual(try Padding.unpaddedLength(padded), length)
        }
    }

    func testRecordsAboveTheLargestBucketAreRefused() throws {
        XCTAssertNoThrow(try Padding.pad([UInt8](repeating: 0, count: (1 << 20) - 1)))
        XCTAssertThrowsError(try Padding.pad([UInt8](repeating: 0, count: 1 << 20))) {
            guard case .malformed = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
    }
}
