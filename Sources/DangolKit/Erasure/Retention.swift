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

    /// Customers with no visit, no consent answer, no creation and no change
    /// of their record within `period` (the vault's own when nil), by name.
    /// The record's dates say when the salon last saw them; the history says
    /// when the record last changed: a record that differs between the last
    /// commit before the cutoff and the head was changed since, whatever
    /// its dates say.
    public func retentionCandidates(inactiveFor period: RetentionPeriod? = nil, today: String = Dates.today())
        throws -> (hits: [SearchIndex.Hit], failures: [VaultError])
    {
        try requireOwner(to: Message("role.do.retention"))
        let p = period ?? retentionPeriod
        let (index, failures) = try index()
        let inactive = index.search(Query(filters: [.inactive(months: p.months, days: p.days)]), today: today)
        guard !inactive.isEmpty else { return ([], failures) }
        // The last commit made before the cutoff day.
        let dayBefore = DayKey.before(today, months: p.months, days: p.days + 1)
        let day = String(format: "%04d-%02d-%02d", dayBefore / 10000, dayBefore / 100 % 100, dayBefore % 100)
        guard let before = try lastCommit(onOrBefore: day) else {
            return ([], failures)  // every record was written after the cutoff
        }
        let changedSince = Set(try changedRecords(from: before, to: try head().hex))
        return (inactive.filter { !changedSince.contains($0.id) }, failures)
    }
}
