import DangolCrypto
import DangolGit
import DangolText
import Foundation
import XCTest

@testable import DangolKit

/// The privacy law's duties as vault operations: minimal birthdays, consent
/// that lapses, retention from the customer's own dates, incident reports,
/// requests kept until answered, and the notice.
final class PrivacyTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = NSTemporaryDirectory() + "dangol-privacy-\(UUID().uuidString)" }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func vault() throws -> Vault {
        var pass = Array("violet staple orbit canyon".utf8)
        return try Vault.create(at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &pass), kdf: .level(.test)).0
    }

    /// The vault opened again: settings are read when a vault is opened.
    func reopened() throws -> Vault {
        var pass = Array("violet staple orbit canyon".utf8)
        return try LockedVault.open(at: dir).unlock(passphrase: try SecureBytes(consuming: &pass))
    }

    /// The operations of the commits after `commit` on the branch, newest
    /// first, leaving out the access log's own.
    func changes(since commit: ObjectID, in v: Vault) throws -> [String] {
        var out = [String]()
        try v.repo.walkFirstParents(from: try v.head()) { c in
            if c == commit { return false }
            let op = CommitMessage.parse(try v.repo.commit(c).message).operation
            if op != "audit" { out.append(op) }
            return true
        }
        return out
    }

    func day(_ offset: Int) -> String { Dates.format(Date().addingTimeInterval(Double(offset) * 86_400)) }

    func testBirthdaysAreMonthAndDay() {
        XCTAssertTrue(Birthday.isValid("03-14"))
        XCTAssertTrue(Birthday.isValid("02-29"), "a birthday without a year may be the 29th of February")
        XCTAssertTrue(Birthday.isValid("1990-03-14"))
        for bad in ["13-01", "02-30", "3-14", "0314", "1990-02-30", "12-25-", "ab-cd", ""] {
            XCTAssertFalse(Birthday.isValid(bad), bad)
        }
        XCTAssertEqual(Birthday.monthDay("1990-12-03"), 1203)
        XCTAssertEqual(Birthday.monthDay("12-03"), 1203)
        XCTAssertEqual(Birthday.withoutYear("1990-12-03"), "12-03")
    }

    func testAYearIsRefusedUnlessKeptOnPurposeOrAlreadyThere() throws {
        let v = try vault()
        let id = try v.add(Customer(name: "김민지", phone: "010-1234-5678", birthday: "3/14", created: day(0)))
        XCTAssertEqual(try v.read(id).birthday, "03-14", "normalised to MM-DD")
        XCTAssertThrowsError(try v.set([("birthday", "1990-03-14")], on: id)) { e in
            XCTAssertEqual((e as? ValidationFailure)?.path, "birthday")
            XCTAssertTrue("\(e)".contains("birthday_year"), "the message names the way to keep years: \(e)")
        }
        XCTAssertEqual(try v.read(id).birthday, "03-14", "nothing saved")

        // A record written before keeps its full date through other edits.
        let old = RecordID.random()
        var legacy = Customer(name: "박지민", phone: "010-2222-3333", birthday: "1985-07-01", created: "2020-01-01")
        legacy.note = "before"
        let head = try v.head()
        try v.commitLogged(operation: "add", records: [old: legacy], files: [:], summary: ChangeSummary(), expectedHead: head)
        try v.set([("note", "after")], on: old)
        XCTAssertEqual(try v.read(old).birthday, "1985-07-01")
        XCTAssertThrowsError(try v.set([("birthday", "1985-07-02")], on: old), "a new full date is refused")

        XCTAssertEqual(try v.checkRecords().birthdaysWithYear, 1)
        let before = try v.head()
        XCTAssertEqual(try v.dropBirthdayYears(), 1)
        XCTAssertEqual(try changes(since: before, in: v), ["minimize"], "one commit")
        XCTAssertEqual(try v.read(old).birthday, "07-01")
        XCTAssertEqual(try v.checkRecords().birthdaysWithYear, 0)

        try v.extendSchema(with: Birthday.yearExtension)
        let w = try reopened()
        try w.set([("birthday", "1990-03-14")], on: id)
        XCTAssertEqual(try w.read(id).birthday, "1990-03-14", "kept once the owner chose to keep years")
        XCTAssertThrowsError(try w.set([("birthday_year", "1990")], on: id), "the extension adds no field of its own")
    }

    func testAdvertisingConsentLapsesAfterTwoYearsAndIsRenewed() throws {
        let v = try vault()
        var c = Customer(name: "가을", phone: "010-1000-2000", birthday: "\(day(0).dropFirst(5))", created: day(-2000))
        c.consents = [
            ConsentEvent(purpose: "birthday_coupon", granted: true, date: day(-1100), textVersion: "ko-2026-11"),
            ConsentEvent(purpose: "marketing_sms", granted: true, date: day(-1100), textVersion: "ko-2026-11"),
        ]
        let id = try v.add(c)
        let month = Int(day(0).dropFirst(5).prefix(2))!
        XCTAssertFalse(try v.read(id).consents(to: "marketing_sms"), "three years old: lapsed")
        XCTAssertTrue(try v.read(id).consents(to: "birthday_coupon"), "the coupon consent itself does not lapse")
        XCTAssertTrue(try v.birthdays(month: month).customers.isEmpty, "no offer without advertising consent")
        XCTAssertEqual(try v.search("consent:marketing_sms").hits.count, 0)
        XCTAssertEqual(try v.search("consent:birthday_coupon").hits.count, 1)

        let due = try v.consentsDue(within: 30).due
        XCTAssertEqual(due.map(\.id), [id])
        XCTAssertEqual(due.first?.confirmed, day(-1100))
        XCTAssertTrue(due.first?.lapsed ?? false)

        try v.recordConsent([("marketing_sms", true)], for: id, language: "ko")
        XCTAssertTrue(try v.read(id).consents(to: "marketing_sms"), "confirmed again today")
        XCTAssertEqual(try v.read(id).consents.filter { $0.purpose == "marketing_sms" }.count, 2, "both kept")
        XCTAssertEqual(try v.birthdays(month: month).customers.map(\.id), [id])
        XCTAssertTrue(try v.consentsDue(within: 30).due.isEmpty)
        XCTAssertEqual(try v.consentsDue(within: 800).due.first?.due,
                       ConsentPolicy.lapse("marketing_sms", confirmed: day(0)))

        try v.recordConsent([("marketing_sms", false)], for: id, language: "ko")
        XCTAssertFalse(try v.read(id).consents(to: "marketing_sms"), "withdrawn as easily")
    }

    func testRetentionCountsTheCustomersOwnDatesNotAnImport() throws {
        let v = try vault()
        let fourYears = day(-4 * 365)
        let csv = "이름,휴대폰,최근방문일\n오래된,010-3000-0001,\(fourYears)\n요즘,010-3000-0002,\(day(-30))\n"
        let options = ImportOptions(format: .csv, encoding: .utf8, mapping: [:], skipBad: false, dryRun: false)
        _ = try v.importCustomers(Array(csv.utf8), options: options)
        let listed = try v.retentionCandidates().hits
        XCTAssertEqual(listed.map(\.customer.name), ["오래된"], "the import today is no activity of theirs")
        XCTAssertEqual(listed.first?.activity.basis, .visit)
        XCTAssertEqual(listed.first?.activity.date, fourYears)
        XCTAssertEqual(listed.first?.customer.created, fourYears, "no creation date given: their first known visit")

        // A change the salon made to the record is activity.
        try v.set([("note", "전화 옴")], on: listed[0].id)
        XCTAssertTrue(try v.retentionCandidates().hits.isEmpty)

        // ... and one made years ago is shown as the basis.
        v.commitClock = { Date().addingTimeInterval(-5 * 365 * 86_400) }
        var c = Customer(name: "옛손님", phone: "010-3000-0003", created: day(-6 * 365))
        c.visits = [Visit(date: day(-6 * 365), services: ["커트"])]
        let old = try v.add(c)
        v.commitClock = nil
        let basis = try v.retentionCandidates().hits.first { $0.id == old }?.activity
        XCTAssertEqual(basis?.basis, .change)
        XCTAssertEqual(basis?.operation, "add")
    }

    func testRequestsStayOpenUntilAnsweredAndOverdueOnesAreFlagged() throws {
        let v = try vault()
        let a = try v.add(Customer(name: "가", phone: "010-4000-0001", created: day(0)))
        let b = try v.add(Customer(name: "나", phone: "010-4000-0002", created: day(0)))
        let late = try v.recordRequest(.correction, for: a, received: day(-11))
        _ = try v.recordRequest(.access, for: a, received: day(-2))
        _ = try v.recordRequest(.erasure, for: b, received: day(-1))
        XCTAssertEqual(try v.openRequests().count, 3)
        XCTAssertThrowsError(try v.recordRequest(.access, for: a, received: day(1)), "not in the future")

        let review = try v.reviewAccessLog(month: String(day(0).prefix(7)))
        XCTAssertEqual(review.overdueRequests.map(\.request.id), [late.id])
        XCTAssertEqual(review.overdueRequests.first?.age(), 11)

        _ = try v.export(a, format: .json)
        XCTAssertEqual(Set(try v.openRequests().map(\.request.kind)), [.correction, .erasure], "the export answered")
        _ = try v.erase([b], reason: "고객 요청")
        XCTAssertEqual(try v.openRequests().map(\.request.id), [late.id], "the erasure answered")
        _ = try v.closeRequest(String(late.id.prefix(8)), outcome: "전화번호 정정함")
        XCTAssertTrue(try v.openRequests().isEmpty)
        XCTAssertTrue(try v.reviewAccessLog(month: String(day(0).prefix(7))).overdueRequests.isEmpty)
        XCTAssertThrowsError(try v.closeRequest(late.id, outcome: "again"), "closed once")
    }

    func testIncidentReportNamesExactlyWhatAPersonTouched() throws {
        let v = try vault()
        let start = Date().addingTimeInterval(-1)
        let ids = try (0..<5).map { try v.add(Customer(name: "손님\($0)", phone: "010-5000-000\($0)", created: day(0))) }
        try v.audit("show", records: [ids[1]])
        try v.audit("search", records: [ids[2], ids[3]])
        _ = try v.erase([ids[3]], reason: "요청")
        let report = try v.incidentReport(since: start, until: Date().addingTimeInterval(1), person: "원장")
        XCTAssertEqual(report.customers.count, 5, "every customer the owner added, read or erased")
        let erased = report.customers.first { $0.id == ids[3].hex }
        XCTAssertNil(erased?.name, "an erased customer appears by id alone")
        XCTAssertEqual(erased?.accesses[.erase], 1)
        XCTAssertEqual(erased?.accesses[.read], 1)
        XCTAssertEqual(report.customers.first { $0.id == ids[1].hex }?.accesses, [.change: 1, .read: 1])
        XCTAssertTrue(try v.incidentReport(since: start, until: Date(), person: "지수").customers.isEmpty)
        XCTAssertEqual(try v.auditEntries().last?.action, "incident", "showing the names is a read, logged")
    }

    func testTheNoticeSaysWhatTheVaultReallyKeeps() throws {
        let v = try vault()
        XCTAssertThrowsError(try v.privacyNotice(language: .ko), "the salon's name and contact first")
        try v.changeSettings([("salon_name", "머리하는날"), ("salon_contact", "02-123-4567"), ("retention_days", "730")])
        let w = try reopened()
        let ko = try w.privacyNotice(language: .ko)
        XCTAssertTrue(ko.contains("머리하는날 개인정보 처리방침"), ko)
        XCTAssertTrue(ko.contains("**2년**"), "the vault's own retention period")
        XCTAssertTrue(ko.contains("생일(월·일)"))
        XCTAssertTrue(ko.contains("10일 이내"))
        XCTAssertTrue(ko.contains("원장"))
        XCTAssertFalse(ko.contains("직원"), "no staff, no staff sentence")
        let en = try w.privacyNotice(language: .en)
        XCTAssertTrue(en.contains("For **2 years**"), en)
        XCTAssertTrue(en.contains("Offers by text message"))
    }
}
