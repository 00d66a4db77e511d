import XCTest

@testable import DangolKit

/// What changed, in words and without values.
final class ChangeSummaryTests: XCTestCase {
    let before = Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01")

    func testPhoneChangedAndAVisitAdded() {
        var after = before
        after.phone = "010-3333-4444"
        after.visits = [Visit(date: "2026-01-02", services: ["커트"])]
        XCTAssertEqual(ChangeSummary.describe(old: before, new: after), "phone changed, visit added")
    }

    func testNewRemovedAndUnchanged() {
        XCTAssertEqual(ChangeSummary.describe(old: nil, new: before), "new customer")
        XCTAssertEqual(ChangeSummary.describe(old: before, new: nil), "customer removed")
        XCTAssertEqual(ChangeSummary.describe(old: before, new: before), "no change")
    }

    func testFieldsSetRemovedAndVisitsEdited() {
        var a = before
        a.note = "메모"
        a.visits = [Visit(date: "2026-01-02", services: ["커트"])]
        var b = a
        b.note = nil
        b.email = "a@b.kr"
        b.visits[0].price = 10000
        XCTAssertEqual(ChangeSummary.describe(old: a, new: b), "email set, note removed, visits changed")
        var c = a
        c.visits += [Visit(date: "2026-02-02", services: ["펌"]), Visit(date: "2026-03-02", services: ["펌"])]
        XCTAssertEqual(ChangeSummary.describe(old: a, new: c), "2 visits added")
    }

    func testTheSummaryHoldsNoValues() {
        var after = before
        after.name = "김민지"
        after.phone = "010-9876-5432"
        let s = ChangeSummary.describe(old: before, new: after)
        XCTAssertEqual(s, "name changed, phone changed")
        XCTAssertFalse(s.contains("김민지") || s.contains("5432"))
    }
}
