import DangolKit
import Foundation

/// A salon's years as dangol records them in use: customers arrive over the
/// years, come back for a while (some for good: one regular all along),
/// then stop; before each visit the owner looks the customer up (a search,
/// then the record shown), and every read and change is an access-log
/// entry. The plan is made from the seed alone, so the same seed gives the
/// same salon whichever layout the vault has (before and after the access
/// log moved to its own ref: the benchmark compares the two).
public struct SalonInUse {
    public enum Event: Sendable {
        case add(customer: Int)
        /// A visit, preceded by `reads` reads of the customer.
        case visit(customer: Int, reads: Int)
    }

    public let start: Date
    public let days: Int
    /// Record ids, seeded: customer i is `ids[i]`.
    public let ids: [RecordID]
    /// Oldest first.
    public let events: [(time: Date, event: Event)]
    /// The customer who comes `regularVisits` times over the years.
    public let regular: Int
    /// A customer added early (about 1% into the changes): an erasure of them
    /// rewrites nearly the whole history.
    public let early: Int

    public init(seed: UInt64, years: Int, customers: Int, visits: Int, reads: Int, regularVisits: Int,
                end: Date = Date()) {
        var rng = SeededGenerator(seed: seed ^ 0x5A10_0E5E)
        let days = max(1, years * 365)
        let startDate = end.addingTimeInterval(-Double(days) * 86_400)
        let ids = (0..<customers).map { _ in
            RecordID(bytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })!
        }
        // Arrival day, and the day after which they no longer come (an
        // exponential stay, three years on average).
        var arrival = (0..<customers).map { _ in Int.random(in: 0..<days, using: &rng) }
        arrival[0] = min(days - 1, 3)
        var leaves = arrival.map { a in
            min(days - 1, a + Int(-log(Double.random(in: 0.0001...1, using: &rng)) * 3 * 365))
        }
        leaves[0] = days - 1
        var timeline = [(day: Int, order: UInt64, event: Event)]()
        for c in 0..<customers { timeline.append((arrival[c], rng.next(), .add(customer: c))) }
        // The regular comes evenly; every other visit goes to a customer
        // drawn in proportion to how long they stay (a loyal one more often).
        let regularCount = customers > 0 ? min(regularVisits, visits) : 0
        var visitDays = [(customer: Int, day: Int)]()
        for k in 0..<regularCount {
            visitDays.append((0, arrival[0] + 1 + (days - 2 - arrival[0]) * k / max(1, regularCount)))
        }
        if customers > 1 {
            var cumulative = [Double]()
            var total = 0.0
            for c in 1..<customers {
                total += Double(leaves[c] - arrival[c] + 30) * Double.random(in: 0.2...2, using: &rng)
                cumulative.append(total)
            }
            for _ in regularCount..<visits {
                let r = Double.random(in: 0..<total, using: &rng)
                var lo = 0, hi = cumulative.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] <= r { lo = mid + 1 } else { hi = mid }
                }
                let c = lo + 1
                visitDays.append((c, Int.random(in: min(arrival[c] + 1, days - 1)...max(arrival[c] + 1, leaves[c]), using: &rng)))
            }
        }
        for (k, v) in visitDays.enumerated() {
            let share = reads / max(1, visitDays.count) + (k < reads % max(1, visitDays.count) ? 1 : 0)
            timeline.append((min(v.day, days - 1), rng.next(), .visit(customer: v.customer, reads: share)))
        }
        // A customer is added before anything else that day happens to them.
        timeline.sort { a, b in
            if a.day != b.day { return a.day < b.day }
            if case .add = a.event, case .visit = b.event { return true }
            if case .visit = a.event, case .add = b.event { return false }
            return a.order < b.order
        }
        var perDay = [Int: Int]()
        let events = timeline.map { t -> (time: Date, event: Event) in
            // Opening hours, 10:00 to 20:00, in order through the day.
            let n = perDay[t.day, default: 0]
            perDay[t.day] = n + 1
            let seconds = 10 * 3600 + min(n * 240, 10 * 3600 - 1)
            return (startDate.addingTimeInterval(Double(t.day) * 86_400 + Double(seconds)), t.event)
        }
        let adds = events.enumerated().compactMap { i, e -> (Int, Int)? in
            if case .add(let c) = e.event { return (i, c) }
            return nil
        }
        early = adds.first { $0.0 >= events.count / 100 && $0.1 != 0 }?.1 ?? adds.last?.1 ?? 0
        regular = 0
        self.days = days
        self.start = startDate
        self.ids = ids
        self.events = events
    }
}

extension Vault {
    /// Makes the history: each event at its time (the vault's clock follows
    /// the plan), reads through the access log as the command line logs
    /// them, changes through the same path as `dangol add` and `dangol
    /// visit`. `after` is called after each event (for packing as in use,
    /// and progress).
    public func play(_ plan: SalonInUse, salon: inout SyntheticSalon, after: (Int) throws -> Void) throws {
        var now = plan.start
        commitClock = { now }
        defer { commitClock = nil }
        var present = [Int]()
        var pick = SeededGenerator(seed: UInt64(plan.ids.count) &* 7919)
        for (i, (time, event)) in plan.events.enumerated() {
            now = time
            salon.today = time
            switch event {
            case .add(let c):
                // This dangol refuses a birth year on a new record, the dangol
                // that reads format 1 a birthday without one: a salon of
                // format 1 is made without birthdays.
                let customer = salon.newCustomer(on: time, birthday: metadata.format != 1)
                try change(operation: "add") { tx in try tx.put(customer, id: plan.ids[c]) }
                present.append(c)
            case .visit(let c, let reads):
                for r in 0..<reads {
                    if r % 2 == 0 {
                        // A search shows the customer and a few others.
                        var shown = Set([plan.ids[c]])
                        for _ in 0..<Int.random(in: 0...2, using: &pick) {
                            shown.insert(plan.ids[present[Int.random(in: 0..<present.count, using: &pick)]])
                        }
                        try audit("search", records: shown.sorted { $0.hex < $1.hex })
                    } else {
                        try audit("show", records: [plan.ids[c]])
                    }
                }
                try addVisit(salon.visit(daysAgo: 0), to: plan.ids[c])
            }
            try after(i)
        }
    }
}

extension SyntheticSalon {
    /// A new customer created on `date`, with no visits yet; the birthday
    /// (when `birthday`) as month and day, as the salon collects it. The
    /// draws are the same either way, so a seed makes the same salon.
    public mutating func newCustomer(on date: Date, birthday: Bool = true) -> Customer {
        var c = Customer(name: name(), phone: phone(), created: Dates.format(date))
        if Int.random(in: 0..<3, using: &rng) > 0 {
            let day = Dates.format(date.addingTimeInterval(-Double(Int.random(in: 18 * 365...75 * 365, using: &rng)) * 86_400))
            if birthday { c.birthday = String(day.dropFirst(5)) }
        }
        if Int.random(in: 0..<5, using: &rng) == 0 { c.note = pick(Self.notes) }
        if Int.random(in: 0..<20, using: &rng) == 0 { c.allergies = ["PPD"] }
        return c
    }
}
