import Foundation

/// Dates as numbers, yyyymmdd: they order like the dates, compare in one
/// instruction, and parse without a calendar, which matters when the index
/// reads a million visit dates.
enum DayKey {
    /// 20260301 for "2026-03-01" (only the shape is checked: records were
    /// validated when written); nil for anything else.
    static func of(_ s: String) -> Int? {
        var s = s
        return s.withUTF8 { b -> Int? in
            guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
            var n = 0
            for i in [0, 1, 2, 3, 5, 6, 8, 9] {
                let d = Int(b[i]) - 0x30
                guard (0...9).contains(d) else { return nil }
                n = n * 10 + d
            }
            return n
        }
    }

    /// The first and last day key of a day, a month or a year as typed in a
    /// query ("2026-03-01", "2026-03", "2026"); nil when it is none of them.
    static func bounds(_ s: String) -> (lo: Int, hi: Int)? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let y = Int(parts[0]), parts[0].count == 4, y >= 1800 else { return nil }
        switch parts.count {
        case 1: return (y * 10000, y * 10000 + 1231)
        case 2:
            guard parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            return (y * 10000 + m * 100 + 1, y * 10000 + m * 100 + 31)
        default:
            guard Dates.isValid(s), let k = of(s) else { return nil }
            return (k, k)
        }
    }

    /// The day `months` and `days` before `today` (YYYY-MM-DD), by the
    /// calendar: two years before 2026-02-28 is 2024-02-28.
    static func before(_ today: String, months: Int, days: Int) -> Int {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone.current
        guard let start = Dates.parse(today),
              let back = cal.date(byAdding: DateComponents(month: -months, day: -days), to: start),
              let key = of(Dates.format(back))
        else { return 0 }
        return key
    }
}
