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
        /// Runs of many searches in a short time (local "yyyy-MM-dd HH:mm"
        /// of the first): what trying number after number looks like.
        public var searchBursts: [(start: String, searches: Int)] = []
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
    /// This many searches by one person within `burstWindow` stand out: a
    /// busy counter (the page logs each result set as it is typed) stays
    /// well under it, while someone trying number after number does not.
    public static let burstSearches = 60
    static let burstWindow: TimeInterval = 10 * 60
    public static var burstWindowMinutes: Int { Int(burstWindow / 60) }

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
        var searches = [String: [Date]]()
        for e in entries {
            guard let date = e.date else { continue }
            let day = dayFormat.string(from: date)
            guard day.hasPrefix(month), !Vault.bookkeepingActions.contains(e.action) else { continue }
            if e.action == "search" { searches[e.person, default: []].append(date) }
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
        let minuteFormat = DateFormatter()
        minuteFormat.calendar = calendar
        minuteFormat.timeZone = calendar.timeZone
        minuteFormat.dateFormat = "yyyy-MM-dd HH:mm"
        for (person, times) in searches {
            byPerson[person]?.searchBursts = bursts(times.sorted()).map { (minuteFormat.string(from: $0.start), $0.count) }
        }
        return AuditReview(month: month, openingHours: hours, people: byPerson.values.sorted { $0.person < $1.person })
    }

    /// Each run of at least `burstSearches` searches whose first and last
    /// are at most `burstWindow` apart, grown as long as searches keep
    /// coming that fast; runs do not overlap.
    static func bursts(_ times: [Date]) -> [(start: Date, count: Int)] {
        var out = [(start: Date, count: Int)]()
        var i = 0
        while i < times.count {
            var j = i
            while j + 1 < times.count && times[j + 1].timeIntervalSince(times[i]) <= Vault.burstWindow { j += 1 }
            guard j - i + 1 >= Vault.burstSearches else {
                i += 1
                continue
            }
            // Carry on while each next search is within the window of the
            // one `burstSearches` before it.
            while j + 1 < times.count
                && times[j + 1].timeIntervalSince(times[j + 2 - Vault.burstSearches]) <= Vault.burstWindow
            {
                j += 1
            }
            out.append((times[i], j - i + 1))
            i = j + 1
        }
        return out
    }
}
