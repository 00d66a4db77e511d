import Foundation

/// The decrypted in-memory index: built from the records at the head on every
/// run (or once per `dangol shell`), never written to disk.
public final class SearchIndex {
    struct Entry {
        let id: RecordID
        let customer: Customer
        let name: String
        let initials: String
        let phone: String
        let text: String
        let services: [String]
        let visits: [String]
        let lastActivity: String
        let birthdayMonth: Int?
        let allergies: [String]
    }

    public struct Hit: Sendable {
        public let id: RecordID
        public let customer: Customer
        public let score: Int
    }

    let entries: [Entry]
    public var count: Int { entries.count }

    public init(_ records: [(id: RecordID, customer: Customer)]) {
        var built = [Entry?](repeating: nil, count: records.count)
        built.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: records.count) { i in
                out[i] = Self.entry(records[i].id, records[i].customer)
            }
        }
        // Kept in result order (name, then id) so ties need no sorting later.
        entries = built.map { $0! }  // every slot was filled above
            .map { ($0.name, $0.id.hex, $0) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }

    static func entry(_ id: RecordID, _ c: Customer) -> Entry {
        var words = [c.note ?? ""] + c.allergies + c.extra.values
        for v in c.visits {
            words += v.services
            words += [v.formula, v.note, v.reaction, v.stylist].compactMap { $0 }
        }
        let name = Hangul.fold(c.name)
        return Entry(
            id: id, customer: c, name: name, initials: Hangul.choseong(name),
            phone: c.phone.map(Phone.digits) ?? "", text: Hangul.fold(words.joined(separator: "\n")),
            services: c.visits.flatMap(\.services).map(Hangul.fold), visits: c.visits.map(\.date),
            lastActivity: max(c.lastVisit ?? "", c.created), birthdayMonth: c.birthday.flatMap { Int($0.dropFirst(5).prefix(2)) },
            allergies: c.allergies.map(Hangul.fold))
    }

    /// Matches, best first: exact phone or name, then prefixes, then parts;
    /// ties by name, then id, so the order is stable.
    public func search(_ q: Query, today: String = Dates.today(), limit: Int? = nil) -> [Hit] {
        let cutoff = q.filters.compactMap { f -> String? in
            if case .inactive(let days) = f { return Dates.format(Dates.parse(today)!.addingTimeInterval(-Double(days) * 86_400)) }
            return nil
        }.min()
        // Entries are already in (name, id) order: grouping hits by score,
        // highest first, keeps that order within a score without a sort.
        var byScore: [Int: [Int]] = [:]
        for (i, e) in entries.enumerated() {
            guard q.filters.allSatisfy({ matches($0, e, inactiveBefore: cutoff) }) else { continue }
            var score = 0
            var all = true
            for t in q.terms {
                let s = Self.score(t, e)
                if s == 0 { all = false; break }
                score += s
            }
            if all { byScore[score, default: []].append(i) }
        }
        var hits = [Hit]()
        for score in byScore.keys.sorted(by: >) {
            for i in byScore[score]! {  // score is a key of byScore
                if let limit, hits.count >= limit { return hits }
                hits.append(Hit(id: entries[i].id, customer: entries[i].customer, score: score))
            }
        }
        return hits
    }

    /// Every customer, by name.
    public func all() -> [Hit] {
        entries.map { Hit(id: $0.id, customer: $0.customer, score: 0) }
            .sorted { ($0.customer.name, $0.id.hex) < ($1.customer.name, $1.id.hex) }
    }

    static func score(_ term: String, _ e: Entry) -> Int {
        let digits = Phone.digits(term)
        if !digits.isEmpty, digits.count >= 3, term.allSatisfy({ $0.isNumber || $0 == "-" || $0 == " " }) {
            if e.phone == digits { return 100 }
            if e.phone.hasSuffix(digits) { return 80 }
            return e.phone.contains(digits) ? 50 : 0
        }
        if Hangul.isChoseongQuery(term) {
            if e.initials == term { return 90 }
            if e.initials.hasPrefix(term) { return 70 }
            return e.initials.contains(term) ? 40 : 0
        }
        if e.name == term { return 100 }
        if e.name.hasPrefix(term) { return 75 }
        if e.name.contains(term) { return 55 }
        return e.text.contains(term) ? 25 : 0
    }

    func matches(_ f: Query.Filter, _ e: Entry, inactiveBefore cutoff: String?) -> Bool {
        switch f {
        case .service(let s): return e.services.contains { $0.contains(s) }
        case .visited(let from, let to):
            return e.visits.contains { d in (from.map { d >= $0 } ?? true) && (to.map { d <= $0 } ?? true) }
        case .inactive: return cutoff.map { e.lastActivity < $0 } ?? false
        case .birthday(let m): return e.birthdayMonth == m
        case .consent(let p): return e.customer.consents(to: p)
        case .allergy(let a): return e.allergies.contains { $0.contains(a) }
        }
    }
}

extension Vault {
    /// Decrypts every record and builds the index; damaged files are
    /// reported in `failures`, naming each file, and the rest stays searchable.
    public func index() throws -> (index: SearchIndex, failures: [VaultError]) {
        let (records, failures) = try cachedRecords()
        return (SearchIndex(records), failures)
    }

    public func search(_ text: String, limit: Int? = nil) throws -> (hits: [SearchIndex.Hit], failures: [VaultError]) {
        let q: Query
        do { q = try Query.parse(text) } catch let e as Query.ParseError { throw VaultError.usage(e.description) }
        let (index, failures) = try index()
        return (index.search(q, limit: limit), failures)
    }
}
