import DangolText
import Foundation

extension ConsentEvent {
    /// `marketing_sms=yes birthday_coupon=no`, as `dangol consent` and the
    /// shell take them; the purposes' Korean names (문자=예) work too.
    public static func answers(_ words: [String]) throws -> [(purpose: String, granted: Bool)] {
        try words.map { word in
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            let yes = ["yes", "y", "예", "네", "동의"], no = ["no", "n", "아니오", "아니요", "거부"]
            guard parts.count == 2, yes.contains(parts[1].lowercased()) || no.contains(parts[1].lowercased()) else {
                throw VaultError.usage(Message("usage.consent.answer", ["value": word]))
            }
            let purpose = Query.koreanPurposes[Hangul.fold(parts[0])] ?? parts[0]
            return (purpose, yes.contains(parts[1].lowercased()))
        }
    }
}

extension Vault {
    /// The fields the vault's schema was extended with (`dangol schema extend`).
    public var extraFieldNames: Set<String> { extraFields }

    /// `phone=010-9999-0000 note=두피 예민` typed on one line in the shell:
    /// a value runs on, spaces included, up to the next `FIELD=`.
    public static func assignments(in line: String, extraFields: Set<String>) throws -> [(field: String, value: String)] {
        var out = [(field: String, value: String)]()
        for word in line.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            if let eq = word.firstIndex(of: "="), case let field = String(word[..<eq]),
               settableFields.contains(field) || extraFields.contains(field) {
                out.append((field, String(word[word.index(after: eq)...])))
            } else if !out.isEmpty {
                out[out.count - 1].value += " " + word
            } else if !word.isEmpty {
                throw VaultError.usage(Message("set.not_assignment", ["word": word]))
            }
        }
        guard !out.isEmpty else { throw VaultError.usage(Message("set.not_assignment", ["word": line])) }
        return out.map { ($0.field, $0.value.trimmingCharacters(in: .whitespaces)) }
    }
}

extension Vault {
    /// One FIELD=VALUE on a record; an empty value clears an optional field.
    static func apply(_ field: String, _ value: String, to c: inout Customer, extraFields: Set<String>) throws {
        let v: String? = value.isEmpty ? nil : value
        switch field {
        case "name": c.name = value
        case "phone": c.phone = v
        case "email": c.email = v
        case "birthday": c.birthday = v
        case "note": c.note = v
        case "allergies":
            c.allergies = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case let f where extraFields.contains(f):
            c.extra[f] = v
        default:
            throw ValidationFailure(
                path: field, problem: Message("schema.not_settable", ["fields": settableFields.joined(separator: ", ")]))
        }
    }

    /// `dangol set ID phone note`: fields named without a value are asked
    /// at the terminal, each checked against the record as it would be
    /// saved and asked again on a mistake, so a new phone number or note
    /// never goes through argv. Nil when the person cancelled.
    public func askValues(for fields: [String], of id: RecordID, _ asker: Asking) throws -> [(field: String, value: String)]? {
        var c = try read(id)
        var out = [(field: String, value: String)]()
        for field in fields {
            let label = Catalogue.entries["field.\(field)"] != nil ? Catalogue.text("field.\(field)") : field
            while true {
                guard let typed = try asker.ask(Catalogue.text("prompt.set", ["field": label])) else { return nil }
                let value = typed.trimmingCharacters(in: .whitespaces)
                var changed = c
                do {
                    try Self.apply(field, value, to: &changed, extraFields: extraFields)
                    try Schema.validate(&changed, extraFields: extraFields)
                    try refuseUnkeptYear(changed, before: try read(id))
                } catch let f as ValidationFailure {
                    asker.tell(Catalogue.text("prompt.invalid", ["problem": "\(f)"]))
                    continue
                }
                c = changed
                out.append((field, value))
                break
            }
        }
        return out
    }
}
