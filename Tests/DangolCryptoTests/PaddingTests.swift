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

    /// Summaries and access-log entries: the box's length tells the bucket
    /// only, not the length of the text inside.
    func testSealedTextIsPaddedToItsPurposesBuckets() throws {
        let key = try VaultKey.generate()
        let ad = Array("test".utf8)
        func size(_ text: String, _ purpose: VaultKey.Purpose) throws -> Int {
            let box = try SealedText.seal(text, context: ad, key: key, purpose: purpose)
            XCTAssertEqual(try SealedText.open(box, context: ad, key: key, purpose: purpose), text)
            return box.count
        }
        let overhead = AEAD.nonceBytes + AEAD.tagBytes
        XCTAssertEqual(try size("a1b2c3d4: phone changed", .summaries), 256 + overhead)
        XCTAssertEqual(try size("a1b2c3d4: name changed, phone changed, birthday set, visit added", .summaries),
                       256 + overhead)
        XCTAssertEqual(try size("", .summaries), 256 + overhead)
        XCTAssertEqual(try size(String(repeating: "가", count: 85), .summaries), 512 + overhead, "255 bytes + 2")
        XCTAssertEqual(try size(String(repeating: "x", count: 254), .summaries), 256 + overhead)
        XCTAssertEqual(try size(String(repeating: "x", count: 255), .summaries), 512 + overhead)
        XCTAssertEqual(try size(#"{"records":["a"]}"#, .audit), 512 + overhead)
        XCTAssertEqual(try size(String(repeating: "r", count: 600), .audit), 1024 + overhead)

        // A box sealed before padding (the bare text) still opens.
        let bare = try Array("8d2e0c1f: visit added".utf8).withUnsafeBytes {
            try AEAD.seal($0, ad: ad, key: key.subkey(.summaries))
        }
        XCTAssertEqual(try SealedText.open(bare, context: ad, key: key, purpose: .summaries), "8d2e0c1f: visit added")
        // A padded text whose padding is not ISO/IEC 7816-4 is refused.
        var broken = [UInt8](repeating: 0, count: 256)
        broken[1] = 0x41
        let bad = try broken.withUnsafeBytes { try AEAD.seal($0, ad: ad, key: key.subkey(.summaries)) }
        XCTAssertThrowsError(try SealedText.open(bad, context: ad, key: key, purpose: .summaries))
    }
}
