import DangolText
import Foundation

/// The monthly review the law expects of whoever keeps an access log
/// (개인정보의 안전성 확보조치 기준 art. 8: check the access records at
/// least monthly): per person, what they did and what stands out.
public struct AuditReview: Sendable {
    public struct PersonSummary: Sendable {
        public var person: String
        public var reads = 0
        public var changes = 0
        public var exports = 0
        public var erasures = 0
        /// Distinct customers whose record this person saw or changed.
        public var customers = 0
        /// Entries made outside the opening hours.
        public var outsideHours = 0
        /// Days on which this person reached far more customers than usual.
        public var unusualDays: [(day: String, customers: Int)] = []
    }

    public var month: String
    public var openingHours: OpeningHours
    public var people: [PersonSummary]
    /// Customers' requests still unanswered after the ten days the law gives.
    public var overdueRequests: [OpenRequest] = []
}

extension Vault {
    static let readActions: Set<String> = [
        "show", "search", "list", "birthdays", "diff", "blame", "log", "edit-read", "retention", "incident",
        "consent-due", "reveal",
    ]
    /// Entries that keep the salon's own records rather than touch a customer's.
    static let bookkeepingActions: Set<String> = [requestAction, requestClosedAction]
    static let exportActions: Set<String> = ["export"]
    static let erasureActions: Set<String> = ["erase"]

    /// A day stands out when a person reached more customers than this and
    /// more than three times their usual (median) day in the month.
    static let unusualFloor = 50

    public func reviewAccessLog(month: String, calendar: Calendar = .current, today: String = Dates.today()) throws
        -> AuditReview
    {
        try requireOwner(to: Message("role.do.review_audit"))
        let entries = try auditEntries()
        var review = AuditReview.summarise(entries, month: month, hours: openingHours, calendar: calendar)
        review.overdueRequests = openRequests(in: entries).filter { $0.overdue(on: today) }
        return review
    }
}

extension AuditReview {
    /// The review of `month` (YYYY-MM, in the calendar's time zone) from the
    /// log's entries.
    public static func summarise(
        _ entries: [AuditEntry], month: String, hours: OpeningHours,
        calendar: Calendar = .current
    ) -> AuditReview {
        let dayFormat = DateFormatter()
        dayFormat.calendar = calendar
        dayFormat.timeZone = calendar.timeZone
        dayFormat.dateFormat = "yyyy-MM-dd"
        var byPerson = [String: AuditReview.PersonSummary]()
        var customers = [String: Set<String>]()
        var perDay = [String: [String: Set<String>]]()
        for e in entries {
            guard let date = e.date else { continue }
            let day = dayFormat.string(from: date)
            guard day.hasPrefix(month), !Vault.bookkeepingActions.contains(e.action) else { continue }
            var s = byPerson[e.person] ?? AuditReview.PersonSummary(person: e.person)
            if Vault.exportActions.contains(e.action) {
                s.exports += 1
            } else if Vault.erasureActions.contains(e.action) {
                s.erasures += 1
            } else if Vault.readActions.contains(e.action) {
                s.reads += 1
            } else {
                s.changes += 1
            }
            if !hours.contains(date, calendar: calendar) { s.outsideHours += 1 }
            customers[e.person, default: []].formUnion(e.records)
            perDay[e.person, default: [:]][day, default: []].formUnion(e.records)
            byPerson[e.person] = s
        }
        for (person, days) in perDay {
            let counts = days.values.map(\.count).sorted()
            let median = counts[counts.count / 2]
            byPerson[person]?.unusualDays = days.filter { $0.value.count > max(Vault.unusualFloor, 3 * median) }
                .map { ($0.key, $0.value.count) }.sorted { $0.day < $1.day }
            byPerson[person]?.customers = customers[person]?.count ?? 0
        }
        return AuditReview(month: month, openingHours: hours, people: byPerson.values.sorted { $0.person < $1.person })
    }
}
