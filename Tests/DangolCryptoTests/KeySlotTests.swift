import XCTest

@testable import DangolCrypto

/// Key slots: wrap and unwrap, refusal of wrong passphrases, renamed slots
/// and absurd KDF parameters (refused while parsing, before any work).
final class KeySlotTests: XCTestCase {
    let passphrase = "violet staple orbit canyon"
    let slotID: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    var key: VaultKey!
    var slot: KeySlot!

    override func setUpWithError() throws {
        key = try VaultKey.generate()
        slot = try KeySlot.create(
            kind: .person, role: .owner, name: "원장", secret: try secure(passphrase),
            parameters: .level(.test), key: key, slotID: slotID)
    }

    func assertSameKey(_ a: VaultKey, _ b: VaultKey, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(a.secret.constantTimeEquals(b.secret), file: file, line: line)
    }

    func testCreateAndUnwrap() throws {
        XCTAssertEqual(slot.kind, .person)
        XCTAssertEqual(slot.role, .owner)
        XCTAssertEqual(slot.name, "원장")
        XCTAssertEqual(slot.parameters, .level(.test))
        XCTAssertEqual(slot.salt.count, KDF.saltBytes)
        XCTAssertEqual(slot.nonce.count, AEAD.nonceBytes)
        XCTAssertEqual(slot.wrappedKey.count, VaultKey.byteCount + AEAD.tagBytes)
        assertSameKey(try slot.unwrap(secret: try secure(passphrase), slotID: slotID), key)
    }

    func testWrongPassphraseIsUnauthenticated() throws {
        XCTAssertThrowsCryptoError(
            .unauthenticated, try slot.unwrap(secret: try secure("violet staple orbit canyoN"), slotID: slotID))
        XCTAssertThrowsCryptoError(.unauthenticated, try slot.unwrap(secret: try secure(""), slotID: slotID))
    }

    func testARenamedSlotDoesNotUnwrap() throws {
        XCTAssertThrowsCryptoError(
            .unauthenticated, try slot.unwrap(secret: try secure(passphrase), slotID: [9, 9, 9, 9, 9, 9, 9, 9]))
    }

    func testEncodeDecodeRoundTrip() throws {
        let encoded = slot.encoded()
        XCTAssertEqual(encoded.count, 114 + "원장".utf8.count)
        XCTAssertEqual(Array(encoded.prefix(4)), Array("DGKS".utf8))
        let decoded = try KeySlot.decode(encoded)
        XCTAssertEqual(decoded, slot)
        XCTAssertEqual(decoded.encoded(), encoded)
        assertSameKey(try decoded.unwrap(secret: try secure(passphrase), slotID: slotID), key)
    }

    func testEditedHeaderFieldsDoNotUnwrap() throws {
        let encoded = slot.encoded()
        var renamedPerson = encoded
        renamedPerson[44] ^= 1  // last byte of "원" (EC 9B 90): "원" becomes "웑", still valid UTF-8
        let edited = try KeySlot.decode(renamedPerson)
        XCTAssertEqual(edited.name, "웑장")
        XCTAssertThrowsCryptoError(.unauthenticated, try edited.unwrap(secret: try secure(passphrase), slotID: slotID))
        var promoted = encoded
        promoted[6] = KeySlot.Role.staff.rawValue
        XCTAssertThrowsCryptoError(
            .unauthenticated, try KeySlot.decode(promoted).unwrap(secret: try secure(passphrase), slotID: slotID),
            "a staff slot cannot be turned into an owner's, or back")
    }

