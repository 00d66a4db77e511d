import DangolCrypto
@testable import DangolGit
@testable import DangolKit
import Foundation
import XCTest

/// Format 1 → 2: the access log leaves the data branch for its own ref when
/// a vault is unlocked, without rewriting history, and nothing of it is lost;
/// then 2 → 3 (UpgradeTests) in the same unlock, its entry on that ref.
final class MigrationTests: XCTestCase {
    var dir: String!
    let passphrase = "violet staple orbit canyon"

    override func setUpWithError() throws { dir = NSTemporaryDirectory() + "dangol-migrate-\(UUID().uuidString)" }
    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(atPath: dir) } }

    func secret() throws -> SecureBytes {
        var b = Array(passphrase.utf8)
        return try SecureBytes(consuming: &b)
    }

    func testAFormatOneVaultMigratesOnceAndKeepsEveryEntry() throws {
        let old = try Vault.create(at: dir, owner: "원장", passphrase: try secret(), kdf: .level(.test), salonWords: [],
                                   format: 1).0
        let a = try old.add(Customer(name: "가을", phone: "010-1111-2222", created: "2026-01-01"))
        let b = try old.add(Customer(name: "나래", phone: "010-3333-4444", created: "2026-01-01"))
        try old.audit("show", records: [a])
        try old.addVisit(Visit(date: "2026-02-03", services: ["커트"]), to: b)
        try old.audit("search", records: [a, b])
        let before = try old.auditEntries()
        let oldHead = try old.head()
        let oldAudit = try XCTUnwrap(try old.repo.entry(at: "audit", inTree: try old.repo.commit(oldHead).tree))
        XCTAssertEqual(before.count, 5)

        let locked = try LockedVault.open(at: dir)
        XCTAssertEqual(locked.metadata.format, 1)
        let vault = try locked.unlock(passphrase: try secret())
        XCTAssertEqual(vault.metadata.format, 3)
        let after = try vault.auditEntries()
        XCTAssertEqual(Array(after.prefix(before.count)), before, "every entry kept as it was")
        XCTAssertEqual(after.suffix(2).map(\.action), ["migrate", "upgrade"])
        XCTAssertEqual(after.count, before.count + 2)

        // No rewrite: the old head is the migration commit's parent (the
        // upgrade's commit on top), and the log's ref starts from the very
        // same files.
        let head = try vault.repo.commit(try vault.head())
        XCTAssertEqual(CommitMessage.parse(head.message).operation, "upgrade")
        let migration = try vault.repo.commit(try XCTUnwrap(head.parents.first))
        XCTAssertEqual(migration.parents, [oldHead])
        XCTAssertEqual(CommitMessage.parse(migration.message).operation, "migrate")
        XCTAssertNil(try vault.repo.entry(at: "audit", inTree: head.tree), "the head holds no log files")
        XCTAssertNotNil(try vault.repo.entry(at: "audit", inTree: try vault.repo.commit(oldHead).tree))
        var root: ChainCommit?
        try vault.repo.walkChain(from: try XCTUnwrap(try vault.repo.resolve(Vault.auditRef))) {
            root = $0
            return true
        }
        XCTAssertEqual(try vault.repo.entry(at: "audit", inTree: try XCTUnwrap(root).tree)?.id, oldAudit.id)
        let verified = try vault.verifyAccessLog()
        XCTAssertEqual(verified.problems, [])
        XCTAssertEqual(verified.entries, 7)
        XCTAssertGreaterThanOrEqual(verified.tipsChecked, 6, "format 1's tips, the migration's and the upgrade's")

        // Opened again: nothing more to do.
        let again = try LockedVault.open(at: dir).unlock(passphrase: try secret())
        XCTAssertEqual(try again.auditEntries().count, 7)
        XCTAssertEqual(try again.head(), try vault.head())

        // And the vault goes on in format 3.
        try again.set([(field: "note", value: "앞머리")], on: a)
        XCTAssertEqual(try again.auditEntries().map(\.action).suffix(3), ["migrate", "upgrade", "set"])
        XCTAssertEqual(try again.verifyAccessLog().problems, [])
        XCTAssertEqual(try again.check(history: true).findings.map(\.description), [])
    }

    func testAFormatOneVaultWithoutEntriesMigrates() throws {
        _ = try Vault.create(at: dir, owner: "원장", passphrase: try secret(), kdf: .level(.test), salonWords: [],
                             format: 1)
        let vault = try LockedVault.open(at: dir).unlock(passphrase: try secret())
        XCTAssertEqual(try vault.auditEntries().map(\.action), ["migrate", "upgrade"])
        XCTAssertEqual(try vault.verifyAccessLog().problems, [])
    }
}
