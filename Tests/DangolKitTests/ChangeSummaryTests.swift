import XCTest

@testable import DangolKit

/// What changed, as data without values, and in words in either language.
final class ChangeSummaryTests: XCTestCase {
    let before = Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01")
    let id = RecordID(hex: "a8d13cd9000000000000000000000001")!

    func words(_ old: Customer?, _ new: Customer?, _ language: Language = .en) -> String {
        ChangeSummary.Record(id: id, old: old, new: new).message.text(language)
    }

    func testPhoneChangedAndAVisitAdded() {
        var after = before
        after.phone = "010-3333-4444"
        after.visits = [Visit(date: "2026-01-02", services: ["커트"])]
        XCTAssertEqual(words(before, after), "a8d13cd9: phone changed, visit added")
        XCTAssertEqual(words(before, after, .ko), "a8d13cd9: 전화번호 변경, 방문 1건 추가")
        let record = ChangeSummary.Record(id: id, old: before, new: after)
        XCTAssertEqual(record.fields, ["phone": .changed])
        XCTAssertEqual(record.visitsAdded, 1)
    }

    func testNewRemovedAndUnchanged() {
        XCTAssertEqual(words(nil, before), "a8d13cd9: new customer")
        XCTAssertEqual(words(before, nil), "a8d13cd9: customer removed")
        XCTAssertEqual(words(before, before), "a8d13cd9: no change")
        XCTAssertEqual(words(nil, before, .ko), "a8d13cd9: 새 고객")
        XCTAssertEqual(words(before, nil, .ko), "a8d13cd9: 고객 지움")
    }

    func testFieldsSetRemovedAndVisitsEdited() {
        var a = before
        a.note = "메모"
        a.visits = [Visit(date: "2026-01-02", services: ["커트"])]
        var b = a
        b.note = nil
        b.email = "a@b.kr"
        b.visits[0].price = 10000
        XCTAssertEqual(words(a, b), "a8d13cd9: email set, note removed, visits changed")
        XCTAssertEqual(words(a, b, .ko), "a8d13cd9: 이메일 입력, 메모 지움, 방문 기록 변경")
        var c = a
        c.visits += [Visit(date: "2026-02-02", services: ["펌"]), Visit(date: "2026-03-02", services: ["펌"])]
        XCTAssertEqual(words(a, c), "a8d13cd9: 2 visits added")
        XCTAssertEqual(words(a, c, .ko), "a8d13cd9: 방문 2건 추가")
    }

    func testTheSummaryHoldsNoValues() throws {
        var after = before
        after.name = "김민지"
        after.phone = "010-9876-5432"
        let s = ChangeSummary(records: [ChangeSummary.Record(id: id, old: before, new: after)])
        XCTAssertEqual(s.message.text(.en), "a8d13cd9: name changed, phone changed")
        let sealed = try s.encoded()
        XCTAssertEqual(sealed, #"{"records":[{"fields":{"name":"changed","phone":"changed"},"id":"a8d13cd9"}],"v":2}"#)
        XCTAssertFalse(sealed.contains("김민지") || sealed.contains("5432"))
    }

    func testRestoresEventsAndBulkChanges() {
        var s = ChangeSummary(restoredFrom: "0123456789ab", records: [ChangeSummary.Record(id: id, old: nil, new: before)])
        XCTAssertEqual(s.message.text(.en), "restored from 0123456789ab: a8d13cd9: new customer")
        XCTAssertEqual(s.message.text(.ko), "버전 0123456789ab에서 되살림: a8d13cd9: 새 고객")
        s = ChangeSummary(many: ChangeSummary.Many(changed: 120, added: 100))
        XCTAssertEqual(s.message.text(.en), "120 customers changed (100 new)")
        XCTAssertEqual(ChangeSummary(event: .settingsChanged, about: ["opening_hours"]).message.text(.ko),
                       "설정 변경: opening_hours")
        XCTAssertEqual(ChangeSummary(event: .personAdded, about: ["staff"]).message.text(.en), "person added (staff)")
        XCTAssertEqual(ChangeSummary(event: .personAdded, about: ["staff"]).message.text(.ko), "사람 추가 (직원)")
        XCTAssertEqual(ChangeSummary(event: .accessLog, about: ["show"]).message.text(.en), "access log: show")
    }

    /// Summaries sealed as English text by an older dangol read as they are,
    /// in either language; a newer dangol's unknown event still opens.
    func testStoredFormsOldAndNew() throws {
        let old = StoredSummary(opened: "a8d13cd9: phone changed")
        XCTAssertEqual(old, .text("a8d13cd9: phone changed"))
        XCTAssertEqual(old.text(.ko), "a8d13cd9: phone changed")
        XCTAssertNil(old.structured)
        let data = ChangeSummary(records: [ChangeSummary.Record(id: id, old: before, new: nil)])
        let new = StoredSummary(opened: try data.encoded())
        XCTAssertEqual(new.structured, data)
        XCTAssertEqual(new.text(.ko), "a8d13cd9: 고객 지움")
        let future = StoredSummary(opened: #"{"v":3,"event":"something_new","colour":"blue"}"#)
        XCTAssertEqual(future.structured?.event, .other)
        XCTAssertEqual(future.text(.en), "a change this version of dangol cannot name")
        XCTAssertEqual(StoredSummary(opened: "{not json"), .text("{not json"))
    }

    func testErasingTakesOutOnlyTheErasedRecords() {
        let other = RecordID(hex: "00000000000000000000000000000002")!
        let s = ChangeSummary(restoredFrom: "0123456789ab", records: [
            ChangeSummary.Record(id: id, old: nil, new: before), ChangeSummary.Record(id: other, old: before, new: nil),
        ])
        let kept = s.erasing([id.short])
        XCTAssertEqual(kept.records?.map(\.id), [other.short])
        XCTAssertEqual(kept.message.text(.en), "restored from 0123456789ab: 00000000: customer removed")
        let none = s.erasing([id.short, other.short])
        XCTAssertNil(none.records)
        XCTAssertEqual(none.message.text(.en), "restored from 0123456789ab: changes to an erased customer removed")
        XCTAssertEqual(s.erasing(["ffffffff"]), s, "a summary that names no erased record is left as it is")
    }
}
