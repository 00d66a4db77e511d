/// Korean phone numbers: mobile (010-1234-5678), Seoul (02-123-4567),
/// regional and internet lines (031-123-4567, 070-1234-5678), and +82 forms.
public enum Phone {
    /// The dashed canonical form, or nil when `text` is not a phone number.
    public static func normalize(_ text: String) -> String? {
        var digits = ""
        for ch in text {
            if let d = ch.asciiDigit { digits.append(d) } else if !" -().+".contains(ch) { return nil }
        }
        if text.trimmingPrefix(while: { $0 == " " }).hasPrefix("+") {
            guard digits.hasPrefix("82") else { return nil }
            digits = "0" + digits.dropFirst(2).drop(while: { $0 == "0" })
        }
        guard digits.hasPrefix("0"), (9...11).contains(digits.count) else { return nil }
        let area = digits.hasPrefix("02") ? 2 : 3
        let rest = digits.dropFirst(area)
        guard rest.count == 7 || rest.count == 8 else { return nil }
        let mid = rest.count - 4
        return "\(digits.prefix(area))-\(rest.prefix(mid))-\(rest.suffix(4))"
    }

    /// Digits only, for matching typed numbers with or without dashes.
    public static func digits(_ text: String) -> String { String(text.filter { $0.asciiDigit != nil }) }

    /// 010-****-5678: what a table shows unless the user asks to reveal.
    public static func masked(_ phone: String) -> String {
        let parts = phone.split(separator: "-")
        guard parts.count == 3 else { return String(repeating: "*", count: max(phone.count - 4, 0)) + phone.suffix(4) }
        return "\(parts[0])-\(String(repeating: "*", count: parts[1].count))-\(parts[2])"
    }
}

extension Character {
    var asciiDigit: Character? { ("0"..."9").contains(self) ? self : nil }
}

extension String {
    func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring { drop(while: predicate) }
}
