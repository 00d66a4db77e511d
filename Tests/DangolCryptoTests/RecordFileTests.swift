@testable import DangolCrypto
import XCTest

/// Record files: every way a file can be wrong is refused with its own error.
final class RecordFileTests: XCTestCase {
    let id = Array(UInt8(1)...UInt8(16))
    let other = Array(UInt8(101)...UInt8(116))

    func testRoundTripAndSizeBuckets() throws {
        let key = try VaultKey.generate()
        let plain = Array("{\"name\":\"김민지\"}".utf8)
        let file = try RecordFile.seal(plaintext: plain, id: id, key: key)
        XCTAssertEqual(try RecordFile.open(file, id: id, key: key).copyBytes(), plain)
        let short = try RecordFile.seal(plaintext: [UInt8](repeating: 65, count: 10), id: id, key: key)
        let longer = try RecordFile.seal(plaintext: [UInt8](repeating: 65, count: 400), id: id, key: key)
        XCTAssertEqual(short.count, longer.count, "records of one bucket have the same size")
        XCTAssertEqual(short.count, 24 + 24 + 512 + 16)
        XCTAssertEqual(Padding.bucket(for: 511), 512)
        XCTAssertEqual(Padding.bucket(for: 512), 1024)
        XCTAssertEqual(Padding.bucket(for: 3000), 4096)
        XCTAssertThrowsError(try RecordFile.seal(plaintext: [UInt8](repeating: 0, count: 1 << 20), id: id, key: key))
    }

    func testEveryFlippedBitIsRefused() throws {
        let key = try VaultKey.generate()
        let file = try RecordFile.seal(plaintext: Array("hello".utf8), id: id, key: key)
        for i in 0..<file.count {
            var bad = file
            bad[i] ^= 0x10
            XCTAssertThrowsError(try RecordFile.open(bad, id: id, key: key), "byte \(i)")
        }
        var body = file
        body[200] ^= 1
        XCTAssertThrowsError(try RecordFile.open(body, id: id, key: key)) {
            XCTAssertEqual($0 as? CryptoError, .unauthenticated)
        }
    }

    func testEachKindOfDamageHasItsOwnError() throws {
        let key = try VaultKey.generate()
        let file = try RecordFile.seal(plaintext: Array("hello".utf8), id: id, key: key)
        var errors = [String]()
        func expect(_ bytes: [UInt8], at: [UInt8], _ check: (CryptoError) -> Bool) {
            do {
                _ = try RecordFile.open(bytes, id: at, key: key)
                XCTFail("accepted")
            } catch let e as CryptoError {
                XCTAssertTrue(check(e), "\(e)")
                errors.append(e.description)
            } catch { XCTFail("\(error)") }
        }
        expect(Array(file.dropLast(5)), at: id) { if case .truncated = $0 { return true } else { return false } }
        expect(file, at: other) { $0 == .recordMoved(claimedID: hex(self.id)) }
        var version = file
        version[4] = 9
        expect(version, at: id) { $0 == .unknownVersion(kind: "record", version: 9) }
        var flipped = file
        flipped[100] ^= 1
        expect(flipped, at: id) { $0 == .unauthenticated }
        var magic = file
        magic[0] = 0x58
        expect(magic, at: id) { $0 == .badMagic(expected: "dangol record file") }
        XCTAssertEqual(Set(errors).count, 5, "five distinct messages: \(errors)")
        // A damaged id field is damage, not a move.
        var idByte = file
        idByte[10] ^= 1
        expect(idByte, at: id) { $0 == .unauthenticated }
    }
}
