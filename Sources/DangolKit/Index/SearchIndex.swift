import Foundation

/// The decrypted in-memory index: built from the records at the head on every
/// run (or once per `dangol shell`), never written to disk in clear.
///
/// Customers are numbered in display order (name, then id), so that the
/// stable tie-break of every result is simply that number. Text is found
/// through the distinct values of each kind (Vocabulary) and filters read
/// small per-customer columns; a query never touches a `Customer` until it
/// hands out the hits.
public final class SearchIndex: @unchecked Sendable {
    public struct Hit: Sendable {
        public let id: RecordID
        public let customer: Customer
        public let score: Int
    }

    let ids: [RecordID]
    let customers: [Customer]

    let names: Vocabulary
    let initials: Vocabulary
    let phones: Vocabulary
    /// Notes, services, formulas, reactions, stylists, allergies, email and
    /// extension fields: everything a free word is looked for in.
    let texts: Vocabulary
    let services: Vocabulary
    let allergies: Vocabulary

    /// Per customer: the latest of creation, visits and consent answers.
    let lastActivity: [Int32]
    /// Per customer: month * 100 + day of the birthday, 0 when unknown.
    let birthdays: [Int16]
    /// Per customer: bit i set when the latest answer for
    /// ConsentEvent.purposes[i] is yes.
    let consentBits: [UInt8]
    /// Visits of customer e: visitStarts[e] ..< visitStarts[e + 1], each a
    /// day key and its service values (visitServiceStarts, visitServices).
    let visitStarts: [Int32]
    let visitDays: [Int32]
    let visitServiceStarts: [Int32]
    let visitServices: [Int32]

    public var count: Int { ids.count }

