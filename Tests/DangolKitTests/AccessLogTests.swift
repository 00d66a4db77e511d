import DangolCrypto
@testable import DangolGit
@testable import DangolKit
import Foundation
import XCTest

/// The access log's entries: sealed, chained, ids only, on a ref of their own.
final class AccessLogTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = NSTemporaryDirectory() + "dangol-audit-\(UUID().uuidString)" }
    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(atPath: dir) } }

    func create(format: Int = VaultMetadata.currentFormat) throws -> Vault {
        var pass = Array("violet staple orbit canyon".utf8)
        return try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &pass),
                                kdf: .level(.test), salonWords: [], format: format).0
    }

    func testExportsAreLoggedInAChainOnTheLogsOwnRef() throws {
        let vault = try create()
        let a = try vault.add(Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01"))
        let b = try vault.add(Customer(name: "나", phone: "010-3333-4444", created: "2026-01-01"))
        _ = try vault.export(a, format: .json)
        _ = try vault.export(b, format: .md)
        let entries = try vault.auditEntries()
        XCTAssertEqual(entries.map(\.action), ["add", "add", "export", "export"])
        XCTAssertEqual(entries.map(\.records), [[a.hex], [b.hex], [a.hex], [b.hex]])
        XCTAssertEqual(entries.map(\.sequence), [1, 2, 3, 4])
        XCTAssertEqual(entries[0].previous, "")
        XCTAssertEqual(entries[0].person, "원장")
        let lines = try vault.auditLines().map(\.bytes)
        XCTAssertEqual(entries[1].previous, Hash.blake2b(lines[0]), "each entry names the one before")
        // One commit per entry on the log's ref, none on the branch.
        var logCommits = 0
        try vault.repo.walkChain(from: try XCTUnwrap(try vault.repo.resolve(Vault.auditRef))) { _ in
            logCommits += 1
            return true
        }
        XCTAssertEqual(logCommits, 4)
        XCTAssertEqual(try vault.log().map(\.operation), ["add", "add", "init"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/audit"), "no log files in the working tree")
    }

    /// Each change names, sealed into its summary, the tip it followed.
    func testAChangeIsBoundToTheLogsTip() throws {
        let vault = try create()
        let a = try vault.add(Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01"))
        try vault.audit("show", records: [a])
        try vault.addVisit(Visit(date: "2026-02-03", services: ["커트"]), to: a)
        let head = try vault.repo.commit(try vault.head())
        let message = CommitMessage.parse(head.message)
        let tipLine = try vault.auditLines()[1].bytes
        XCTAssertEqual(message.auditAfter, AuditTip(sequence: 2, hash: Hash.blake2b(tipLine)))
        XCTAssertEqual(try vault.summary(of: try vault.head())?.text(.en), "\(a.short): visit added")
        // The clear trailer edited: the summary no longer opens.
        var edited = message
        edited.auditAfter = AuditTip(sequence: 1, hash: Hash.blake2b(try vault.auditLines()[0].bytes))
        XCTAssertThrowsError(try edited.openSummary(tree: head.tree, key: vault.key))
    }

    /// Format 1 (kept for the migration's tests and the benchmark's "before"):
    /// day files on the branch, of bounded size, each entry a commit.
    func testFormatOneKeepsABusyDayInFilesOfBoundedSize() throws {
        let vault = try create(format: 1)
        XCTAssertTrue(vault.accessLogOnBranch)
        let many = (0..<100).map { _ in RecordID.random() }
        for _ in 0..<30 { try vault.audit("search", records: many) }
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let month = dir + "/audit/\(today.prefix(7))"
        let files = try FileManager.default.contentsOfDirectory(atPath: month).sorted()
        XCTAssertEqual(files.first, "\(today.suffix(2))-001.log")
        XCTAssertGreaterThan(files.count, 1)
        for f in files {
            let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: month + "/" + f)[.size] as? Int)
            XCTAssertLessThan(size, Vault.auditPartBytes + 8 * 1024, f)
        }
        XCTAssertEqual(try vault.auditEntries().map(\.sequence), Array(1...30))
        XCTAssertTrue(try vault.verifyAccessLog().problems.isEmpty)
        XCTAssertNil(try vault.repo.resolve(Vault.auditRef))
    }
}
