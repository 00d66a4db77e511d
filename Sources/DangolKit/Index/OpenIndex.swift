import DangolGit
import DangolText
import Foundation

/// A vault kept unlocked with its index in memory, as `dangol shell` holds
/// it. It only reads; when another dangol process commits meanwhile, the
/// next question rebuilds the index from the new head (with the index cache,
/// only what changed is decrypted again).
public final class OpenIndex {
    public let vault: Vault
    public private(set) var index: SearchIndex
    /// Record files that could not be read at the last build.
    public private(set) var failures: [VaultError]
    private var head: ObjectID

    public init(_ vault: Vault) throws {
        self.vault = vault
        // The head is read first: a commit landing during the build is then
        // seen as a change at the next refresh, never missed.
        head = try vault.head()
        (index, failures) = try vault.index()
    }

    /// Rebuilds the index when the branch has moved (or when `force`);
    /// returns whether it did.
    @discardableResult
    public func refresh(force: Bool = false) throws -> Bool {
        let now = try vault.head()
        // Each question the shell answers appends to the access log, which
        // moves the head but leaves the records as they were.
        if !force, now != head, try vault.recordsTree(of: now) == vault.recordsTree(of: head) { head = now }
        guard force || now != head else { return false }
        head = now
        (index, failures) = try vault.index()
        return true
    }

    /// Locks without ending the process: the index's text in ordinary
    /// memory is overwritten and the index emptied. The key and the
    /// decrypted customers go when the last reference to this object and
    /// its vault goes (guarded memory, zeroed when freed); the caller drops
    /// them right after.
    public func close() {
        index.wipe()
        index = SearchIndex([])
        failures = []
    }

    public func search(_ text: String, limit: Int? = nil) throws -> [SearchIndex.Hit] {
        index.search(try vault.query(text), limit: limit)
    }

    /// The one customer meant by an id, an id prefix of 6 or more hex
    /// characters, or a query, as `Vault.resolve` finds it, from memory.
    public func find(_ token: String) throws -> SearchIndex.Hit {
        let t = token.trimmingCharacters(in: .whitespaces).lowercased()
        if t.count >= 6, t.count <= 32, t.allSatisfy(\.isHexDigit) {
            let hits = index.hits(withIDPrefix: t)
            if hits.count == 1 { return hits[0] }
            if hits.count > 1 { throw VaultError.ambiguous(query: token, candidates: hits.map(\.id)) }
            if t.count == 32 { throw VaultError.notFound(Message("customer.no_id", ["id": t])) }
        }
        let hits = index.matchingHits(try vault.query(token))
        if hits.count == 1 { return hits[0] }
        if hits.isEmpty { throw VaultError.notFound(Message("customer.no_match", ["query": token])) }

        throw VaultError.ambiguous(query: token, candidates: hits.map(\.id))
    }
}

extension SearchIndex {
    /// Customers whose id starts with `prefix` (lower-case hex), compared
    /// nibble by nibble so no id is turned into a string.
    func hits(withIDPrefix prefix: String) -> [Hit] {
        let nibbles = prefix.utf8.compactMap { c -> UInt8? in
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        guard nibbles.count == prefix.utf8.count, nibbles.count <= 32 else { return [] }
        return ids.indices.filter { e in
            let b = ids[e].bytes
            return nibbles.indices.allSatisfy { i in (i % 2 == 0 ? b[i / 2] >> 4 : b[i / 2] & 0xF) == nibbles[i] }
        }.map { hit($0, score: 0) }
    }

    /// The customer with this id, if the index holds it.
    public func hit(for id: RecordID) -> Hit? { hits(withIDPrefix: id.hex).first }
}
