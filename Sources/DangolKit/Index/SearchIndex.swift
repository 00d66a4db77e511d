import DangolText
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
    /// One match. Its customer is decoded when asked for, so a query that
    /// matches half the salon costs nothing for the rows nobody prints.
    public struct Hit: Sendable {
        public let id: RecordID
        public let score: Int
        let store: RecordStore
        let entry: Int

        public var customer: Customer {
            // Every customer in the store was decoded once while the index
            // was built (init throws otherwise); the buffer is never written
            // after that.
            try! store.customer(entry)
        }
    }

    /// The customers, in display order, decoded only when handed out.
    let store: RecordStore
    var ids: [RecordID] { store.ids }

    private(set) var names: Vocabulary
    private(set) var initials: Vocabulary
    private(set) var phones: Vocabulary
    /// Notes, services, formulas, reactions, stylists, allergies, email and
    /// extension fields: everything a free word is looked for in.
    private(set) var texts: Vocabulary
    private(set) var services: Vocabulary
    private(set) var allergies: Vocabulary

    /// Per customer: the latest of creation, visits and consent answers.
    private(set) var lastActivity: [Int32]
    /// Per customer: month * 100 + day of the birthday, 0 when unknown.
    private(set) var birthdays: [Int16]
    /// Per customer: bit i set when the latest answer for
    /// ConsentEvent.purposes[i] is yes.
    let consentBits: [UInt8]
    /// Per customer: the first day on which one of those yes answers no
    /// longer counts (a consent that must be confirmed again), else max.
    let consentLapses: [Int32]
    /// Visits of customer e: visitStarts[e] ..< visitStarts[e + 1], each a
    /// day key and its service values (visitServiceStarts, visitServices).
    let visitStarts: [Int32]
    let visitDays: [Int32]
    let visitServiceStarts: [Int32]
    let visitServices: [Int32]

    public var count: Int { ids.count }

    /// An index over customers already in memory (tests, benchmarks).
    public convenience init(_ records: [(id: RecordID, customer: Customer)]) {
        var b = RecordStore.Builder()
        for (id, c) in records {
            var bytes = RecordStore.encode(c)
            // Only a failed sodium_malloc of a few MB can stop the builder,
            // and the records were just encoded, so they decode.
            try! b.append(id, encoded: &bytes)
        }
        try! self.init(store: b.finish())
    }

    /// Throws when a record in the store does not decode (a damaged cache,
    /// which is then rebuilt from the record files).
    init(store unordered: RecordStore) throws {
        let names = try (0..<unordered.count).map { try unordered.name($0) }
        let order = Self.displayOrder(ids: unordered.ids, names: names)
        store = unordered.reordered(order)

        // Names: sorted, so customers of one name are one run of numbers.
        var nameValues = [String](), nameStarts: [Int32] = [0]
        for (e, i) in order.enumerated() where e == 0 || names[i] != names[order[e - 1]] {
            if e > 0 { nameStarts.append(Int32(e)) }
            nameValues.append(names[i])
        }
        nameStarts.append(Int32(order.count))
        if order.isEmpty { nameStarts = [0] }
        let folded = nameValues.map(Hangul.fold)
        let everyone = (0..<Int32(order.count)).map { $0 }
        self.names = Vocabulary(folded: folded, postingStarts: nameStarts, postings: everyone)
        initials = Vocabulary(folded: folded.map(Hangul.choseong), postingStarts: nameStarts, postings: everyone)

        var b = Builders()
        try Self.eachCustomer(store) { e, c in b.add(c, e) }
        let built = b.finish()
        phones = built.phones
        texts = built.texts
        services = built.services
        allergies = built.allergies
        lastActivity = built.lastActivity
        birthdays = built.birthdays
        consentBits = built.consentBits
        consentLapses = built.consentLapses
        visitStarts = built.visitStarts
        visitDays = built.visitDays
        visitServiceStarts = built.visitServiceStarts
        visitServices = built.visitServices
    }

    /// Decodes every customer in order, a block at a time on all cores,
    /// handing each to `body` on this thread; a block is dropped before the
    /// next is decoded, so only a few thousand exist as values at once.
    static func eachCustomer(_ store: RecordStore, _ body: (Int32, Customer) -> Void) throws {
        let block = 4096
        var from = 0
        while from < store.count {
            let n = min(block, store.count - from)
            var decoded = [Result<Customer, Error>?](repeating: nil, count: n)
            decoded.withUnsafeMutableBufferPointer { out in
                let out = out, base = from
                DispatchQueue.concurrentPerform(iterations: n) { k in out[k] = Result { try store.customer(base + k) } }
            }
            for k in 0..<n { body(Int32(from + k), try decoded[k]!.get()) }  // concurrentPerform filled every slot
            from += n
        }
    }

    /// Record positions sorted by name, then id. Distinct names are sorted
    /// once (a salon has far fewer names than customers) and ids compare by
    /// their bytes, which orders them as their hex does.
    static func displayOrder(ids: [RecordID], names: [String]) -> [Int] {
        let distinct = Array(Set(names)).sorted()
        let rank = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        let ranks = names.map { rank[$0]! }  // every name was ranked above
        return ids.indices.sorted { a, b in
            ranks[a] != ranks[b] ? ranks[a] < ranks[b] : ids[a].bytes.lexicographicallyPrecedes(ids[b].bytes)
        }
    }

    /// Overwrites the folded text and the birthdays the index keeps in
    /// ordinary memory and leaves it empty (see OpenIndex.close). The
    /// customers themselves are in guarded memory, zeroed when freed.
    func wipe() {
        for i in birthdays.indices { birthdays[i] = 0 }
        for i in lastActivity.indices { lastActivity[i] = 0 }
        names.wipe()
        initials.wipe()
        phones.wipe()
        texts.wipe()
        services.wipe()
        allergies.wipe()
    }

    /// Every customer, by name.
    public func all() -> [Hit] { (0..<count).map { hit($0, score: 0) } }

    func hit(_ e: Int, score: Int) -> Hit { Hit(id: ids[e], score: score, store: store, entry: e) }
}

