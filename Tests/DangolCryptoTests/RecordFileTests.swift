import XCTest

@testable import DangolCrypto

/// Record files: a round trip, and every way a file can be wrong refused
/// with its own error.
final class RecordFileTests: XCTestCase {
    let id = Array(UInt8(1)...UInt8(16))
    let otherID = Array(UInt8(101)...UInt8(116))
    var key: VaultKey!
    var file: [UInt8]!

    override func setUpWithError() throws {
        key = try VaultKey.generate()
        file = try RecordFile.seal(plaintext: Array(#"{"name":"김민지"}"#.utf8), id: id, key: key)
    }

    func error(_ bytes: [UInt8], at id: [UInt8]) -> CryptoError? {
        do {
            _ = try RecordFile.open(bytes, id: id, key: key)
            return nil
        } catch { return error as? CryptoError }
    }

    func testRoundTrip() throws {
        XCTAssertEqual(try RecordFile.open(file, id: id, key: key).copyBytes(), Array(#"{"name":"김민지"}"#.utf8))
        let empty = try RecordFile.seal(plaintext: [], id: id, key: key)
        XCTAssertEqual(try RecordFile.open(empty, id: id, key: key).count, 0)
        let big = [UInt8](repeating: 0x41, count: 3000)
        XCTAssertEqual(
            try RecordFile.open(try RecordFile.seal(plaintext: big, id: id, key: key), id: id, key: key).copyBytes(),
            big)
    }

    func testHeaderLayout() {
        XCTAssertEqual(Array(file[0..<4]), Array("DGRC".utf8))
        XCTAssertEqual(file[4], RecordFile.version)
        XCTAssertEqual(file[5], RecordFile.cipherXChaCha20Poly1305)
        XCTAssertEqual(Array(file[6..<8]), [0, 0])
        XCTAssertEqual(Array(file[8..<24]), id)
        XCTAssertEqual(file.count, 24 + 24 + 512 + 16)
    }

    func testSealingTwiceGivesDifferentFiles() throws {
        let again = try RecordFile.seal(plaintext: Array(#"{"name":"김민지"}"#.utf8), id: id, key: key)
        XCTAssertEqual(Array(again.prefix(24)), Array(file.prefix(24)))
        XCTAssertNotEqual(Array(again[24..<48]), Array(file[24..<48]), "a fresh nonce every time")
    }

    func testAFlippedBitAnywhereAfterTheHeaderIsUnauthenticated() {
        for i in RecordFile.headerBytes..<file.count {
            var bad = file!
            bad[i] ^= UInt8(1) << UInt8(i % 8)
            XCTAssertEqual(error(bad, at: id), .unauthenticated, "byte \(i)")
        }
    }

    func testAFlippedBitInTheHeaderIsRefused() {
        for i in 0..<RecordFile.headerBytes {
            var bad = file!
            bad[i] ^= UInt8(1) << UInt8(i % 8)
            let e = error(bad, at: id)
            switch i {
            case 0..<4: XCTAssertEqual(e, .badMagic(expected: "dangol record file"), "byte \(i)")
            case 4: XCTAssertEqual(e, .unknownVersion(kind: "record", version: bad[4]), "byte \(i)")
            case 5..<8:
                guard case .malformed = e else { XCTFail("byte \(i): \(String(describing: e))"); continue }
            default:
                // A damaged id field is damage, not a move.
                XCTAssertEqual(e, .unauthenticated, "byte \(i)")
            }
        }
    }

    func testTruncatedOrExtendedFilesAreRefused() {
        for length in [0, 3, 4, 5, 24, 48, 63, file.count - 16, file.count - 1] {
            guard case .truncated = error(Array(file.prefix(length)), at: id) else {
                XCTFail("length \(length): \(String(describing: error(Array(file.prefix(length)), at: id)))")
                continue
            }
        }
        guard case .truncated(_, let got) = error(file + [0], at: id) else { return XCTFail("extended file accepted") }
        XCTAssertEqual(got, file.count + 1)
    }

    func testAMovedFileNamesTheRecordItBelongsTo() {
        XCTAssertEqual(error(file, at: otherID), .recordMoved(claimedID: hex(id)))
        XCTAssertEqual(hex(id), "0102030405060708090a0b0c0d0e0f10")
    }

    func testUnknownVersionAndBadMagic() {
        var version = file!
        version[4] = 2
        XCTAssertEqual(error(version, at: id), .unknownVersion(kind: "record", version: 2))
        var magic = file!
        magic[0..<4] = Array("DGKS".utf8)[...]
        XCTAssertEqual(error(magic, at: id), .badMagic(expected: "dangol record file"))
    }

    func testEachKindOfDamageHasItsOwnError() {
        var version = file!
        version[4] = 9
        var magic = file!
        magic[0] = 0x58
        var flipped = file!
        flipped[100] ^= 1
        let errors = [
            error(Array(file.dropLast(5)), at: id), error(file, at: otherID), error(version, at: id),
            error(magic, at: id), error(flipped, at: id),
        ]
        XCTAssertFalse(errors.contains(nil))
        let kinds = errors.compactMap { $0 }.map { e -> String in
            switch e {
            case .truncated: return "truncated"
            case .recordMoved: return "moved"
            case .unknownVersion: return "version"
            case .badMagic: return "magic"
            case .unauthenticated: return "unauthenticated"
            default: return "other"
            }
        }
        XCTAssertEqual(kinds, ["truncated", "moved", "version", "magic", "unauthenticated"])
        XCTAssertEqual(Set(errors.compactMap { $0?.description }).count, 5, "five distinct messages")
    }

    func testAnotherVaultsKeyDoesNotOpen() throws {
        XCTAssertEqual(error(file, at: id), nil)
        let other = try VaultKey.generate()
        XCTAssertThrowsCryptoError(.unauthenticated, try RecordFile.open(file, id: id, key: other))
    }

    func testRecordIDsMustBeSixteenBytes() {
        XCTAssertThrowsError(try RecordFile.seal(plaintext: [1], id: Array(id.prefix(15)), key: key))
    }
}
