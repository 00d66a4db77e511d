import Foundation

/// Calendar dates as YYYY-MM-DD strings, checked strictly (no 2026-13-01,
/// no February 30th), in the local time zone of the salon's machine.
public enum Dates {
    public static func isValid(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard s.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy { $0.asciiDigit != nil } })
        else { return false }
        guard (1...12).contains(m), y >= 1800 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d)
    }

    public static func today(_ now: Date = Date()) -> String { format(now) }

    /// Local midnight at the start of a valid YYYY-MM-DD date.
    public static func parse(_ s: String) -> Date? {
        guard isValid(s) else { return nil }
        let p = s.split(separator: "-").compactMap { Int($0) }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone.current
        return cal.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))
    }

    public static func format(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone.current
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
