import DangolText
import Foundation

/// How long a customer may stay without a visit or a change before the
/// salon should erase them: both 개인정보 보호법 (art. 21) and the GDPR
/// (art. 5(1)(e)) ask that personal data not be kept longer than its purpose
/// needs. The vault's own period lives in dangol.json
/// (settings.retention_days, three years unless the owner set another).
public struct RetentionPeriod: Equatable, Sendable, CustomStringConvertible {
    public var months: Int
    public var days: Int

    /// `3y`, `18m`, `400d` (as `inactive:` takes them in a search).
    public init?(_ text: String) {
        guard case .inactive(let m, let d)? = try? Query.inactive(text) else { return nil }
        months = m
        days = d
    }

    init(months: Int, days: Int) {
        self.months = months
        self.days = days
    }

    public var description: String {
        if days == 0 { return months % 12 == 0 ? "\(months / 12)y" : "\(months)m" }
        return days % 365 == 0 && months == 0 ? "\(days / 365)y" : "\(months > 0 ? "\(months)m" : "")\(days)d"
    }
}

extension Vault {
    public var retentionPeriod: RetentionPeriod {
        let days = metadata.settings.retentionDays
        // 1095 days is how "three years" was written; say it that way.
        return days % 365 == 0 ? RetentionPeriod(months: days / 365 * 12, days: 0) : RetentionPeriod(months: 0, days: days)
    }

    /// Customers whose latest activity of their own lies before `period`
    /// (the vault's own when nil), by name, each with the date that counts
    /// and why. A customer is active on their latest visit, consent answer
    /// or creation (the dates in their record: an import keeps the dates of
    /// the list it came from), and on the day the salon changed their record
    /// in the vault (add, set, edit, visit, consent, restore) — never on an
    /// import, a migration or any other change made to every record at once,
    /// which say nothing about the customer.
    public func retentionCandidates(inactiveFor period: RetentionPeriod? = nil, today: String = Dates.today())
        throws -> (hits: [RetentionCandidate], failures: [VaultError])
    {
        try requireOwner(to: Message("role.do.retention"))
        let p = period ?? retentionPeriod
        let (index, failures) = try index()
        let inactive = index.search(Query(filters: [.inactive(months: p.months, days: p.days)]), today: today)
        guard !inactive.isEmpty else { return ([], failures) }
        let cutoff = DayKey.before(today, months: p.months, days: p.days)
        var candidates = [RecordID: RetentionCandidate]()
        for hit in inactive { candidates[hit.id] = RetentionCandidate(id: hit.id, customer: hit.customer) }
        try latestChanges(of: candidates.mapValues(\.activity.date)) { id, day, operation in
            guard let c = candidates[id], day > c.activity.date else { return }
            candidates[id] = DayKey.of(day).map { $0 >= cutoff } ?? false
                ? nil : RetentionCandidate(id: id, customer: c.customer, change: (day, operation))
        }
        return (inactive.compactMap { candidates[$0.id] }, failures)
    }

    /// Calls `found` with the day and operation of the latest change the
    /// salon made to each record, reading commit messages newest first (first
    /// parents: the branch's own history). The walk ends once it is older
    /// than every record's own date (`since`), which no older change beats.
    func latestChanges(of since: [RecordID: String], _ found: (RecordID, String, String) throws -> Void) throws {
        var open = Set(since.keys)
        guard let floor = since.values.min() else { return }
        try repo.walkFirstParents(from: try head()) { commit in
            let info = try repo.commit(commit)
            let day = Dates.format(info.time)
            if day < floor { return false }
            let message = CommitMessage.parse(info.message)
            guard RetentionCandidate.customerOperations.contains(message.operation) else { return true }
            for id in message.records where open.remove(id) != nil { try found(id, day, message.operation) }
            return !open.isEmpty
        }
    }
}

/// A customer retention lists, and the activity that makes them inactive.
public struct RetentionCandidate: Sendable {
    /// The changes that speak of one customer: the salon at work on them.
    static let customerOperations: Set<String> = ["add", "set", "edit", "visit", "consent", "restore"]

    public enum Basis: String, Sendable, Codable {
        case visit, consent, created, change
    }

    public struct Activity: Sendable, Equatable {
        public let date: String
        public let basis: Basis
        /// The operation, when the basis is a change made in the vault.
        public let operation: String?
    }

    public let id: RecordID
    public let customer: Customer
    public let activity: Activity

    /// From the customer's own dates.
    init(id: RecordID, customer: Customer) {
        self.id = id
        self.customer = customer
        var best = Activity(date: customer.created, basis: .created, operation: nil)
        for v in customer.visits where v.date >= best.date { best = Activity(date: v.date, basis: .visit, operation: nil) }
        for e in customer.consents where e.date > best.date {
            best = Activity(date: e.date, basis: .consent, operation: nil)
        }
        activity = best
    }

    /// A change in the vault later than the customer's own dates.
    init(id: RecordID, customer: Customer, change: (day: String, operation: String)) {
        self.id = id
        self.customer = customer
        activity = Activity(date: change.day, basis: .change, operation: change.operation)
    }
}