extension Vault {
    /// Decrypts every record and builds the index; damaged files are
    /// reported in `failures`, naming each file, and the rest stays searchable.
    public func index() throws -> (index: SearchIndex, failures: [VaultError]) {
        let (store, failures) = try cachedRecords()
        if let index = try? SearchIndex(store: store) { return (index, failures) }
        // Only a cache can hold what does not decode (it is authenticated,
        // so only a bug writes such a thing): start again from the records.
        try? FileManager.default.removeItem(atPath: IndexCache.path(repo))
        let fresh = try readAllEncoded()
        return (try SearchIndex(store: fresh.store), fresh.failures)
    }

    public func search(_ text: String, limit: Int? = nil) throws -> (hits: [SearchIndex.Hit], failures: [VaultError]) {
        let q = try query(text)
        let (index, failures) = try index()
        return (index.search(q, limit: limit), failures)
    }
}

extension Vault {
    /// A query as this person may ask it. Someone who sees phone numbers
    /// and birthdays masked must not learn them by searching: phone digits
    /// match only as the last four or the whole number, and birthday
    /// filters are refused.
    public func query(_ text: String) throws -> Query {
        var q = try Query.parseForVault(text)
        guard !seesContacts else { return q }
        q.wholeOrLastFourDigits = true
        if q.filters.contains(where: { if case .birthday = $0 { return true } else { return false } }) {
            throw VaultError.notAllowed(Message("search.birthday_masked"))
        }
        return q
    }
}

extension Query {
    /// Parses, turning a mistake into the usage error the CLI reports.
    public static func parseForVault(_ text: String) throws -> Query {
        do { return try parse(text) } catch let e as ParseError { throw VaultError.usage(e.message) }
    }
}
