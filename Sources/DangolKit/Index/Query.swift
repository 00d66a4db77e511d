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
/// Each filter also has a Korean name, so a query needs no 한/영 switching:
/// 서비스:염색 (or 시술:), 방문:>2026-01-01, 미방문:>2년 (년, 개월, 일),
/// 생일:12 (or 12월, 12월25일), 동의:문자, 알레르기:PPD. The full-width
/// colon a Korean keyboard may type (：) works as well as `:`.
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
    /// Phone digits match only as the last four digits or the whole
    /// number: for a person who sees numbers masked (010-****-5678), whom
    /// searching for parts would otherwise show the hidden digits.
    public var wholeOrLastFourDigits = false

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let message: Message
        public var description: String { message.description }
    }

    static let filterNames = "service, visited, inactive, birthday, consent, allergy; "
        + "서비스, 방문, 미방문, 생일, 동의, 알레르기"

    /// Korean names of the filters, beside the English ones.
    static let koreanKeys = [
        "서비스": "service", "시술": "service", "방문": "visited", "미방문": "inactive", "생일": "birthday",
        "동의": "consent", "알레르기": "allergy",
    ]

    /// Korean names of the consent purposes, as the consent texts put them
    /// (시술 기록, 광고 문자, 생일 쿠폰, 제3자 제공), short forms included.
    static let koreanPurposes = [
        "시술기록": "service_records", "기록": "service_records",
        "문자": "marketing_sms", "광고": "marketing_sms", "광고문자": "marketing_sms", "마케팅": "marketing_sms",
        "생일쿠폰": "birthday_coupon", "생일": "birthday_coupon", "쿠폰": "birthday_coupon",
        "제3자": "third_party", "제삼자": "third_party", "제3자제공": "third_party",
    ]

    public static func parse(_ text: String) throws -> Query {
        var q = Query()
        var previousWasNumber = false
        for token in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            guard let colon = token.firstIndex(where: { $0 == ":" || $0 == "：" }), colon != token.startIndex,
                  token[..<colon].allSatisfy(\.isLetter)
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
            let typed = Hangul.fold(String(token[..<colon]))
            try q.filters.append(filter(key: koreanKeys[typed] ?? typed, value: String(token[token.index(after: colon)...])))
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
            let value = koreanPurposes[Hangul.fold(value)] ?? value
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

    /// `>2y`, `>18m`, `>90d`, or in Korean `>2년`, `>18개월` (`달`), `>90일`;
    /// the `>` is optional.
    static func inactive(_ v: String) throws -> Filter {
        let body = v.hasPrefix(">") ? v.dropFirst() : v[...]
        let units: [(suffix: String, months: Int, days: Int)] = [
            ("y", 12, 0), ("m", 1, 0), ("d", 0, 1), ("년", 12, 0), ("개월", 1, 0), ("달", 1, 0), ("일", 0, 1),
        ]
        guard let unit = units.first(where: { body.hasSuffix($0.suffix) }),
              let n = Int(body.dropLast(unit.suffix.count)), n >= 0, n <= 200 * 365
        else {
            throw ParseError(message: Message("query.inactive"))
        }
        return .inactive(months: n * unit.months, days: n * unit.days)
    }

    /// `12`, `3`, `03`, or a day: `12-25`; in Korean `12월`, `12월25일`.
    static func birthday(_ typed: String) throws -> Filter {
        var v = typed
        if v.hasSuffix("월") { v.removeLast() }
        if v.hasSuffix("일") { v = v.dropLast().replacingOccurrences(of: "월", with: "-") }
        let parts = v.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let m = Int(parts[0]), (1...12).contains(m) else {
            throw ParseError(message: Message("query.birthday", ["value": typed]))
        }
        guard parts.count == 2 else { return .birthday(month: m, day: nil) }
        guard let d = Int(parts[1]), Dates.isValid(String(format: "2000-%02d-%02d", m, d)) else {
            throw ParseError(message: Message("query.birthday_day", ["value": typed]))
        }
        return .birthday(month: m, day: d)
    }
}
