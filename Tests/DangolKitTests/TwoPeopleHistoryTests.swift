import DangolCrypto
@testable import DangolKit
import Foundation
import XCTest

/// A history written by two people: log filters by person, blame names who
/// changed each field. The second person is a second unlocked handle on the
/// same vault (people and roles have their own commands).
final class TwoPeopleHistoryTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "dangol-two-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func testLogAndBlameTellThePeopleApart() throws {
        var pass = Array("violet staple orbit canyon".utf8)
        let (owner, _) = try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &pass),
                                          kdf: .level(.test))
        let staff = Vault(path: owner.path, repo: owner.repo, metadata: owner.metadata, key: owner.key,
                          person: Person(name: "지수", role: .staff, slotID: "00112233aabbccdd"))
        let id = try owner.add(Customer(name: "문하은", phone: "010-3030-4040", created: "2026-01-02"))
        try staff.addVisit(Visit(date: "2026-02-03", services: ["커트"], stylist: "지수", price: 20000), to: id)
        try owner.set([(field: "note", value: "조용한 자리 선호")], on: id)
        try staff.set([(field: "phone", value: "010-5050-6060")], on: id)

        let all = try owner.log()
        XCTAssertEqual(all.map(\.author), ["지수", "원장", "지수", "원장", "원장"])
        let byStaff = try owner.log(LogFilter(author: "지수"))
        XCTAssertEqual(byStaff.map(\.operation), ["set", "visit"])
        XCTAssertEqual(byStaff[0].summary?.text(.en), "\(id.short): phone changed")
        XCTAssertEqual(try owner.log(LogFilter(record: id, limit: 2)).count, 2)

        let blame = Dictionary(uniqueKeysWithValues: try owner.blame(id).map { ($0.path, $0.author) })
        XCTAssertEqual(blame["name"], "원장")
        XCTAssertEqual(blame["note"], "원장")
        XCTAssertEqual(blame["phone"], "지수")
        XCTAssertEqual(blame["visits[0].services[0]"], "지수")

        let versions = try owner.versions(of: id)
        XCTAssertEqual(versions.count, 4)
        XCTAssertEqual(versions.first?.customer?.phone, "010-3030-4040")

        // restore refuses a version today's rules forbid: none here, so it works.
        XCTAssertTrue(try owner.restore(id, from: versions[1].commit))
        XCTAssertEqual(try owner.read(id).phone, "010-3030-4040")
        XCTAssertNil(try owner.read(id).note)
        XCTAssertFalse(try owner.restore(id, from: versions[1].commit), "the same version again makes no commit")
    }

    func testFieldDiffPaths() throws {
        var a = Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01")
        var b = a
        b.phone = "010-3333-4444"
        b.visits = [Visit(date: "2026-01-05", services: ["펌"])]
        b.note = "메모"
        let changes = try FieldDiff.between(a, b)
        XCTAssertEqual(changes.map(\.path), ["note", "phone", "visits[+1]"])
        XCTAssertEqual(changes.map(\.kind), [.added, .changed, .added])
        XCTAssertEqual(changes[1].line(reveal: false), "~ phone: 010-****-2222 → 010-****-4444")
        a.visits = b.visits
        a.visits[0].note = "x"
        XCTAssertEqual(try FieldDiff.between(a, b).first { $0.path.hasPrefix("visits") }?.path, "visits[0].note")
        XCTAssertEqual(try FieldDiff.between(nil, b).map(\.kind), Array(repeating: .added, count: try FieldDiff.between(nil, b).count))
    }
}
