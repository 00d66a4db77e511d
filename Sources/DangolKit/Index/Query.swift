import Foundation

/// A search query: free terms and filters, all of which must match.
///
///     5678                   phone digits (any part; dashes and spaces ignored)
///     김민 · ㄱㅁㅈ · 두피      name, 초성 initials, words in notes, services, formulas
///     service:염색            a visit with that service
///     visited:>2026-01-01     a visit after (<: before, A..B: between, or on a date)
///     inactive:>2y            no visit or change for more than 2 years (Ny, Nm, Nd)
///     birthday:12             birthday in December
///     consent:marketing_sms   consent given and not withdrawn
///     allergy:PPD             an allergy containing PPD
public struct Query: Equatable, Sendable {
    public enum Filter: Equatable, Sendable {
        case service(String)
        case visited(from: String?, to: String?)
        case inactive(days: Int)
        case birthday(month: Int)
        case consent(String)
        case allergy(String)
    }

    public var terms: [String] = []
    public var filters: [Filter] = []

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public static func parse(_ text: String) throws -> Query {
        var q = Query()
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
            guard let colon = token.firstIndex(of: ":"), token[..<colon].allSatisfy({ $0.isASCII && $0.isLetter }) else {
                q.terms.append(Hangul.fold(token))
                continue
            }
            let key = token[..<colon].lowercased()
            let value = String(token[token.index(after: colon)...])
            guard !value.isEmpty else { throw ParseError(description: "\(key): needs a value") }
            switch key {
            case "service": q.filters.append(.service(Hangul.fold(value)))
            case "visited": q.filters.append(try visited(value))
            case "inactive": q.filters.append(.inactive(days: try duration(value)))
            case "birthday":
                guard let m = Int(value), (1...12).contains(m) else {
                    throw ParseError(description: "birthday: takes a month, 1 to 12 (\"\(value)\")")
                }
                q.filters.append(.birthday(month: m))
            case "consent":
                guard ConsentEvent.purposes.contains(value) else {
                    throw ParseError(description: "consent: takes one of \(ConsentEvent.purposes.joined(separator: ", "))")
                }
                q.filters.append(.consent(value))
            case "allergy": q.filters.append(.allergy(Hangul.fold(value)))
            default:
                throw ParseError(description: "unknown filter \"\(key):\" (service, visited, inactive, birthday, consent, allergy)")
            }
        }
        if q.terms.isEmpty && q.filters.isEmpty { throw ParseError(description: "empty query") }
        return q
    }

    static func visited(_ v: String) throws -> Filter {
        func date(_ s: Substring) throws -> String {
            guard Dates.isValid(String(s)) else { throw ParseError(description: "visited: \"\(s)\" is not a date (YYYY-MM-DD)") }
            return String(s)
        }
        if v.hasPrefix(">") { return .visited(from: try date(v.dropFirst()), to: nil) }
        if v.hasPrefix("<") { return .visited(from: nil, to: try date(v.dropFirst())) }
        if let r = v.range(of: "..") {
            return .visited(from: try date(v[..<r.lowerBound]), to: try date(v[r.upperBound...]))
        }
        let d = try date(v[...])
        return .visited(from: d, to: d)
    }

    /// `>2y`, `>18m`, `>90d` (the `>` is optional) as days.
    static func duration(_ v: String) throws -> Int {
        let body = v.hasPrefix(">") ? v.dropFirst() : v[...]
        guard let unit = body.last, let n = Int(body.dropLast()), n >= 0 else {
            throw ParseError(description: "inactive: takes a duration like >2y, >18m or >90d")
        }
        switch unit {
        case "y": return n * 365
        case "m": return n * 30
        case "d": return n
        default: throw ParseError(description: "inactive: takes a duration like >2y, >18m or >90d")
        }
    }
}