    public init(_ records: [(id: RecordID, customer: Customer)]) {
        let order = Self.displayOrder(records)
        let customers = order.map { records[$0].customer }
        ids = order.map { records[$0].id }
        self.customers = customers

        // Names: sorted, so customers of one name are one run of numbers.
        var nameValues = [String](), nameStarts: [Int32] = [0]
        for (e, c) in customers.enumerated() where e == 0 || c.name != customers[e - 1].name {
            if e > 0 { nameStarts.append(Int32(e)) }
            nameValues.append(c.name)
        }
        nameStarts.append(Int32(customers.count))
        if customers.isEmpty { nameStarts = [0] }
        let folded = nameValues.map(Hangul.fold)
        let everyone = (0..<Int32(customers.count)).map { $0 }
        names = Vocabulary(folded: folded, postingStarts: nameStarts, postings: everyone)
        initials = Vocabulary(folded: folded.map(Hangul.choseong), postingStarts: nameStarts, postings: everyone)

        var withPhone = [Int32](), digits = [String]()
        for (e, c) in customers.enumerated() {
            guard let p = c.phone else { continue }
            withPhone.append(Int32(e))
            digits.append(Phone.digits(p))
        }
        phones = Vocabulary(folded: digits, postingStarts: (0...Int32(digits.count)).map { $0 }, postings: withPhone)

        // The two heavy walks over every visit run side by side.
        let words = Box<Vocabulary>(), columns = Box<Columns>()
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 { words.value = Self.textVocabulary(customers) } else { columns.value = Self.columns(customers) }
        }
        texts = words.value!  // both parts ran above
        let c = columns.value!
        services = c.services
        allergies = c.allergies
        lastActivity = c.lastActivity
        birthdays = c.birthdays
        consentBits = c.consentBits
        visitStarts = c.visitStarts
        visitDays = c.visitDays
        visitServiceStarts = c.visitServiceStarts
        visitServices = c.visitServices
    }

    /// Record positions sorted by name, then id. Distinct names are sorted
    /// once (a salon has far fewer names than customers) and ids compare by
    /// their bytes, which orders them as their hex does.
    static func displayOrder(_ records: [(id: RecordID, customer: Customer)]) -> [Int] {
        let distinct = Array(Set(records.map(\.customer.name))).sorted()
        let rank = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        let ranks = records.map { rank[$0.customer.name]! }  // every name was ranked above
        return records.indices.sorted { a, b in
            ranks[a] != ranks[b] ? ranks[a] < ranks[b] : records[a].id.bytes.lexicographicallyPrecedes(records[b].id.bytes)
        }
    }

    static func textVocabulary(_ customers: [Customer]) -> Vocabulary {
        var b = Vocabulary.Builder()
        for (e, c) in customers.enumerated() {
            let e = Int32(e)
            for s in [c.note, c.email].compactMap({ $0 }) { b.add(s, holder: e) }
            for s in c.allergies { b.add(s, holder: e) }
            for s in c.extra.values { b.add(s, holder: e) }
            for v in c.visits {
                for s in v.services { b.add(s, holder: e) }
                if let s = v.formula { b.add(s, holder: e) }
                if let s = v.note { b.add(s, holder: e) }
                if let s = v.reaction { b.add(s, holder: e) }
                if let s = v.stylist { b.add(s, holder: e) }
            }
        }
        return b.build(Hangul.fold)
    }

    struct Columns {
        var services: Vocabulary, allergies: Vocabulary
        var lastActivity = [Int32](), birthdays = [Int16](), consentBits = [UInt8]()
        var visitStarts: [Int32] = [0], visitDays = [Int32](), visitServiceStarts: [Int32] = [0], visitServices = [Int32]()
    }

    static func columns(_ customers: [Customer]) -> Columns {
        var serviceB = Vocabulary.Builder(), allergyB = Vocabulary.Builder()
        var c = Columns(services: Vocabulary(), allergies: Vocabulary())
        c.lastActivity.reserveCapacity(customers.count)
        for (e, cu) in customers.enumerated() {
            let e = Int32(e)
            var last = DayKey.of(cu.created) ?? 0
            for v in cu.visits {
                let day = DayKey.of(v.date) ?? 0
                last = max(last, day)
                c.visitDays.append(Int32(day))
                for s in v.services { c.visitServices.append(serviceB.add(s, holder: e)) }
                c.visitServiceStarts.append(Int32(c.visitServices.count))
            }
            c.visitStarts.append(Int32(c.visitDays.count))
            var bits: UInt8 = 0
            for (i, purpose) in ConsentEvent.purposes.enumerated() where cu.consents(to: purpose) { bits |= 1 << i }
            for event in cu.consents { last = max(last, DayKey.of(event.date) ?? 0) }
            c.consentBits.append(bits)
            c.lastActivity.append(Int32(last))
            c.birthdays.append(Int16(cu.birthday.flatMap(DayKey.of).map { $0 % 10000 } ?? 0))
            for a in cu.allergies { allergyB.add(a, holder: e) }
        }
        c.services = serviceB.build(Hangul.fold)
        c.allergies = allergyB.build(Hangul.fold)
        return c
    }

    /// Every customer, by name.
    public func all() -> [Hit] { (0..<count).map { hit($0, score: 0) } }

    func hit(_ e: Int, score: Int) -> Hit { Hit(id: ids[e], customer: customers[e], score: score) }
}

/// One result from each of two threads, each writing only its own box.
final class Box<T>: @unchecked Sendable {
    var value: T?
}

extension Vault {
    /// Decrypts every record and builds the index; damaged files are
    /// reported in `failures`, naming each file, and the rest stays searchable.
    public func index() throws -> (index: SearchIndex, failures: [VaultError]) {
        let (records, failures) = try cachedRecords()
        return (SearchIndex(records), failures)
    }

    public func search(_ text: String, limit: Int? = nil) throws -> (hits: [SearchIndex.Hit], failures: [VaultError]) {
        let q = try Query.parseForVault(text)
        let (index, failures) = try index()
        return (index.search(q, limit: limit), failures)
    }
}

extension Query {
    /// Parses, turning a mistake into the usage error the CLI reports.
    public static func parseForVault(_ text: String) throws -> Query {
        do { return try parse(text) } catch let e as ParseError { throw VaultError.usage(e.description) }
    }
}
