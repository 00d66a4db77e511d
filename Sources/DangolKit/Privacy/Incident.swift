import DangolText
import Foundation

/// What the salon must tell its customers and the authority when something
/// went wrong — a lost laptop, a staff member who looked at too much: whose
/// data was read, changed, exported or erased in a window of time, and by
/// whom (개인정보 보호법 제34조, GDPR art. 33 and 34: within 72 hours). Built
/// from the access log, which names every record each read or change touched.
public struct IncidentReport: Sendable {
    public enum Access: String, Sendable, Codable, CaseIterable {
        case read, change, export, erase
    }

    /// One customer the window touched.
    public struct Customer: Sendable {
        public let id: String
        /// Their name if they are still in the vault (nil once erased).
        public let name: String?
        /// Entries per kind of access.
        public var accesses: [Access: Int]
        /// Who, by name as in the log.
        public var people: Set<String>
        public var first: Date
        public var last: Date
    }

    public let since: Date
    public let until: Date
    public let person: String?
    /// Entries in the window (and by the person, when given).
    public let entries: Int
    public let customers: [Customer]
}

extension IncidentReport.Access {
    /// The kind of access an action is, or nil for one that touches no
    /// customer's data (settings, people, requests…).
    init?(action: String) {
        if Vault.exportActions.contains(action) {
            self = .export
        } else if Vault.erasureActions.contains(action) {
            self = .erase
        } else if Vault.readActions.contains(action) || action == Vault.incidentAction {
            self = .read
        } else if RetentionCandidate.customerOperations.contains(action) || ["import", "minimize"].contains(action) {
            self = .change
        } else {
            return nil
        }
    }
}

extension Vault {
    static let incidentAction = "incident"

    /// The report for `since ..< until`, of one person's entries when given.
    /// Showing the names is itself a read of those customers, and is logged.
    public func incidentReport(since: Date, until: Date, person: String? = nil) throws -> IncidentReport {
        try requireOwner(to: Message("incident.action"))
        var touched = [String: IncidentReport.Customer]()
        var count = 0
        for e in try auditEntries() {
            guard let when = e.date, when >= since, when < until, person.map({ $0 == e.person }) ?? true,
                  let access = IncidentReport.Access(action: e.action)
            else { continue }
            count += 1
            for id in e.records {
                var c = touched[id] ?? IncidentReport.Customer(id: id, name: nil, accesses: [:], people: [], first: when,
                                                               last: when)
                c.accesses[access, default: 0] += 1
                c.people.insert(e.person)
                c.first = min(c.first, when)
                c.last = max(c.last, when)
                touched[id] = c
            }
        }
        // Names of the customers still here; an erased one is its id alone.
        let tree = try repo.commit(try head()).tree
        var present = [RecordID]()
        for (hex, c) in touched {
            guard let id = RecordID(hex: hex), let customer = try read(id, inTree: tree) else { continue }
            present.append(id)
            touched[hex] = IncidentReport.Customer(id: hex, name: customer.name, accesses: c.accesses, people: c.people,
                                                   first: c.first, last: c.last)
        }
        if !present.isEmpty { try audit(Self.incidentAction, records: present.sorted { $0.hex < $1.hex }) }
        let customers = touched.values.sorted { ($0.name ?? "\u{10FFFF}", $0.id) < ($1.name ?? "\u{10FFFF}", $1.id) }
        return IncidentReport(since: since, until: until, person: person, entries: count, customers: customers)
    }
}
