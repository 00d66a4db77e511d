import DangolText
import Foundation

/// Which customer field a CSV column holds. Korean and English headers are
/// known; `--map 휴대폰번호=phone,등급=-` names others, and `-` drops a
/// column on purpose. A column that maps to nothing stops the import: data
/// the schema does not list is not collected silently.
public struct ColumnMap: Sendable {
    static let aliases: [String: String] = [
        "name": "name", "이름": "name", "성명": "name", "고객명": "name", "고객 이름": "name",
        "phone": "phone", "휴대폰": "phone", "전화": "phone", "전화번호": "phone", "연락처": "phone", "핸드폰": "phone",
        "휴대전화": "phone", "mobile": "phone",
        "email": "email", "이메일": "email", "e-mail": "email",
        "birthday": "birthday", "생일": "birthday", "생년월일": "birthday",
        "note": "note", "notes": "note", "메모": "note", "비고": "note",
        "allergies": "allergies", "allergy": "allergies", "알레르기": "allergies", "알러지": "allergies",
        // The dates of the customer's own past, which retention counts from:
        // an imported list keeps them rather than starting on the import day.
        "created": "created", "since": "created", "등록일": "created", "가입일": "created", "첫 방문": "created",
        "첫방문": "created", "첫 방문일": "created", "첫방문일": "created", "최초 방문일": "created",
        "last_visit": "last_visit", "last visit": "last_visit", "최근 방문": "last_visit", "최근방문": "last_visit",
        "최근 방문일": "last_visit", "최근방문일": "last_visit", "최종 방문일": "last_visit", "최종방문일": "last_visit",
        "마지막 방문": "last_visit", "마지막 방문일": "last_visit", "마지막방문일": "last_visit",
    ]
    static let fields: Set<String> = ["name", "phone", "email", "birthday", "note", "allergies", "created", "last_visit"]

    /// One field name (or nil for a dropped column) per column.
    public let columns: [String?]

    /// `overrides` are header=field pairs from --map (field "-" drops the column).
    public init(headers: [String], overrides: [String: String], extraFields: Set<String>) throws {
        let allowed = Self.fields.union(extraFields)
        var out = [String?]()
        for header in headers {
            let key = Self.normalize(header)
            let field = overrides.first { Self.normalize($0.key) == key }?.value ?? Self.aliases[key]
                ?? (allowed.contains(key) ? key : nil)
            guard let field else {
                throw VaultError.invalidInput(
                    Message("import.column_unknown", ["column": header, "fields": allowed.sorted().joined(separator: ", ")]))
            }
            if field == "-" {
                out.append(nil)
                continue
            }
            guard allowed.contains(field) else {
                throw VaultError.invalidInput(Message("import.map_not_field", ["field": field]))
            }
            if out.contains(field) { throw VaultError.invalidInput(Message("import.two_columns", ["field": field])) }
            out.append(field)
        }
        guard out.contains("name") else { throw VaultError.invalidInput(Message("import.no_name_column")) }
        columns = out
    }

    static func normalize(_ s: String) -> String {
        s.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Parses `이름=name,휴대폰=phone` into pairs.
    public static func parseOverrides(_ text: String?) throws -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var out = [String: String]()
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw VaultError.usage(Message("import.bad_map", ["value": String(pair)]))

            }
            out[parts[0]] = parts[1]
        }
        return out
    }

    /// Dates as spreadsheets write them: 2021-03-14, 2021.03.14, 2021/3/14,
    /// 20210314. Anything else is left for the schema to refuse.
    static func date(_ s: String) -> String {
        let d = Birthday.normalized(s)
        return Birthday.hasYear(d) ? d : s.trimmingCharacters(in: .whitespaces)
    }

    /// A customer from one row; validation happens later, for every row.
    func customer(_ fields: [String], today: String) -> Customer {
        var c = Customer(name: "", phone: nil, created: today)
        for (i, field) in columns.enumerated() {
            guard let field, i < fields.count else { continue }
            let v = fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
            if v.isEmpty { continue }
            switch field {
            case "name": c.name = v
            case "phone": c.phone = v
            case "email": c.email = v
            case "birthday": c.birthday = Birthday.normalized(v)
            case "created": c.created = Self.date(v)
            // A day the customer came; what was done stayed in the old system.
            case "last_visit": c.visits = [Visit(date: Self.date(v), services: [])]
            case "note": c.note = v
            case "allergies":
                c.allergies = v.split(whereSeparator: { $0 == "," || $0 == ";" })
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            default: c.extra[field] = v
            }
        }
        // With no date of its own for the start, a customer began no later
        // than their first known visit: not on the day of the import.
        if !columns.contains("created"), let first = c.visits.map(\.date).min(), first < c.created { c.created = first }
        return c
    }
}
