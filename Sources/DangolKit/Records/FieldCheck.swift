import DangolText
import Foundation

/// Checks of one answer at a time (the questions of `dangol add` and
/// `dangol visit`) and of a visit given as JSON, by the very rules every
/// write follows: each goes through `Schema.decode`, with stand-ins for the
/// required fields not asked yet, so no second copy of the rules exists.
extension Schema {
    static let standInName = "가"
    static let standInPhone = "010-0000-0000"
    static let standInService = "커트"

    /// The problem with `field` among the customer answers so far, or nil.
    public static func problem(customer answers: [String: Any], field: String, extraFields: Set<String>,
                               today: String = Dates.today()) -> ValidationFailure? {
        var probe = answers
        if field != "name", probe["name"] == nil { probe["name"] = standInName }
        if field != "phone", field != "email", probe["phone"] == nil, probe["email"] == nil { probe["phone"] = standInPhone }
        return failure { _ = try decode(try json(probe), extraFields: extraFields, today: today) }
    }

    /// The problem with `field` among the visit answers so far, or nil.
    public static func problem(visit answers: [String: Any], field: String, today: String = Dates.today())
        -> ValidationFailure?
    {
        var visit = answers
        if field != "date", visit["date"] == nil { visit["date"] = today }
        if field != "services", visit["services"] == nil { visit["services"] = [standInService] }
        return failure { _ = try decodeVisit(visit, today: today) }
    }

    /// A visit as a script gives it (`dangol visit ID --json -`): the keys of
    /// templates/visit.json; the date defaults to today and the stylist to
    /// `stylist`. Problems are named by the visit's own keys (`price`).
    public static func decodeVisit(_ bytes: [UInt8], stylist: String, today: String = Dates.today()) throws -> Visit {
        let any = try? JSONSerialization.jsonObject(with: Data(bytes), options: [])
        guard var obj = any as? [String: Any] else {
            throw ValidationFailure(path: "", problem: Message("schema.visit_not_object"))
        }
        let date = obj["date"]
        if date == nil || date is NSNull || (date as? String)?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            obj["date"] = today
        }
        if obj["stylist"] == nil || obj["stylist"] is NSNull { obj["stylist"] = stylist }
        return try decodeVisit(obj, today: today)
    }

    /// The visit inside a stand-in customer, through `decode`.
    static func decodeVisit(_ visit: [String: Any], today: String) throws -> Visit {
        let probe: [String: Any] = ["name": standInName, "phone": standInPhone, "visits": [visit]]
        do {
            guard let v = try decode(try json(probe), today: today).visits.first else {
                throw ValidationFailure(path: "", problem: Message("schema.visit_not_object"))
            }
            return v
        } catch let f as ValidationFailure {
            let prefix = "visits[0]"
            guard f.path.hasPrefix(prefix) else { throw f }
            throw ValidationFailure(path: String(f.path.dropFirst(prefix.count).drop(while: { $0 == "." })),
                                    problem: f.problem)
        }
    }

    private static func json(_ obj: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: obj, options: []))
    }

    private static func failure(_ body: () throws -> Void) -> ValidationFailure? {
        do {
            try body()
            return nil
        } catch let f as ValidationFailure {
            return f
        } catch {
            return ValidationFailure(path: "", problem: .of(error))
        }
    }
}
