import Foundation

/// A query's filters, resolved against one index before any customer is
/// looked at: a service or allergy name becomes the set of values holding
/// it, dates become day keys, so checking a customer is a few array reads.
struct FilterPlan {
    private let index: SearchIndex
    /// The query can match nobody (a service no visit has, say).
    private(set) var matchesNobody = false
    private var inactiveBefore: Int32?
    private var birthdays: [(month: Int16, day: Int16?)] = []
    private var consentMask: UInt8 = 0
    private let today: Int32
    /// Per allergy filter, a mark per customer.
    private var allergyHolders: [[Bool]] = []
    /// Visits count only within [visitFrom, visitTo]; `service:` filters
    /// each need one of those visits with one of their services.
    private var visitFilter = false
    private var visitFrom = Int32.min, visitTo = Int32.max
    private var serviceSets: [[Bool]] = []

    /// The bits of purposes whose yes lapses. One column holds the earliest
    /// lapse of a customer's renewable yes answers; with one such purpose
    /// (advertising by text message) that is exactly its own.
    static let renewable: UInt8 = ConsentEvent.purposes.enumerated()
        .filter { ConsentPolicy.renewalMonths[$0.element] != nil }.reduce(0) { $0 | 1 << $1.offset }

    init(_ filters: [Query.Filter], index: SearchIndex, today: String) {
        self.index = index
        self.today = Int32(DayKey.of(today) ?? 0)
        for f in filters {
            switch f {
            case .service(let s):
                var set = [Bool](repeating: false, count: index.services.count)
                index.services.find(s) { set[$0.value] = true }
                if !set.contains(true) { matchesNobody = true }
                serviceSets.append(set)
                visitFilter = true
            case .visited(let from, let to):
                visitFilter = true
                if let from { visitFrom = max(visitFrom, Int32(clamping: from)) }
                if let to { visitTo = min(visitTo, Int32(clamping: to)) }
            case .inactive(let months, let days):
                let cutoff = Int32(DayKey.before(today, months: months, days: days))
                inactiveBefore = min(inactiveBefore ?? .max, cutoff)
            case .birthday(let month, let day):
                birthdays.append((Int16(month), day.map(Int16.init)))
            case .consent(let purpose):
                if let bit = ConsentEvent.purposes.firstIndex(of: purpose) { consentMask |= 1 << bit }
            case .allergy(let a):
                var marks = [Bool](repeating: false, count: index.count)
                index.allergies.find(a) { f in
                    for e in index.allergies.holders(f.value) { marks[Int(e)] = true }
                }
                if !marks.contains(true) { matchesNobody = true }
                allergyHolders.append(marks)
            }
        }
        if visitFrom > visitTo { matchesNobody = true }
    }

    func passes(_ entry: Int32) -> Bool {
        let e = Int(entry)
        if let cutoff = inactiveBefore, index.lastActivity[e] >= cutoff { return false }
        if index.consentBits[e] & consentMask != consentMask { return false }
        if consentMask & Self.renewable != 0 && index.consentLapses[e] <= today { return false }
        for b in birthdays {
            let md = index.birthdays[e]
            guard md / 100 == b.month, b.day.map({ md % 100 == $0 }) ?? true else { return false }
        }
        for marks in allergyHolders where !marks[e] { return false }
        return !visitFilter || visitsPass(e)
    }

    /// Written as plain loops: this runs for every customer of a
    /// filter-only query, and allocating there would dominate.
    private func visitsPass(_ e: Int) -> Bool {
        let visits = Int(index.visitStarts[e])..<Int(index.visitStarts[e + 1])
        func counts(_ v: Int) -> Bool { let d = index.visitDays[v]; return d >= visitFrom && d <= visitTo }
        guard !serviceSets.isEmpty else { return visits.contains(where: counts) }
        for set in serviceSets {
            var found = false
            for v in visits where counts(v) {
                for i in Int(index.visitServiceStarts[v])..<Int(index.visitServiceStarts[v + 1])
                where set[Int(index.visitServices[i])] {
                    found = true
                    break
                }
                if found { break }
            }
            if !found { return false }
        }
        return true
    }
}
