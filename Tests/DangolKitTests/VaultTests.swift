import DangolCrypto
import Foundation
import XCTest

@testable import DangolKit

/// A vault end to end, in process: create, write, read back, lock, unlock.
final class VaultTests: XCTestCase {
    let good = "violet staple orbit canyon"
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dangol-vault-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    func secret(_ s: String) throws -> SecureBytes {
        var b = Array(s.utf8)
        return try SecureBytes(consuming: &b)
    }

    func create(at path: String? = nil, passphrase: String? = nil) throws -> (Vault, recoveryCode: SecureBytes) {
        try Vault.create(
            at: path ?? dir, owner: "원장김민지", passphrase: try secret(passphrase ?? good), kdf: .level(.test))
    }

    func git(_ args: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        p.arguments = ["-C", dir] + args
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "git \(args.joined(separator: " "))")
        return String(decoding: data, as: UTF8.self)
    }

    /// A customer with a visit and a changed phone: three commits after init.
    func populated(_ vault: Vault) throws -> RecordID {
        let id = try vault.add(
            Customer(name: "김민지", phone: "01012345678", birthday: "03-14", created: "2026-01-02"))
        try vault.addVisit(Visit(date: "2026-02-03", services: ["염색"], formula: "7N + 6% 1:1", price: 80000), to: id)
        XCTAssertTrue(try vault.set([(field: "phone", value: "010-9876-5432")], on: id))
        return id
    }

    func testWriteAndReadBack() throws {
        let (vault, _) = try create()
        XCTAssertEqual(vault.person.name, "원장김민지")
        XCTAssertEqual(vault.person.role, .owner)
        let id = try populated(vault)
        let c = try vault.read(id)
        XCTAssertEqual(c.name, "김민지")
        XCTAssertEqual(c.phone, "010-9876-5432")
        XCTAssertEqual(c.birthday, "03-14")
        XCTAssertEqual(c.visits, [Visit(date: "2026-02-03", services: ["염색"], formula: "7N + 6% 1:1", price: 80000)])
        XCTAssertEqual(try vault.recordIDs(), [id])
        XCTAssertFalse(try vault.set([(field: "phone", value: "010-9876-5432")], on: id), "no change, no commit")
        XCTAssertThrowsError(try vault.set([(field: "phone", value: "12345")], on: id)) {
            XCTAssertEqual(($0 as? ValidationFailure)?.path, "phone")
        }
        XCTAssertThrowsError(try vault.read(RecordID.random())) {
            guard case VaultError.notFound = $0 else { return XCTFail("\($0)") }
        }
    }

    func testTheHeadSummaryDecryptsAndMessagesHoldNoPersonalData() throws {
        let (vault, _) = try create()
        let id = try populated(vault)
        // The head is the change: its entry is on the access log's own ref.
        let stored = try XCTUnwrap(try vault.summary(of: try vault.head()))
        let summary = stored.text(.en)
        XCTAssertTrue(summary.contains("phone changed"), summary)
        XCTAssertEqual(summary, "\(id.short): phone changed")
        XCTAssertEqual(stored.text(.ko), "\(id.short): 전화번호 변경")
        XCTAssertEqual(stored.structured?.records?.first?.fields, ["phone": .changed], "stored as data, not words")
        XCTAssertEqual(try vault.log().map(\.operation), ["set", "visit", "add", "init"])

        let messages = try git("log", "--format=%B%x00")
        XCTAssertTrue(messages.contains(id.hex))
        // Only words: digits could turn up by chance inside the ids and the base64.
        for secret in ["김민지", "phone", "visit added", "염색", "formula", "birthday", "name"] {
            XCTAssertFalse(messages.contains(secret), "\"\(secret)\" in a commit message")
        }
        XCTAssertEqual(try git("log", "--format=%an").split(separator: "\n"), Array(repeating: "원장김민지", count: 4))
        XCTAssertEqual(try git("log", "--format=%s", "refs/dangol/audit").split(separator: "\n"),
                       Array(repeating: "audit", count: 3), "one commit per entry, on the log's ref")
    }

    func testLockedVaultUnlocksWithThePassphraseOnly() throws {
        let (vault, _) = try create()
        let id = try populated(vault)
        let locked = try LockedVault.open(at: dir)
        XCTAssertEqual(locked.people, ["원장김민지"])
        XCTAssertEqual(locked.metadata.kdfParameters, .level(.test))
        let unlocked = try locked.unlock(passphrase: try secret(good))
        XCTAssertEqual(try unlocked.read(id), try vault.read(id))
        XCTAssertEqual(unlocked.person, vault.person)
        XCTAssertThrowsError(try locked.unlock(passphrase: try secret(good + " "))) {
            guard case VaultError.wrongPassphrase = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try locked.unlock(passphrase: try secret(good), user: "지수")) {
            guard case VaultError.notFound = $0 else { return XCTFail("\($0)") }
        }
    }

    func testTheRecoveryCodeUnlocks() throws {
        let (vault, code) = try create()
        let id = try populated(vault)
        let locked = try LockedVault.open(at: dir)
        let recovered = try locked.unlock(recoveryCode: code)
        XCTAssertEqual(try recovered.read(id).phone, "010-9876-5432")
        XCTAssertEqual(recovered.person.name, "원장김민지")
        XCTAssertEqual(recovered.person.role, .owner)
        let typed = String(decoding: code.copyBytes(), as: UTF8.self).lowercased().replacingOccurrences(
            of: "-", with: "")
        XCTAssertEqual(try locked.unlock(recoveryCode: try secret(typed)).read(id).name, "김민지")
        XCTAssertThrowsError(try locked.unlock(recoveryCode: try RecoveryCode.generate())) {
            guard case VaultError.wrongPassphrase = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try locked.unlock(recoveryCode: try secret("ABCD-EFGH"))) {
            guard case VaultError.usage = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try locked.unlock(passphrase: code), "the recovery code is not a person's passphrase") {
            guard case VaultError.wrongPassphrase = $0 else { return XCTFail("\($0)") }
        }
    }

    func testAWeakPassphraseLeavesNoDirectoryBehind() throws {
        for weak in ["short", "원장김민지원장김민지12345", "passwordpassword123", "dangoldangol123456"] {
            XCTAssertThrowsError(try create(passphrase: weak), weak) {
                guard case VaultError.weakPassphrase = $0 else { return XCTFail("\(weak): \($0)") }
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir), weak)
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        XCTAssertThrowsError(try create(passphrase: "short"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "an empty directory stays empty")
    }

    func testCreateRefusesANonEmptyDirectory() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        XCTAssertThrowsError(try create()) {
            guard case VaultError.usage = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["notes.txt"])
        XCTAssertThrowsError(try LockedVault.open(at: dir)) {
            guard case VaultError.notAVault = $0 else { return XCTFail("\($0)") }
        }
    }

    func testReadAllReportsAMovedRecordAndReadsTheRest() throws {
        let (vault, _) = try create()
        let a = try vault.add(Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01"))
        let b = try vault.add(Customer(name: "나", phone: "010-3333-4444", created: "2026-01-01"))
        // Copy a's file over b's, as a careless restore from a backup might.
        let tree = try vault.repo.commit(try vault.head()).tree
        let aFile = try vault.repo.readBlob(try XCTUnwrap(try vault.repo.entry(at: a.path, inTree: tree)).id)
        try vault.commitLogged(
            operation: "test", records: [:], files: [b.path: aFile], summary: ChangeSummary(), expectedHead: try vault.head())

        let (records, failures) = try vault.readAll()
        XCTAssertEqual(records.map(\.id), [a])
        XCTAssertEqual(failures.count, 1)
        guard case .integrity(let file, let reason) = failures.first else { return XCTFail("\(failures)") }
        XCTAssertEqual(file, b.path)
        XCTAssertTrue(reason.text(.en).contains(a.hex), reason.text(.en))
        XCTAssertThrowsError(try vault.read(b)) {
            guard case VaultError.integrity = $0 else { return XCTFail("\($0)") }
        }
    }

    func testTheGitCLIAcceptsTheVault() throws {
        let (vault, _) = try create()
        _ = try populated(vault)
        _ = try git("fsck", "--full", "--strict")
        XCTAssertEqual(try git("status", "--porcelain"), "")
        let files = try git("ls-files")
        XCTAssertTrue(files.contains("dangol.json"))
        XCTAssertFalse(files.contains("김민지"))
    }

    /// A commit made before summaries were data holds English words; they
    /// are shown as they are, in either language, and `changes` is empty.
    func testASummaryStoredAsTextByAnOlderDangolStillShows() throws {
        let (vault, _) = try create()
        let id = try vault.add(Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01"))
        let head = try vault.head()
        let tree = try vault.repo.commit(head).tree
        let sealed = try SealedText.seal("\(id.short): phone changed", context: CommitMessage.summaryContext(tree: tree),
                                         key: vault.key, purpose: .summaries)
        let message = CommitMessage(operation: "set", records: [id], sealedSummary: sealed)
        let commit = try vault.repo.createCommit(tree: tree, parents: [head], authorName: "원장",
                                                 authorEmail: "0011223344556677@dangol.invalid", message: message.text)
        try vault.repo.updateReference(Vault.branch, to: commit, expected: head, logMessage: "test")

        let entry = try XCTUnwrap(try vault.log(LogFilter(limit: 1)).first)
        XCTAssertEqual(entry.summary, .text("\(id.short): phone changed"))
        XCTAssertEqual(entry.summary?.text(.ko), "\(id.short): phone changed")
        let json = LogEntryJSON(entry)
        XCTAssertEqual(json.summary, "\(id.short): phone changed")
        XCTAssertNil(json.changes)
        XCTAssertEqual(try vault.check(history: true).findings.count, 0, "an old summary is no finding")
    }
}
