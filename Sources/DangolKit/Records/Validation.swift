import DangolText
import Foundation

/// A record that breaks the schema. `path` points into the document
/// (`visits[3].date`); `problem` names the kind of bad value and quotes it
/// only where it carries no personal data (a date, a number).
public struct ValidationFailure: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: Message

    public init(path: String, problem: Message) {
        self.path = path
        self.problem = problem
    }

    public var message: Message { path.isEmpty ? problem : Message("schema.at", ["path": path], parts: ["problem": problem]) }
    public var description: String { message.description }
}

/// The customer schema, checked on every write. Collection is minimal by
/// design: a key the schema does not list is refused.
public enum Schema {
    static let topLevel: Set<String> = [
        "schema", "name", "phone", "email", "birthday", "note", "allergies", "visits", "consents", "created",
    ]
    static let visitKeys: Set<String> = ["date", "services", "stylist", "formula", "price", "note", "reaction"]
    static let consentKeys: Set<String> = ["purpose", "granted", "date", "text_version"]

    /// Parses and validates a document; the result is normalised (phone in
    /// dashed form, text in NFC).
    public static func decode(_ bytes: [UInt8], extraFields: Set<String> = [], today: String = Dates.today()) throws
        -> Customer
    {
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw ValidationFailure(path: "", problem: Message("schema.not_json"))
        }
        guard let obj = any as? [String: Any] else {
            throw ValidationFailure(path: "", problem: Message("schema.record_not_object"))
        }
        try refuseUnknown(obj, allowed: topLevel.union(extraFields), at: "")
        let created = try optionalDate(obj, "created", at: "") ?? today
        var c = Customer(name: try requiredString(obj, "name", at: "", max: 100),
                         phone: try optionalString(obj, "phone", at: "", max: 40),
                         email: try optionalString(obj, "email", at: "", max: 200),
                         birthday: try optionalString(obj, "birthday", at: "", max: 10),
                         note: try optionalString(obj, "note", at: "", max: 4000),
                         created: created)
        if let s = obj["schema"] {
            guard let n = s as? Int, n == 1 else { throw ValidationFailure(path: "schema", problem: Message("schema.unknown_version")) }
        }
        c.allergies = try stringArray(obj, "allergies", at: "", max: 100)
        if let v = obj["visits"] {
            guard let list = v as? [Any] else { throw ValidationFailure(path: "visits", problem: Message("schema.not_list")) }
            c.visits = try list.enumerated().map { try visit($1, at: "visits[\($0)]") }
        }
        if let v = obj["consents"] {
            guard let list = v as? [Any] else { throw ValidationFailure(path: "consents", problem: Message("schema.not_list")) }
            c.consents = try list.enumerated().map { try consent($1, at: "consents[\($0)]") }
        }
        for key in extraFields where obj[key] != nil {
            if let v = try optionalString(obj, key, at: "", max: 500) { c.extra[key] = v }
        }
        try validate(&c, extraFields: extraFields, today: today)
        return c
    }

    /// A name the owner may add to the schema: lower-case ASCII words, not
    /// one of the built-in fields.
    public static func isValidExtensionName(_ name: String) -> Bool {
        !topLevel.contains(name) && (1...30).contains(name.count)
            && name.allSatisfy { ($0 >= "a" && $0 <= "z") || $0 == "_" }
    }

    /// Checks and normalises a record built in code (flags, `set`).
    public static func validate(_ c: inout Customer, extraFields: Set<String> = [], today: String = Dates.today()) throws {
        for key in c.extra.keys.sorted() where !extraFields.contains(key) {
            throw ValidationFailure(
                path: key, problem: Message("schema.not_a_field_extend"))
        }
        c.extra = c.extra.filter { !$0.value.isEmpty }.mapValues { $0.precomposedStringWithCanonicalMapping }
        c.name = c.name.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !c.name.isEmpty else { throw ValidationFailure(path: "name", problem: Message("schema.empty")) }
        if let p = c.phone {
            guard let normal = Phone.normalize(p) else {
                throw ValidationFailure(path: "phone", problem: Message("schema.not_phone"))
            }
            c.phone = normal
        }
        if let e = c.email, !(e.contains("@") && e.split(separator: "@").count == 2 && !e.contains(" ")) {
            throw ValidationFailure(path: "email", problem: Message("schema.not_email"))
        }
        guard c.phone != nil || c.email != nil else {
            throw ValidationFailure(path: "phone", problem: Message("schema.needs_contact"))
        }
        if let raw = c.birthday {
            let b = Birthday.normalized(raw)
            guard Birthday.isValid(b) else {
                throw ValidationFailure(path: "birthday", problem: Message("schema.birthday.invalid"))
            }
            if Birthday.hasYear(b), !(b >= "1900-01-01" && b <= today) {
                throw ValidationFailure(path: "birthday", problem: Message("schema.birthday_range"))
            }
            c.birthday = b
        }
        c.note = c.note?.precomposedStringWithCanonicalMapping
        for (i, v) in c.visits.enumerated() {
            let at = "visits[\(i)]"
            guard Dates.isValid(v.date) else { throw ValidationFailure(path: "\(at).date", problem: Message("schema.not_date", ["value": v.date])) }
            // A visit may name no service: an imported "last visit" is a day
            // the customer came, with the details left in the old system.
            for (j, s) in v.services.enumerated() where s.trimmingCharacters(in: .whitespaces).isEmpty || s.count > 50 {
                throw ValidationFailure(path: "\(at).services[\(j)]", problem: Message("schema.service_length"))
            }
            if let p = v.price, p < 0 || p > 100_000_000 {
                throw ValidationFailure(path: "\(at).price", problem: Message("schema.price_range"))
            }
        }
        for (i, e) in c.consents.enumerated() where !ConsentEvent.purposes.contains(e.purpose) {
            throw ValidationFailure(path: "consents[\(i)].purpose", problem: Message("schema.unknown_purpose", ["value": e.purpose]))
        }
        try ResidentNumber.refuse(in: c)
    }

    private static func refuseUnknown(_ obj: [String: Any], allowed: Set<String>, at: String) throws {
        for key in obj.keys.sorted() where !allowed.contains(key) {
            throw ValidationFailure(
                path: at.isEmpty ? key : "\(at).\(key)",
                problem: Message("schema.not_a_field"))
        }
    }

    private static func join(_ at: String, _ key: String) -> String { at.isEmpty ? key : "\(at).\(key)" }

    /// An empty string counts as absent: a template's blank field left blank.
    private static func optionalString(_ obj: [String: Any], _ key: String, at: String, max: Int) throws -> String? {
        guard let v = obj[key], !(v is NSNull) else { return nil }
        guard let s = v as? String else { throw ValidationFailure(path: join(at, key), problem: Message("schema.not_string")) }
        if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return nil }
        guard s.count <= max else { throw ValidationFailure(path: join(at, key), problem: Message("schema.too_long", ["max": arg(max)])) }
        return s.precomposedStringWithCanonicalMapping
    }

    private static func requiredString(_ obj: [String: Any], _ key: String, at: String, max: Int) throws -> String {
        guard let s = try optionalString(obj, key, at: at, max: max) else {
            throw ValidationFailure(path: join(at, key), problem: Message("schema.required"))
        }
        return s
    }

    private static func optionalDate(_ obj: [String: Any], _ key: String, at: String) throws -> String? {
        guard let s = try optionalString(obj, key, at: at, max: 10) else { return nil }
        guard Dates.isValid(s) else { throw ValidationFailure(path: join(at, key), problem: Message("schema.not_date", ["value": s])) }
        return s
    }

    private static func stringArray(_ obj: [String: Any], _ key: String, at: String, max: Int) throws -> [String] {
        guard let v = obj[key], !(v is NSNull) else { return [] }
        guard let list = v as? [Any] else { throw ValidationFailure(path: join(at, key), problem: Message("schema.not_list")) }
        return try list.enumerated().map { i, e in
            guard let s = e as? String else { throw ValidationFailure(path: "\(join(at, key))[\(i)]", problem: Message("schema.not_string")) }
            guard s.count <= max else {
                throw ValidationFailure(path: "\(join(at, key))[\(i)]", problem: Message("schema.too_long", ["max": arg(max)]))
            }
            return s.precomposedStringWithCanonicalMapping
        }
    }

    private static func visit(_ any: Any, at: String) throws -> Visit {
        guard let obj = any as? [String: Any] else { throw ValidationFailure(path: at, problem: Message("schema.not_object")) }
        try refuseUnknown(obj, allowed: visitKeys, at: at)
        guard let date = try optionalDate(obj, "date", at: at) else {
            throw ValidationFailure(path: "\(at).date", problem: Message("schema.required"))
        }
        var price: Int?
        if let p = obj["price"], !(p is NSNull) {
            guard let n = p as? Int, !(p is Bool) else { throw ValidationFailure(path: "\(at).price", problem: Message("schema.not_whole_number")) }
            price = n
        }
        return Visit(date: date, services: try stringArray(obj, "services", at: at, max: 50),
                     stylist: try optionalString(obj, "stylist", at: at, max: 100),
                     formula: try optionalString(obj, "formula", at: at, max: 500),
                     price: price,
                     note: try optionalString(obj, "note", at: at, max: 4000),
                     reaction: try optionalString(obj, "reaction", at: at, max: 1000))
    }

    private static func consent(_ any: Any, at: String) throws -> ConsentEvent {
        guard let obj = any as? [String: Any] else { throw ValidationFailure(path: at, problem: Message("schema.not_object")) }
        try refuseUnknown(obj, allowed: consentKeys, at: at)
        guard let granted = obj["granted"] as? Bool else {
            throw ValidationFailure(path: "\(at).granted", problem: Message("schema.not_bool"))
        }
        guard let date = try optionalDate(obj, "date", at: at) else {
            throw ValidationFailure(path: "\(at).date", problem: Message("schema.required"))
        }
        return ConsentEvent(purpose: try requiredString(obj, "purpose", at: at, max: 40), granted: granted, date: date,
                            textVersion: try requiredString(obj, "text_version", at: at, max: 40))
    }
}
