import DangolCrypto
@testable import DangolKit
import Foundation
import XCTest

/// The access log's entries: sealed, chained, ids only.
final class AccessLogTests: XCTestCase {
    func testExportsAreLoggedInAChain() throws {
        let dir = NSTemporaryDirectory() + "dangol-audit-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var pass = Array("violet staple orbit canyon".utf8)
        let (vault, _) = try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &pass),
                                          kdf: .level(.test))
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
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let lines = try String(contentsOfFile: dir + "/audit/\(today.prefix(7))/\(today.suffix(2))-001.log", encoding: .utf8)
            .split(separator: "\n")
        XCTAssertEqual(entries[1].previous, Hash.blake2b(Array(lines[0].utf8)), "each entry names the one before")
        XCTAssertTrue(try vault.log().allSatisfy { $0.operation != "audit" }, "log leaves the access log out")
    }

    func testABusyDayGoesOnInFilesOfBoundedSize() throws {
        let dir = NSTemporaryDirectory() + "dangol-audit-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var pass = Array("violet staple orbit canyon".utf8)
        let (vault, _) = try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &pass),
                                          kdf: .level(.test))
        let many = (0..<100).map { _ in RecordID.random() }
        for _ in 0..<30 { try vault.audit("search", records: many) }
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/audit/\(today.prefix(7))").sorted()
        XCTAssertEqual(files.first, "\(today.suffix(2))-001.log")
        XCTAssertGreaterThan(files.count, 1)
        for f in files {
            let size = try XCTUnwrap(
                try FileManager.default.attributesOfItem(atPath: dir + "/audit/\(today.prefix(7))/" + f)[.size] as? Int)
            XCTAssertLessThan(size, Vault.auditPartBytes + 8 * 1024, f)
        }
        XCTAssertEqual(try vault.auditEntries().map(\.sequence), Array(1...30))
        XCTAssertTrue(try vault.verifyAccessLog().problems.isEmpty)
    }
}
