import DangolKit
import DangolText
import Foundation

/// The schema's verdict (Records/Validation.swift, the same checks the
/// command line runs) as a message next to the form field it concerns, in
/// the reader's language. The schema names the field by its path in the
/// document (`phone`, `visits[3].price`); the form's field is the path's
/// last name.
enum FormErrors {
    static func describe(_ f: ValidationFailure, language: Language) -> (field: String, message: String) {
        let field = fieldName(f.path)
        return (field.isEmpty ? "form" : field, f.problem.text(language))
    }

    /// `visits[3].services[0]` → `services`; `phone` → `phone`.
    static func fieldName(_ path: String) -> String {
        let last = path.split(separator: ".").last.map(String.init) ?? path
        return String(last.prefix { $0 != "[" })
    }
}
