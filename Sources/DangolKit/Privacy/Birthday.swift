import DangolText
import Foundation

/// A birthday is a month and a day, "03-14": that is what a birthday offer
/// needs and what the consent text asks for (생일(월·일)). Collecting the year
/// as well would be more than the customer agreed to (개인정보 보호법 제16조,
/// GDPR art. 5(1)(c)), so a year is kept only in a vault whose owner extended
/// the schema for it on purpose (`dangol schema extend birthday_year`).
/// Records written before keep their full date until it is edited.
public enum Birthday {
    /// The name of the schema extension that keeps years.
    public static let yearExtension = "birthday_year"

    /// "MM-DD", or "YYYY-MM-DD" (a valid calendar date either way; 02-29 is
    /// a birthday even without a year).
    public static func isValid(_ s: String) -> Bool {
        if hasYear(s) { return Dates.isValid(s) }
        guard let md = monthDay(s) else { return false }
        return Dates.isValid(String(format: "2000-%02d-%02d", md / 100, md % 100))
    }

    public static func hasYear(_ s: String) -> Bool { s.utf8.count == 10 }

    /// month × 100 + day, for "03-14" and "1990-03-14"; nil for anything else.
    public static func monthDay(_ s: String) -> Int? {
        let tail = hasYear(s) ? s.dropFirst(5) : Substring(s)
        let parts = tail.split(separator: "-", omittingEmptySubsequences: false)
        guard tail.utf8.count == 5, parts.count == 2, parts.allSatisfy({ $0.utf8.count == 2 && $0.allSatisfy(\.isASCII) }),
              let m = Int(parts[0]), let d = Int(parts[1]), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return m * 100 + d
    }

    /// The month and day alone.
    public static func withoutYear(_ s: String) -> String {
        guard let md = monthDay(s) else { return s }
        return String(format: "%02d-%02d", md / 100, md % 100)
    }

    /// Spreadsheets and people write 3/14, 03.14, 0314, 3월 14일, or a
    /// whole date: the shape the schema wants, or the text as it was for the
    /// schema to refuse.
    public static func normalized(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.count == 8, t.allSatisfy(\.isNumber) { return "\(t.prefix(4))-\(t.dropFirst(4).prefix(2))-\(t.suffix(2))" }
        if t.count == 4, t.allSatisfy(\.isNumber) { return "\(t.prefix(2))-\(t.suffix(2))" }
        let parts = t.split(whereSeparator: { ".-/ 월일".contains($0) }).map(String.init)
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count else { return t }
        switch numbers.count {
        case 2: return String(format: "%02d-%02d", numbers[0], numbers[1])
        case 3 where parts[0].count == 4: return String(format: "%04d-%02d-%02d", numbers[0], numbers[1], numbers[2])
        default: return t
        }
    }
}

extension Vault {
    /// Minimal collection: a year is written only where the owner chose to
    /// keep years, or where the record already held this very date. Every
    /// write checks it (Transaction.put), and so do the questions of `add`
    /// and `set` as each answer comes.
    func refuseUnkeptYear(_ c: Customer, before: Customer?) throws {
        if let b = c.birthday, Birthday.hasYear(b), !keepsBirthdayYear, b != before?.birthday {
            throw ValidationFailure(path: "birthday", problem: Message("schema.birthday.year_not_kept"))
        }
    }

    /// Whether this vault's schema keeps the year of a birthday.
    public var keepsBirthdayYear: Bool { (metadata.settings.extraFields ?? []).contains(Birthday.yearExtension) }

    /// Drops the year from every birthday that holds one, as one commit
    /// (operation `minimize`). Returns how many records changed.
    @discardableResult
    public func dropBirthdayYears() throws -> Int {
        try requireOwner(to: Message("privacy.birthday.drop_years_action"))
        var changed = 0
        try change(operation: "minimize") { tx in
            // Read under the write lock, so these are the head's records.
            for (id, customer) in try readAll().records {
                guard let b = customer.birthday, Birthday.hasYear(b) else { continue }
                var c = customer
                c.birthday = Birthday.withoutYear(b)
                try tx.put(c, id: id)
                changed += 1
            }
        }
        return changed
    }
}
