import DangolCrypto
import DangolSynth
import Foundation
import XCTest

@testable import DangolKit

/// Bad input, generated: thousands of damaged or random inputs for each
/// parser that reads what someone else may have written (record files, key
/// slots, the index cache's store, customer JSON, queries, CSV). Each must
/// return or throw its own error; a crash or a hang fails the whole suite.
/// The seed is fixed, so a failure replays; BAD_INPUT_ROUNDS runs longer.
final class BadInputTests: XCTestCase {
    var rng = SeededGenerator(seed: 2026_11_25)
    let rounds = Int(ProcessInfo.processInfo.environment["BAD_INPUT_ROUNDS"] ?? "") ?? 2_000

    func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) } }

    /// A valid input with a few bytes flipped, cut, repeated or inserted.
    func mutate(_ input: [UInt8]) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            case 1 where !b.isEmpty: b.removeLast(Int.random(in: 0..<b.count, using: &rng))
            case 2: b.insert(contentsOf: bytes(Int.random(in: 1...8, using: &rng)), at: Int.random(in: 0...b.count, using: &rng))
            case 3 where b.count > 1:
                let i = Int.random(in: 0..<b.count - 1, using: &rng)
                b.insert(contentsOf: b[i...min(b.count - 1, i + 16)], at: i)
            default: b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
            }
        }
        return b
    }

    func testRecordFilesThatAreNotWhatWasWrittenAreRefused() throws {
        let key = try VaultKey.generate()
        let id = bytes(16)
        let plain = Array("{\"name\":\"가\",\"phone\":\"010-1234-5678\"}".utf8)
        let good = try RecordFile.seal(plaintext: plain, id: id, key: key)
        var opened = 0
        for _ in 0..<rounds {
            let bad = mutate(good)
            if bad == good { continue }
            do {
                _ = try RecordFile.open(bad, id: id, key: key)
                opened += 1
            } catch is CryptoError {}
        }
        XCTAssertEqual(opened, 0, "a changed file never opens")
        print("bad input: record files \(rounds) inputs, \(opened) opened")
        XCTAssertEqual(try RecordFile.open(good, id: id, key: key).copyBytes(), plain)
    }

    func testKeySlotsDecodeOrSayWhy() throws {
        let key = try VaultKey.generate()
        var secret = Array("violet staple orbit canyon".utf8)
        let slot = try KeySlot.create(kind: .person, role: .owner, name: "원장", secret: try SecureBytes(consuming: &secret),
                                      parameters: KDFParameters.level(.test), key: key, slotID: bytes(8))
        let good = slot.encoded()
        for _ in 0..<rounds {
            for input in [mutate(good), bytes(Int.random(in: 0...200, using: &rng))] {
                do {
                    let s = try KeySlot.decode(input)
                    XCTAssertEqual(s.encoded(), input, "what decodes re-encodes to the same bytes")
                } catch is CryptoError {}
            }
        }
        print("bad input: key slots \(2 * rounds) inputs")
    }

    func testTheIndexStoreRefusesDamagedSegments() throws {
        var b = RecordStore.Builder()
        var salon = SyntheticSalon(seed: 3)
        for _ in 0..<20 {
            var encoded = RecordStore.encode(salon.customer())
            try b.append(RecordID.random(), encoded: &encoded)
        }
        let good = try b.finish().segments[0].copyBytes()
        for _ in 0..<rounds / 4 {
            var bad = mutate(good)
            let segment = try SecureBytes(consuming: &bad)
            // Parsing may succeed on a harmless change; decoding each record
            // must then return or throw, never trap.
            guard let store = try? RecordStore(parsing: [segment]) else { continue }
            for i in 0..<store.count { _ = try? store.customer(i) }
        }
        print("bad input: index segments \(rounds / 4) inputs")
    }

    func testCustomerDocumentsAreValidatedWithAPath() throws {
        let good = Array(try Customer(name: "김민지", phone: "010-1234-5678", note: "두피", created: "2026-01-01").encoded())
        for _ in 0..<rounds {
            do { _ = try Schema.decode(mutate(good), today: "2026-11-25") } catch let e as ValidationFailure {
                XCTAssertFalse("\(e)".isEmpty)
            }
        }
        print("bad input: customer JSON \(rounds) inputs")
    }

    func testQueriesParseOrSayWhatIsWrong() {
        let pieces = ["5678", "010-", "김", "ㄱㅁ", "service:", "visited:", ">", "<=", "2026-13-01", "..", "inactive:",
                      "2y", "birthday:", "12-25", "consent:", "allergy:", "\u{1100}", "\u{0301}", " ", "\t", ":", "+82", "\0"]
        for _ in 0..<rounds {
            let text = (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            do {
                let q = try Query.parse(text)
                XCTAssertFalse(q.terms.isEmpty && q.filters.isEmpty, "a parsed query asks something")
            } catch let e as Query.ParseError {
                XCTAssertFalse(e.description.isEmpty)
            } catch {
                XCTFail("\(text.debugDescription): \(error)")
            }
        }
        print("bad input: queries \(rounds) inputs")
    }

    func testCSVOfAnyShapeParsesOrSaysWhy() throws {
        let good = Array("이름,휴대폰,메모\n김민지,010-1234-5678,\"두피, 예민\"\n박지민,02-555-5678,\"\"\"따옴표\"\"\"\n".utf8)
        for _ in 0..<rounds {
            let text = String(decoding: mutate(good), as: UTF8.self)
            do { _ = try CSV.parse(text) } catch let e as CSV.ParseError { XCTAssertFalse(e.description.isEmpty) }
        }
        print("bad input: CSV \(rounds) inputs")
    }
}
