import Foundation

/// One customer in a list: `search`, `list`, `retention`, `shell` (the
/// contract of `search --json`: id, name, phone, last_visit).
public struct CustomerRow: Encodable, Sendable {
    public let id: String
    public let name: String
    @Nullable public var phone: String?
    @Nullable public var lastVisit: String?

    enum CodingKeys: String, CodingKey {
        case id, name, phone
        case lastVisit = "last_visit"
    }

    /// The phone masked (010-****-5678) unless `reveal`.
    public init(id: RecordID, customer c: Customer, reveal: Bool) {
        self.id = id.hex
        name = c.name
        phone = c.phone.map { reveal ? $0 : Phone.masked($0) }
        lastVisit = c.lastVisit
    }
}

/// One customer's whole record, as stored, with its id (`show`, `export`).
public struct JSONRecord: Encodable, Sendable {
    public let id: String
    public let customer: Customer

    public init(id: RecordID, customer: Customer) {
        self.id = id.hex
        self.customer = customer
    }

    init(_ customer: Customer) {
        id = ""
        self.customer = customer
    }

    public func encode(to encoder: Encoder) throws {
        if !id.isEmpty {
            var c = encoder.container(keyedBy: Customer.Key.self)
            try c.encode(id, forKey: Customer.Key("id"))
        }
        try customer.encode(to: encoder)
    }
}

/// A customer on the birthday list.
public struct BirthdayRow: Encodable, Sendable {
    public let id: String
    public let name: String
    public let birthday: String
    @Nullable public var phone: String?

    public init(id: RecordID, customer c: Customer, reveal: Bool) {
        self.id = id.hex
        name = c.name
        birthday = c.birthday ?? ""
        phone = c.phone.map { reveal ? $0 : Phone.masked($0) }
    }
}

/// A person who holds a key (`user list`).
public struct PersonJSON: Encodable, Sendable {
    public let person: String
    public let role: String
    public let slot: String

    public init(_ p: PersonSlot) {
        person = p.name
        role = p.role == .owner ? "owner" : "staff"
        slot = p.slotID
    }
}
