import XCTest

@testable import DangolCrypto

/// Version 2 person slots: a key pair under the passphrase, the vault key
/// sealed to it by the person or a trusted owner, a MAC over the whole slot.
final class KeySlotV2Tests: XCTestCase {
    let ownerID: [UInt8] = [1, 1, 1, 1, 1, 1, 1, 1]
    let staffID: [UInt8] = [2, 2, 2, 2, 2, 2, 2, 2]

    func secure(_ s: String) throws -> SecureBytes {
        var b = Array(s.utf8)
        return try SecureBytes(consuming: &b)
    }

    func same(_ a: VaultKey, _ b: VaultKey) -> Bool { a.secret.constantTimeEquals(b.secret) }

    /// An owner and a staff member who trusts them, both sealed by themselves.
    func people(_ key: VaultKey) throws -> (owner: KeySlot, ownerKey: PersonKey, staff: KeySlot) {
        let ownerKey = try PersonKey.generate()
        let owner = try KeySlot.createPerson(
            role: .owner, name: "원장", secret: try secure("owner passphrase here"), parameters: .level(.test),
            key: key, slotID: ownerID, trusted: [], personKey: ownerKey)
        let staff = try KeySlot.createPerson(
            role: .staff, name: "지수", secret: try secure("staff passphrase here"), parameters: .level(.test),
            key: key, slotID: staffID, trusted: [.init(slotID: ownerID, publicKey: ownerKey.publicKey)])
        return (owner, ownerKey, staff)
    }

    func testEachPassphraseOpensTheVaultKeyAndTheFormatRoundTrips() throws {
        let key = try VaultKey.generate()
        let (owner, _, staff) = try people(key)
        XCTAssertTrue(same(try owner.unwrap(secret: try secure("owner passphrase here"), slotID: ownerID), key))
        XCTAssertTrue(same(try staff.unwrap(secret: try secure("staff passphrase here"), slotID: staffID), key))
        XCTAssertThrowsError(try staff.unwrap(secret: try secure("owner passphrase here"), slotID: staffID)) {
            XCTAssertEqual($0 as? CryptoError, .unauthenticated)
        }
        XCTAssertThrowsError(try staff.unwrap(secret: try secure("staff passphrase here"), slotID: ownerID), "renamed")
        let bytes = staff.encoded()
        XCTAssertEqual(bytes.count, 259 + "지수".utf8.count + 40 * 1)
        XCTAssertEqual(bytes[4], 2)
        XCTAssertEqual(try KeySlot.decode(bytes), staff)
        XCTAssertEqual(owner.encoded().count, 259 + "원장".utf8.count)
        XCTAssertTrue(staff.verifies(under: key, slotID: staffID))
        XCTAssertFalse(staff.verifies(under: try VaultKey.generate(), slotID: staffID))
    }

    /// A rekey: the owner seals a new key to the staff slot with the owner's
    /// own secret key; the staff passphrase opens it, the old key no longer
    /// verifies the slot.
    func testATrustedOwnerSealsANewKeyWithoutTheStaffPassphrase() throws {
        let old = try VaultKey.generate(), new = try VaultKey.generate()
        let (_, ownerKey, staff) = try people(old)
        XCTAssertTrue(staff.trusts(ownerID, slotID: staffID))
        let rekeyed = try staff.resealed(new, from: ownerID, sender: ownerKey, slotID: staffID)
        XCTAssertEqual(rekeyed.wrappedKey, staff.wrappedKey, "the passphrase part stays as it was")
        XCTAssertTrue(same(try rekeyed.unwrap(secret: try secure("staff passphrase here"), slotID: staffID), new))
        XCTAssertFalse(rekeyed.verifies(under: old, slotID: staffID))
    }

    /// Someone without the vault key cannot make a slot hand out a key of
    /// theirs: a box from an untrusted sender, a box under the slot's own
    /// name, a new trusted owner or a changed MAC are all refused.
    func testForgedSealedKeysAreRefused() throws {
        let key = try VaultKey.generate(), forged = try VaultKey.generate()
        let (_, _, staff) = try people(key)
        let pass = try secure("staff passphrase here")
        let mallory = try PersonKey.generate()
        let malloryID: [UInt8] = [6, 6, 6, 6, 6, 6, 6, 6]

        let untrusted = try staff.resealed(forged, from: malloryID, sender: mallory, slotID: staffID)
        XCTAssertThrowsError(try untrusted.unwrap(secret: pass, slotID: staffID)) {
            XCTAssertTrue("\($0)".contains("does not trust"), "\($0)")
        }
        let asSelf = try staff.resealed(forged, from: staffID, sender: mallory, slotID: staffID)
        XCTAssertThrowsError(try asSelf.unwrap(secret: pass, slotID: staffID)) {
            XCTAssertTrue("\($0)".contains("does not open"), "\($0)")
        }
        var trusting = staff
        trusting.trusted.append(.init(slotID: malloryID, publicKey: mallory.publicKey))
        trusting = try trusting.resealed(forged, from: malloryID, sender: mallory, slotID: staffID)
        XCTAssertThrowsError(try trusting.unwrap(secret: pass, slotID: staffID), "the list is bound to the passphrase") {
            XCTAssertEqual($0 as? CryptoError, .unauthenticated)
        }
        var badMAC = staff
        badMAC.mac[0] ^= 1
        XCTAssertThrowsError(try badMAC.unwrap(secret: pass, slotID: staffID)) {
            XCTAssertTrue("\($0)".contains("MAC"), "\($0)")
        }
        var swapped = staff
        swapped.publicKey = mallory.publicKey
        XCTAssertThrowsError(try swapped.unwrap(secret: pass, slotID: staffID))
    }
}
