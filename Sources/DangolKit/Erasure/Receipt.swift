import Foundation

/// The numbers an erasure receipt keeps in the access log: ids and counts,
/// nothing about the customer.
public struct ErasureFigures: Codable, Equatable, Sendable {
    /// The erasure's random id (also in its journal while it runs).
    public var erasure: String
    public var commitsRewritten: Int
    public var commitsDropped: Int
    public var objectsRemoved: Int
    /// Old object ids and ciphertext fragments of the erased records found
    /// by the scan after the purge: 0 is the proof the owner can give.
    public var remnantsFound: Int
    public var objectsScanned: Int
}

/// What `dangol erase` prints and appends (encrypted) to the access log, so
/// the owner can answer the customer: when, who, why, which record ids, and
/// what the vault did and checked.
public struct ErasureReceipt: Sendable, Equatable {
    public var date: String
    public var person: String
    public var reason: String
    public var records: [RecordID]
    public var figures: ErasureFigures
    /// The branch head after the erasure (before its receipt's own commit).
    public var head: String
    /// Whether this run finished an erasure that an earlier one started.
    public var resumed: Bool

    public var verified: Bool { figures.remnantsFound == 0 }


    /// The receipt as it is read back from an access-log entry.
    public init?(entry: AuditEntry) {
        guard entry.action == "erase", let f = entry.erasure else { return nil }
        self.init(
            date: entry.time, person: entry.person, reason: entry.reason ?? "",
            records: entry.records.compactMap(RecordID.init(hex:)), figures: f, head: "", resumed: false)
    }

    init(
        date: String, person: String, reason: String, records: [RecordID], figures: ErasureFigures, head: String,
        resumed: Bool
    ) {
        self.date = date
        self.person = person
        self.reason = reason
        self.records = records
        self.figures = figures
        self.head = head
        self.resumed = resumed
    }
}
