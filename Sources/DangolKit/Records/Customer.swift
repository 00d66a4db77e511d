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
    /// Text fields the vault's schema extension allows (dangol.json,
    /// settings.extra_fields); empty unless the owner extended it on purpose.
    public var extra: [String: String] = [:]

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

    static let knownKeys: Set<String> = [
        "schema", "name", "phone", "email", "birthday", "note", "allergies", "visits", "consents", "created",
    ]

    struct Key: CodingKey {
        let stringValue: String
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    // Extension fields sit beside the known ones at the top level, so a
    // record reads the same whether or not the schema was extended.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        schema = try c.decodeIfPresent(Int.self, forKey: Key("schema")) ?? 1
        name = try c.decode(String.self, forKey: Key("name"))
        phone = try c.decodeIfPresent(String.self, forKey: Key("phone"))
        email = try c.decodeIfPresent(String.self, forKey: Key("email"))
        birthday = try c.decodeIfPresent(String.self, forKey: Key("birthday"))
        note = try c.decodeIfPresent(String.self, forKey: Key("note"))
        allergies = try c.decodeIfPresent([String].self, forKey: Key("allergies")) ?? []
        visits = try c.decodeIfPresent([Visit].self, forKey: Key("visits")) ?? []
        consents = try c.decodeIfPresent([ConsentEvent].self, forKey: Key("consents")) ?? []
        created = try c.decode(String.self, forKey: Key("created"))
        for key in c.allKeys where !Self.knownKeys.contains(key.stringValue) {
            extra[key.stringValue] = try c.decode(String.self, forKey: key)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(schema, forKey: Key("schema"))
        try c.encode(name, forKey: Key("name"))
        try c.encodeIfPresent(phone, forKey: Key("phone"))
        try c.encodeIfPresent(email, forKey: Key("email"))
        try c.encodeIfPresent(birthday, forKey: Key("birthday"))
        try c.encodeIfPresent(note, forKey: Key("note"))
        try c.encode(allergies, forKey: Key("allergies"))
        try c.encode(visits, forKey: Key("visits"))
        try c.encode(consents, forKey: Key("consents"))
        try c.encode(created, forKey: Key("created"))
        for (k, v) in extra { try c.encode(v, forKey: Key(k)) }
    }

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
