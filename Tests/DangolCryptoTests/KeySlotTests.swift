@testable import DangolCrypto
import XCTest

/// Key slots: wrap and unwrap, refusal of wrong passphrases, renamed slots
/// and absurd KDF parameters (before any work).
final class KeySlotTests: XCTestCase {
    func secret(_ s: String) throws -> SecureBytes {
        var b = Array(s.utf8)
        return try SecureBytes(consuming: &b)
    }

    func testWrapUnwrapAndRefusals() throws {
        let key = try VaultKey.generate()
        let slotID: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let slot = try KeySlot.create(kind: .person, role: .owner, name: "원장", secret: try secret("violet staple orbit canyon"),
                                      parameters: .level(.test), key: key, slotID: slotID)
        let encoded = slot.encoded()
        XCTAssertEqual(encoded.count, 114 + "원장".utf8.count)
        let decoded = try KeySlot.decode(encoded)
        XCTAssertEqual(decoded, slot)
        let unwrapped = try decoded.unwrap(secret: try secret("violet staple orbit canyon"), slotID: slotID)
        XCTAssertTrue(unwrapped.subkey(.records).constantTimeEquals(key.subkey(.records)))
        XCTAssertThrowsError(try decoded.unwrap(secret: try secret("violet staple orbit canyoN"), slotID: slotID)) {
            XCTAssertEqual($0 as? CryptoError, .unauthenticated)
        }
        XCTAssertThrowsError(try decoded.unwrap(secret: try secret("violet staple orbit canyon"), slotID: [9, 9, 9, 9, 9, 9, 9, 9]),
                             "a renamed slot does not open")
        var renamedOwner = encoded
        renamedOwner[42] ^= 1  // first byte of the name
        XCTAssertThrowsError(try KeySlot.decode(renamedOwner).unwrap(secret: try secret("violet staple orbit canyon"), slotID: slotID))
        XCTAssertThrowsError(try KeySlot.decode(Array(encoded.dropLast()))) {
            if case .truncated = $0 as? CryptoError {} else { XCTFail("\($0)") }
        }
    }

    func testAbsurdParametersAreRefusedWhileParsing() throws {
        let key = try VaultKey.generate()
        let slot = try KeySlot.create(kind: .person, role: .owner, name: "a", secret: try secret("violet staple orbit canyon"),
                                      parameters: .level(.test), key: key, slotID: [0, 0, 0, 0, 0, 0, 0, 0])
        var ops = slot.encoded()
        ops.replaceSubrange(8..<16, with: withUnsafeBytes(of: UInt64(1_000_000).littleEndian, Array.init))
        XCTAssertThrowsError(try KeySlot.decode(ops)) {
            if case .kdfParametersRefused = $0 as? CryptoError {} else { XCTFail("\($0)") }
        }
        var mem = slot.encoded()
        mem.replaceSubrange(16..<24, with: withUnsafeBytes(of: UInt64(64 << 30).littleEndian, Array.init))
        XCTAssertThrowsError(try KeySlot.decode(mem)) {
            if case .kdfParametersRefused = $0 as? CryptoError {} else { XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try KDFParameters(opsLimit: 0, memLimit: 8192).validate())
        let moderate = KDFParameters.level(.moderate)
        XCTAssertEqual(moderate.opsLimit, 3)
        XCTAssertEqual(moderate.memLimit, 256 << 20)
        XCTAssertNoThrow(try moderate.validate())
        XCTAssertNoThrow(try KDFParameters.level(.sensitive).validate())
    }

    func testRecoveryCodes() throws {
        let code = try RecoveryCode.generate()
        let text = String(decoding: code.copyBytes(), as: UTF8.self)
        let groups = text.split(separator: "-")
        XCTAssertEqual(groups.count, 8)
        XCTAssertTrue(groups.allSatisfy { $0.count == 4 })
        XCTAssertTrue(text.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ-".contains($0) })
        let typed = text.lowercased().replacingOccurrences(of: "-", with: " ")
        XCTAssertTrue(try RecoveryCode.normalize(try secret(typed)).constantTimeEquals(code))
        let confusable = try RecoveryCode.normalize(try secret("OIL0-0000-0000-0000-0000-0000-0000-0000"))
        XCTAssertEqual(String(decoding: confusable.copyBytes(), as: UTF8.self), "0110-0000-0000-0000-0000-0000-0000-0000")
        XCTAssertThrowsError(try RecoveryCode.normalize(try secret("ABCD-EFGH")))
        XCTAssertThrowsError(try RecoveryCode.normalize(try secret("UUUU-0000-0000-0000-0000-0000-0000-0000")), "U is not in the alphabet")
    }
}