    func testDecodeRefusesDamagedSlots() throws {
        let encoded = slot.encoded()
        XCTAssertThrowsError(try KeySlot.decode(Array(encoded.dropLast()))) {
            guard case .truncated = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try KeySlot.decode(encoded + [0])) {
            guard case .truncated = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
        var magic = encoded
        magic[0] = 0
        XCTAssertThrowsCryptoError(.badMagic(expected: "dangol key slot"), try KeySlot.decode(magic))
        var version = encoded
        version[4] = 7
        XCTAssertThrowsCryptoError(.unknownVersion(kind: "key slot", version: 7), try KeySlot.decode(version))
    }

    func le(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    /// A slot written by hand from the byte format in SECURITY.md.
    func handMadeSlot(ops: UInt64, mem: UInt64, body: Bool = true) -> [UInt8] {
        var b = Array("DGKS".utf8) + [1, KeySlot.Kind.person.rawValue, KeySlot.Role.owner.rawValue, 1]
        b += le(ops) + le(mem)
        guard body else { return b }  // nothing after the parameters
        b += [UInt8](repeating: 0xAA, count: 16)  // salt
        b += [1, 0] + Array("x".utf8)  // name length (LE) and name
        b += [UInt8](repeating: 0, count: 24 + 48)  // nonce, wrapped key and tag
        return b
    }

    func testParametersAboveTheCapAreRefusedWhileParsing() throws {
        let test = KDFParameters.level(.test)
        XCTAssertNoThrow(try KeySlot.decode(handMadeSlot(ops: test.opsLimit, mem: test.memLimit)))
        XCTAssertNoThrow(try KeySlot.decode(handMadeSlot(ops: 4, mem: 1 << 30)), "the cap itself is allowed")
        for (ops, mem) in [
            (5, test.memLimit), (test.opsLimit, (1 << 30) + 1), (UInt64.max, UInt64.max), (1_000_000, 64 << 30),
        ] {
            XCTAssertThrowsError(try KeySlot.decode(handMadeSlot(ops: ops, mem: mem)), "ops \(ops) mem \(mem)") {
                guard case .kdfParametersRefused = $0 as? CryptoError else { return XCTFail("\($0)") }
            }
            // Refused from the parameters alone, before the rest is even read.
            XCTAssertThrowsError(try KeySlot.decode(handMadeSlot(ops: ops, mem: mem, body: false))) {
                guard case .kdfParametersRefused = $0 as? CryptoError else { return XCTFail("\($0)") }
            }
        }
        XCTAssertThrowsError(try KeySlot.decode(handMadeSlot(ops: 0, mem: test.memLimit)), "below the minimum") {
            guard case .kdfParametersRefused = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
    }

    func testPatchedSlotWithAbsurdParametersIsRefused() throws {
        var ops = slot.encoded()
        ops.replaceSubrange(8..<16, with: le(1_000_000))
        XCTAssertThrowsError(try KeySlot.decode(ops)) {
            guard case .kdfParametersRefused = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
        var mem = slot.encoded()
        mem.replaceSubrange(16..<24, with: le(64 << 30))
        XCTAssertThrowsError(try KeySlot.decode(mem)) {
            guard case .kdfParametersRefused = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
        // A slot built in memory is checked again by unwrap, before the KDF runs.
        var forged: KeySlot = slot
        forged.parameters.memLimit = 64 << 30
        XCTAssertThrowsError(try forged.unwrap(secret: try secure(passphrase), slotID: slotID)) {
            guard case .kdfParametersRefused = $0 as? CryptoError else { return XCTFail("\($0)") }
        }
    }

    func testModerateIsLibsodiumsModerate() throws {
        let moderate = KDFParameters.level(.moderate)
        XCTAssertEqual(moderate.opsLimit, 3)
        XCTAssertEqual(moderate.memLimit, 268_435_456)
        XCTAssertEqual(KDFParameters.level(.interactive), KDFParameters(opsLimit: 2, memLimit: 67_108_864))
        XCTAssertEqual(KDFParameters.level(.sensitive), KDFParameters(opsLimit: 4, memLimit: 1_073_741_824))
        for level in KDFParameters.Level.allCases {
            XCTAssertNoThrow(try KDFParameters.level(level).validate(), level.rawValue)
        }
    }

    func testOverlongNamesAreRefused() throws {
        XCTAssertThrowsError(
            try KeySlot.create(
                kind: .person, role: .staff, name: String(repeating: "a", count: 257), secret: try secure(passphrase),
                parameters: .level(.test), key: key, slotID: slotID))
        XCTAssertNoThrow(
            try KeySlot.create(
                kind: .person, role: .staff, name: String(repeating: "a", count: 256), secret: try secure(passphrase),
                parameters: .level(.test), key: key, slotID: slotID))
    }
}
