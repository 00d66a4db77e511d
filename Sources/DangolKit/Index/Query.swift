import DangolText
import Foundation

/// A search query: free terms and filters, all of which must match.
///
///     5678 · 010-1234-5678      phone digits (any part; dashes and spaces ignored)
///     김민 · ㄱㅁㅈ · 김ㅁㅈ       name, 초성 initials, or both mixed
///     두피 · 애쉬 · ppd           a part of notes, services, formulas, allergies, email
///     service:염색              a visit with that service
///     visited:>2026-01-01       a visit after (>=, <, <=, A..B, a day, 2026-03, 2026)
///     inactive:>2y              no visit or change for more than 2 years (Ny, Nm, Nd)
///     birthday:12 · birthday:12-25
///     consent:marketing_sms     the latest answer for that purpose is yes
///     allergy:PPD               an allergy containing PPD
///
/// `service:` and `visited:` together ask for one visit with both: "who had
/// a colour since January", not "who had a colour once and came since".
public struct Query: Equatable, Sendable {
    public enum Filter: Equatable, Sendable {
        case service(String)
        /// Day keys (yyyymmdd as a number), both ends included.
        case visited(from: Int?, to: Int?)
        case inactive(months: Int, days: Int)
        case birthday(month: Int, day: Int?)
        case consent(String)
        case allergy(String)
    }

    /// Folded (NFC, lower case) words; phone numbers typed in groups
    /// ("010 1234 5678") are one term.
    public var terms: [String] = []
    public var filters: [Filter] = []

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let message: Message
        public var description: String { message.description }
    }

    static let filterNames = "service, visited, inactive, birthday, consent, allergy"

    public static func parse(_ text: String) throws -> Query {
        var q = Query()
        var previousWasNumber = false
        for token in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            guard let colon = token.firstIndex(of: ":"), colon != token.startIndex,
                  token[..<colon].allSatisfy({ $0.isASCII && $0.isLetter })
            else {
                let term = Hangul.fold(token).replacingOccurrences(of: "\0", with: "")
                let isNumber = isPhoneLike(term)
                if isNumber && previousWasNumber, let last = q.terms.popLast() {
                    q.terms.append(last + "-" + term)
                } else if !term.isEmpty {
                    q.terms.append(term)
                }
                previousWasNumber = isNumber
                continue
            }
            previousWasNumber = false
            try q.filters.append(filter(key: token[..<colon].lowercased(), value: String(token[token.index(after: colon)...])))
        }
        if q.terms.isEmpty && q.filters.isEmpty { throw ParseError(message: Message("query.empty")) }
        return q
    }

    static func filter(key: String, value: String) throws -> Filter {
        guard !value.isEmpty else { throw ParseError(message: Message("query.needs_value", ["filter": key])) }
        switch key {
        case "service": return .service(Hangul.fold(value))
        case "visited": return try visited(value)
        case "inactive": return try inactive(value)
        case "birthday": return try birthday(value)
        case "consent":
            guard ConsentEvent.purposes.contains(value) else {
                throw ParseError(message: Message("query.consent", ["purposes": ConsentEvent.purposes.joined(separator: ", ")]))
            }
            return .consent(value)
        case "allergy": return .allergy(Hangul.fold(value))
        default: throw ParseError(message: Message("query.unknown_filter", ["filter": key, "filters": filterNames]))
        }
    }

    /// Digits and dashes (a leading + for +82): a phone number or a part of one.
    static func isPhoneLike(_ s: String) -> Bool {
        let body = s.hasPrefix("+") ? s.dropFirst() : s[...]
        return body.contains { $0.asciiDigit != nil } && body.allSatisfy { $0.asciiDigit != nil || $0 == "-" }
    }

    /// The digits a term searches phone numbers for, or nil when it is a
    /// word. Fewer than three digits are too short to mean a phone number.
    static func phoneDigits(_ term: String) -> String? {
        guard isPhoneLike(term) else { return nil }
        var digits = Phone.digits(term)
        if term.hasPrefix("+82") { digits = "0" + digits.dropFirst(2).drop(while: { $0 == "0" }) }
        return digits.count >= 3 ? digits : nil
    }

    static func visited(_ v: String) throws -> Filter {
        func bounds(_ s: Substring) throws -> (lo: Int, hi: Int) {
            guard let b = DayKey.bounds(String(s)) else {
                throw ParseError(message: Message("query.visited_not_date", ["value": String(s)]))
            }
            return b
        }
        if v.hasPrefix(">=") { return .visited(from: try bounds(v.dropFirst(2)).lo, to: nil) }
        if v.hasPrefix("<=") { return .visited(from: nil, to: try bounds(v.dropFirst(2)).hi) }
        // Day keys only need to order correctly, so "after 2026-01-31" can
        // be "from 20260132" without knowing how long January is.
        if v.hasPrefix(">") { return .visited(from: try bounds(v.dropFirst()).hi + 1, to: nil) }
        if v.hasPrefix("<") { return .visited(from: nil, to: try bounds(v.dropFirst()).lo - 1) }
        if let r = v.range(of: "..") {
            let a = v[..<r.lowerBound], b = v[r.upperBound...]
            guard !(a.isEmpty && b.isEmpty) else { throw ParseError(message: Message("query.visited_range")) }
            return .visited(from: a.isEmpty ? nil : try bounds(a).lo, to: b.isEmpty ? nil : try bounds(b).hi)
        }
        let b = try bounds(v[...])
        return .visited(from: b.lo, to: b.hi)
    }

    /// `>2y`, `>18m`, `>90d`; the `>` is optional.
    static func inactive(_ v: String) throws -> Filter {
        let body = v.hasPrefix(">") ? v.dropFirst() : v[...]
        guard let unit = body.last, let n = Int(body.dropLast()), n >= 0, n <= 200 * 365 else {
            throw ParseError(message: Message("query.inactive"))
        }
        switch unit {
        case "y": return .inactive(months: n * 12, days: 0)
        case "m": return .inactive(months: n, days: 0)
        case "d": return .inactive(months: 0, days: n)
        default: throw ParseError(message: Message("query.inactive"))
        }
    }

    /// `12`, `3`, `03`, or a day: `12-25`.
    static func birthday(_ v: String) throws -> Filter {
        let parts = v.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let m = Int(parts[0]), (1...12).contains(m) else {
            throw ParseError(message: Message("query.birthday", ["value": v]))
        }
        guard parts.count == 2 else { return .birthday(month: m, day: nil) }
        guard let d = Int(parts[1]), Dates.isValid(String(format: "2000-%02d-%02d", m, d)) else {
            throw ParseError(message: Message("query.birthday_day", ["value": v]))
        }
        return .birthday(month: m, day: d)
    }
}
