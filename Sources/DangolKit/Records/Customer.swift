import Foundation

/// One customer document: what the salon holds about a person. Field names
/// are the JSON keys; the schema (Validation.swift) says which are allowed.
public struct Customer: Codable, Equatable, Sendable {
    public var schema: Int = 1
    public var name: String
    public var phone: String?
    public var email: String?
    public var birthday: String?
    public var note: String?
    public var allergies: [String] = []
    public var visits: [Visit] = []
    public var consents: [ConsentEvent] = []
    public var created: String

    public init(name: String, phone: String?, email: String? = nil, birthday: String? = nil, note: String? = nil,
                created: String) {
        self.name = name
        self.phone = phone
        self.email = email
        self.birthday = birthday
        self.note = note
        self.created = created
    }

    /// The date of the latest visit, or nil when there was none.
    public var lastVisit: String? { visits.map(\.date).max() }

    /// Canonical JSON: keys sorted and pretty-printed, so that two versions of
    /// a record diff line by line (the textconv driver shows exactly this).
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }
}

public struct Visit: Codable, Equatable, Sendable {
    public var date: String
    public var services: [String]
    public var stylist: String?
    public var formula: String?
    public var price: Int?
    public var note: String?
    public var reaction: String?

    public init(date: String, services: [String], stylist: String? = nil, formula: String? = nil, price: Int? = nil,
                note: String? = nil, reaction: String? = nil) {
        self.date = date
        self.services = services
        self.stylist = stylist
        self.formula = formula
        self.price = price
        self.note = note
        self.reaction = reaction
    }
}

/// One grant or withdrawal of consent for a purpose, kept as history: the
/// law asks when consent was given and to which text.
public struct ConsentEvent: Codable, Equatable, Sendable {
    public var purpose: String
    public var granted: Bool
    public var date: String
    public var textVersion: String

    enum CodingKeys: String, CodingKey {
        case purpose, granted, date
        case textVersion = "text_version"
    }

    public static let purposes = ["service_records", "marketing_sms", "birthday_coupon", "third_party"]
}
