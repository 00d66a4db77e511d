import DangolCrypto
import Foundation
import XCTest

@testable import DangolKit

/// Format 1 to 3: a vault as an older dangol left it (dangol.json without
/// its MAC, every slot wrapping the vault key directly, the access log on
/// the branch) is upgraded when it is opened with the key, one format at a
/// time; each person's slot gets its key pair when that
/// person next unlocks, after which the owner can rekey for everyone.
final class UpgradeTests: XCTestCase {
    let ownerPass = "violet staple orbit canyon"
    let staffPass = "quiet harbor lantern meadow"
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dangol-upgrade-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    func secret(_ s: String) throws -> SecureBytes {
        var b = Array(s.utf8)
        return try SecureBytes(consuming: &b)
    }

    /// A vault of format 1 with an owner, a staff member and one customer,
    /// written the way dangol wrote it then: dangol.json without a MAC,
    /// slots of version 1, the access log on the branch.
    func formatOneVault() throws -> RecordID {
        let (vault, _) = try Vault.create(
            at: dir, owner: "원장", passphrase: try secret(ownerPass), kdf: .level(.test), salonWords: [], format: 1)
        let id = try vault.add(Customer(name: "김민지", phone: "010-1234-5678", created: "2026-11-01"))
        let staffID = Random.bytes(8)
        let staff = try KeySlot.create(
            kind: .person, role: .staff, name: "지수", secret: try secret(staffPass), parameters: .level(.test),
            key: vault.key, slotID: staffID)
        try vault.commitLogged(
            operation: "user", records: [:], files: [Slots.path(staffID): staff.encoded()],
            summary: ChangeSummary(event: .personAdded, about: ["staff"]), expectedHead: try vault.head(),
            logAction: "user-add")
        return id
    }

    func testAFormatOneVaultIsUpgradedAndThenRekeyedForEveryone() throws {
        let id = try formatOneVault()
        XCTAssertEqual(try LockedVault.open(at: dir).metadata.format, 1)
        XCTAssertTrue(try LockedVault.open(at: dir).slots.persons.allSatisfy { $0.slot.format == 1 })

        // The owner opens it: dangol.json gets its MAC, the owner's slot its key pair.
        let owner = try LockedVault.open(at: dir).unlock(passphrase: try secret(ownerPass))
        XCTAssertNil(owner.upgradeFailure)
        XCTAssertEqual(owner.metadata.format, 3)
        XCTAssertTrue(owner.integrityProblems.isEmpty)
        let bytes = try XCTUnwrap(try owner.vaultFile(VaultMetadata.fileName))
        XCTAssertTrue(VaultMetadata.verify(bytes, key: owner.key))
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains("\"format\" : 3"))
        let slots = try owner.headSlots()
        XCTAssertEqual(slots.persons.first { $0.slot.name == "원장" }?.slot.format, 2)
        XCTAssertEqual(slots.persons.first { $0.slot.name == "지수" }?.slot.format, 1)
        XCTAssertEqual(try owner.read(id).name, "김민지")
        // Both steps, each a commit with its entry on the log's own ref.
        XCTAssertNotNil(try owner.auditHeadID())
        XCTAssertTrue(try owner.auditFiles(inTree: try owner.repo.commit(try owner.head()).tree).isEmpty)
        XCTAssertEqual(Array(try owner.auditEntries().map(\.action).suffix(2)), ["migrate", "upgrade"])
        XCTAssertTrue(try owner.verifyAccessLog().problems.isEmpty)

        // The staff slot cannot take a new key before 지수 has opened the vault.
        XCTAssertThrowsError(try owner.rekey(passphrase: nil)) { XCTAssertTrue("\($0)".contains("지수"), "\($0)") }

        // 지수 opens it: their slot is upgraded and trusts the owner.
        let staff = try LockedVault.open(at: dir).unlock(passphrase: try secret(staffPass))
        XCTAssertNil(staff.upgradeFailure)
        let upgraded = try XCTUnwrap(try staff.headSlots().persons.first { $0.slot.name == "지수" })
        XCTAssertEqual(upgraded.slot.format, 2)
        let ownerID = try XCTUnwrap(slots.persons.first { $0.slot.name == "원장" }?.id)
        XCTAssertTrue(upgraded.slot.trusts(ownerID, slotID: upgraded.id))

        // Now the owner gives everyone a new key; both passphrases open it.
        let again = try LockedVault.open(at: dir).unlock(passphrase: try secret(ownerPass))
        let (report, _, people) = try again.rekey(passphrase: nil)
        XCTAssertEqual(report.remnantsFound, 0)
        XCTAssertEqual(people, ["원장", "지수"])
        let after = try LockedVault.open(at: dir).unlock(passphrase: try secret(staffPass))
        XCTAssertEqual(try after.read(id).name, "김민지")
        XCTAssertNotEqual(after.key.withRawKey { Array($0) }, owner.key.withRawKey { Array($0) })
        XCTAssertTrue(VaultMetadata.verify(try XCTUnwrap(try after.vaultFile(VaultMetadata.fileName)), key: after.key))
        XCTAssertTrue(try after.check(history: true).findings.isEmpty)
        XCTAssertTrue(try LockedVault.open(at: dir).unlock(passphrase: try secret(ownerPass)).verifyAccessLog().problems
            .isEmpty)
    }

    /// Opening does not adopt a format 1 dangol.json that a commit made
    /// without the key put on a format 3 vault (its settings unprotected).
    func testADowngradedFileFromOutsideIsNotUpgraded() throws {
        let (vault, _) = try Vault.create(at: dir, owner: "원장", passphrase: try secret(ownerPass), kdf: .level(.test))
        var meta = vault.metadata
        meta.format = 1
        meta.settings.staffSeesContacts = true
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        let repo = vault.repo
        let blob = try repo.writeBlob(Array(try e.encode(meta)) + [0x0A])
        let head = try vault.head()
        let tree = try repo.editTree(base: try repo.commit(head).tree, changes: [VaultMetadata.fileName: blob])
        let forged = try repo.createCommit(tree: tree, parents: [head], authorName: "someone",
                                           authorEmail: "x@y", message: "settings\n")
        try repo.updateReference(Vault.branch, to: forged, expected: head, logMessage: "test")

        let opened = try LockedVault.open(at: dir).unlock(passphrase: try secret(ownerPass))
        XCTAssertEqual(opened.metadata.format, 1, "not upgraded")
        XCTAssertEqual(opened.integrityProblems.map(\.file), ["commit \(forged.hex)", VaultMetadata.fileName])
        XCTAssertThrowsError(try opened.add(Customer(name: "박보라", phone: "010-2222-3333", created: "2026-11-01"))) {
            guard case .integrity(let file, _)? = $0 as? VaultError else { return XCTFail("\($0)") }
            XCTAssertEqual(file, "commit \(forged.hex)")
        }
        // Going back leaves the format 3 file, its MAC whole, as it was.
        _ = try opened.reject()
        let again = try LockedVault.open(at: dir).unlock(passphrase: try secret(ownerPass))
        XCTAssertEqual(again.metadata.format, VaultMetadata.currentFormat)
        XCTAssertTrue(again.integrityProblems.isEmpty)
    }
}
