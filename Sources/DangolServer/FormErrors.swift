import DangolKit
import DangolText
import Foundation

/// The schema's verdict (Records/Validation.swift, the same checks the
/// command line runs) as a message next to the form field it concerns.
/// The schema names the field by its path in the document (`phone`,
/// `visits[3].price`); the form's field is the path's last name.
enum FormErrors {
    static func describe(_ f: ValidationFailure, language: Language) -> (field: String, message: String) {
        let field = fieldName(f.path)
        func say(_ key: String, _ args: [String: String] = [:]) -> String { Catalogue.text(key, args, language: language) }
        let p = f.problem
        if p.contains("resident registration") { return (field, say("web.invalid.resident")) }
        if p.contains("phone number or an email") { return ("phone", say("web.invalid.contact")) }
        if let range = p.range(of: "longer than ") {
            let max = p[range.upperBound...].prefix { $0.isNumber }
            return (field, say("web.invalid.too_long", ["max": String(max)]))
        }
        switch field {
        case "name": return (field, say("web.invalid.name"))
        case "phone": return (field, say("web.invalid.phone"))
        case "email": return (field, say("web.invalid.email"))
        case "birthday": return (field, say("web.invalid.birthday"))
        case "date": return (field, say("web.invalid.date"))
        case "services": return (field, say("web.invalid.services"))
        case "price": return (field, say("web.invalid.price"))
        default: return (field.isEmpty ? "form" : field, say("web.invalid.other", ["detail": f.description]))
        }
    }

    /// `visits[3].services[0]` → `services`; `phone` → `phone`.
    static func fieldName(_ path: String) -> String {
        let last = path.split(separator: ".").last.map(String.init) ?? path
        return String(last.prefix { $0 != "[" })
    }
}
