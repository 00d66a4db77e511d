import DangolText
import Foundation

/// A customer `retention` lists, with the day that counts as their last
/// activity and what it was.
public struct RetentionRow: Encodable, Sendable {
    public struct Active: Encodable, Sendable {
        public let date: String
        public let basis: String
        @Nullable public var operation: String?
    }

    public let id: String
    public let name: String
    @Nullable public var phone: String?
    @Nullable public var lastVisit: String?
    public let active: Active

    enum CodingKeys: String, CodingKey {
        case id, name, phone, active
        case lastVisit = "last_visit"
    }

    public init(_ c: RetentionCandidate, reveal: Bool) {
        id = c.id.hex
        name = c.customer.name
        phone = c.customer.phone.map { reveal ? $0 : Phone.masked($0) }
        lastVisit = c.customer.lastVisit
        active = Active(date: c.activity.date, basis: c.activity.basis.rawValue, operation: c.activity.operation)
    }
}

/// A consent to ask for again (`consent due`).
public struct ConsentDueJSON: Encodable, Sendable {
    public let id: String
    public let name: String
    @Nullable public var phone: String?
    public let purpose: String
    public let confirmed: String
    public let due: String
    public let lapsed: Bool

    public init(_ d: ConsentDue, reveal: Bool) {
        id = d.id.hex
        name = d.customer.name
        phone = d.customer.phone.map { reveal ? $0 : Phone.masked($0) }
        purpose = d.purpose
        confirmed = d.confirmed
        due = d.due
        lapsed = d.lapsed
    }
}

/// A customer's request still open (`request list`).
public struct RequestJSON: Encodable, Sendable {
    public let request: String
    public let id: String
    public let kind: String
    public let received: String
    public let due: String
    public let overdue: Bool
    public let person: String

    public init(_ o: OpenRequest, today: String) {
        request = o.request.id
        id = o.record
        kind = o.request.kind.rawValue
        received = o.request.received
        due = o.request.due
        overdue = o.overdue(on: today)
        person = o.person
    }
}

/// Whose data was reached in a window, and how (`audit incident`).
public struct IncidentJSON: Encodable, Sendable {
    public struct Customer: Encodable, Sendable {
        public let id: String
        @Nullable public var name: String?
        public let erased: Bool
        public let people: [String]
        public let first: String
        public let last: String
        public let accesses: [String: Int]
    }

    public let since: String
    public let until: String
    @Nullable public var person: String?
    public let entries: Int
    public let count: Int
    public let customers: [Customer]

    public init(_ r: IncidentReport) {
        since = LocalTime.iso(r.since)
        until = LocalTime.iso(r.until)
        person = r.person
        entries = r.entries
        count = r.customers.count
        customers = r.customers.map { c in
            Customer(id: c.id, name: c.name, erased: c.name == nil, people: c.people.sorted(), first: LocalTime.iso(c.first),
                     last: LocalTime.iso(c.last),
                     accesses: Dictionary(uniqueKeysWithValues: c.accesses.map { ($0.key.rawValue, $0.value) }))
        }
    }
}
