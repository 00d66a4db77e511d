import DangolCrypto
import Foundation
import XCTest

@testable import DangolKit

/// Which customers retention lists: by the dates in their record and by
/// when their record last changed.
final class RetentionTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = NSTemporaryDirectory() + "dangol-retention-\(UUID().uuidString)" }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testPeriodsParseAndPrint() {
        XCTAssertEqual(RetentionPeriod("3y"), RetentionPeriod(months: 36, days: 0))
        XCTAssertEqual(RetentionPeriod(">18m")?.description, "18m")
        XCTAssertEqual(RetentionPeriod("400d")?.description, "400d")
        XCTAssertEqual(RetentionPeriod("36m")?.description, "3y")
        XCTAssertNil(RetentionPeriod("3 years"))
        XCTAssertNil(RetentionPeriod("-1y"))
    }

    func testListsOnlyCustomersInactiveByTheirDatesAndTheirHistory() throws {
        var pass = Array("violet staple orbit canyon".utf8)
        let (vault, _) = try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &pass), kdf: .level(.test))
        XCTAssertEqual(vault.retentionPeriod, RetentionPeriod(months: 36, days: 0), "three years unless the owner changed it")

        var old = Customer(name: "오래된", phone: "010-1000-0001", created: "2019-03-01")
        old.visits = [Visit(date: "2020-05-05", services: ["커트"])]
        let gone = try vault.add(old)
        var regular = Customer(name: "단골손님", phone: "010-1000-0002", created: "2019-03-01")
        regular.visits = [Visit(date: "2020-05-05", services: ["커트"]), Visit(date: "2029-02-01", services: ["펌"])]
        _ = try vault.add(regular)
        var consented = Customer(name: "동의함", phone: "010-1000-0003", created: "2019-03-01")
        consented.consents = [ConsentEvent(purpose: "marketing_sms", granted: true, date: "2029-06-01", textVersion: "ko-1")]
        _ = try vault.add(consented)

        // Years from now every commit of this vault lies before the cutoff:
        // only the record dates decide, and a visit or a consent answer
        // within the period keeps a customer.
        let later = try vault.retentionCandidates(today: "2030-01-01")
        XCTAssertEqual(later.hits.map(\.id), [gone])
        XCTAssertEqual(try vault.retentionCandidates(inactiveFor: RetentionPeriod("12y"), today: "2030-01-01").hits.count, 0)
        XCTAssertEqual(try vault.retentionCandidates(inactiveFor: RetentionPeriod("10m"), today: "2030-01-01").hits.count, 2)

        // Today, the old customer's record dates are years past, but the
        // record was written (changed) a moment ago: nothing to erase yet.
        XCTAssertEqual(try vault.retentionCandidates().hits.count, 0)
    }
}
