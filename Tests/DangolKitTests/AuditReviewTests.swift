@testable import DangolKit
import Foundation
import XCTest

/// The monthly review's sums: kinds of action, hours, and unusual days.
final class AuditReviewTests: XCTestCase {
    var seoul: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Seoul")!
        return c
    }

    func entry(_ person: String, _ action: String, _ time: String, _ records: [String]) -> AuditEntry {
        AuditEntry(sequence: 0, time: time, person: person, slot: "", action: action, records: records, host: "h",
                   previous: "", reason: nil, erasure: nil)
    }

    func ids(_ n: Int, from: Int = 0) -> [String] { (from..<(from + n)).map { String(format: "%032x", $0) } }

    func testKindsHoursAndUnusualDays() {
        var log = [AuditEntry]()
        // 지수 on ordinary days: 5 customers a day, 11:00 in Seoul (02:00 UTC).
        for day in 2...9 { log.append(entry("지수", "show", String(format: "2026-11-%02dT02:00:00Z", day), ids(5))) }
        // One day with 80 customers, one search of them at 23:30 in Seoul.
        log.append(entry("지수", "search", "2026-11-10T14:30:00Z", ids(80, from: 100)))
        log.append(entry("원장", "export", "2026-11-03T05:00:00Z", ids(1)))
        log.append(entry("원장", "erase", "2026-11-04T05:00:00Z", ids(1)))
        log.append(entry("원장", "visit", "2026-11-04T05:10:00Z", ids(1, from: 7)))
        log.append(entry("원장", "show", "2026-10-31T05:00:00Z", ids(1)))  // another month
        let r = AuditReview.summarise(log, month: "2026-11", hours: OpeningHours(text: "10:00-20:00")!, calendar: seoul)
        XCTAssertEqual(r.people.map(\.person), ["원장", "지수"])
        let owner = r.people[0], staff = r.people[1]
        XCTAssertEqual([owner.reads, owner.changes, owner.exports, owner.erasures], [0, 1, 1, 1])
        XCTAssertEqual(owner.outsideHours, 0)
        XCTAssertEqual(staff.reads, 9)
        XCTAssertEqual(staff.outsideHours, 1, "23:30 in Seoul is after closing")
        XCTAssertEqual(staff.customers, 85)
        XCTAssertEqual(staff.unusualDays.map(\.day), ["2026-11-10"])
        XCTAssertEqual(staff.unusualDays.first?.customers, 80)
    }

    /// Many searches by one person in a short time stand out; the same
    /// number spread over the day does not.
    func testSearchBursts() {
        var log = [AuditEntry]()
        let start = ISO8601DateFormatter().date(from: "2026-11-12T05:00:00Z")!
        func at(_ seconds: Double) -> String { ISO8601DateFormatter().string(from: start.addingTimeInterval(seconds)) }
        // 지수: 90 searches 5 s apart (7.5 minutes), at 14:00 in Seoul.
        for i in 0..<90 { log.append(entry("지수", "search", at(Double(i) * 5), i % 3 == 0 ? ids(1) : [])) }
        // 원장: 40 searches, one every 20 minutes: a busy day, not a burst.
        for i in 0..<40 { log.append(entry("원장", "search", at(Double(i) * 1200), ids(1))) }
        // 민호: 59 searches in two minutes: just under the line.
        for i in 0..<59 { log.append(entry("민호", "search", at(Double(i) * 2), [])) }
        let r = AuditReview.summarise(log, month: "2026-11", hours: OpeningHours(text: "10:00-20:00")!, calendar: seoul)
        let by = Dictionary(uniqueKeysWithValues: r.people.map { ($0.person, $0) })
        XCTAssertEqual(by["지수"]?.searchBursts.map(\.start), ["2026-11-12 14:00"])
        XCTAssertEqual(by["지수"]?.searchBursts.map(\.searches), [90])
        XCTAssertEqual(by["원장"]?.searchBursts.count, 0)
        XCTAssertEqual(by["민호"]?.searchBursts.count, 0)
    }

    func testOpeningHoursText() {
        XCTAssertEqual(OpeningHours(text: "09:30-21:00")?.text, "09:30-21:00")
        XCTAssertNil(OpeningHours(text: "21:00-09:00"), "closing before opening")
        XCTAssertNil(OpeningHours(text: "late"))
        XCTAssertNil(OpeningHours(text: "10:00-25:00"))
    }
}
