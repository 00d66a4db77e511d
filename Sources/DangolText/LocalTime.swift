import Foundation

/// The one way a moment is written for a person or a script: in the local
/// time zone of the machine (`TZ`, else the system's), as the salon's clock
/// on the wall reads it. People read `2026-12-04 18:40`; JSON carries
/// ISO-8601 with the offset, `2026-12-04T18:40:12+09:00`, so a script
/// elsewhere still knows the instant. Stored times stay as they were
/// written (UTC); only what is shown is local.
public enum LocalTime {
    /// `2026-12-04 18:40`, or with `seconds`, `2026-12-04 18:40:12`.
    public static func text(_ date: Date, seconds: Bool = false) -> String {
        let c = parts(date)
        let minute = String(format: "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.minute)
        return seconds ? minute + String(format: ":%02d", c.second) : minute
    }

    /// `2026-12-04T18:40:12+09:00` (the offset is written out, `+00:00` in UTC).
    public static func iso(_ date: Date) -> String {
        let c = parts(date)
        let offset = TimeZone.current.secondsFromGMT(for: date) / 60
        let sign = offset < 0 ? "-" : "+"
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second)
            + sign + String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60)
    }

    /// The calendar day of a moment, `2026-12-04`, in local time.
    public static func day(_ date: Date) -> String {
        let c = parts(date)
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    /// A stored ISO-8601 time (`2026-12-04T09:40:12Z`, with or without an
    /// offset or fractions of a second).
    public static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    /// A stored ISO-8601 time as `text` shows it; text that does not parse
    /// is shown as it is rather than hidden.
    public static func text(stored: String, seconds: Bool = false) -> String {
        parse(stored).map { text($0, seconds: seconds) } ?? stored
    }

    /// A stored ISO-8601 time as `iso` writes it.
    public static func iso(stored: String) -> String { parse(stored).map(iso) ?? stored }

    private static func parts(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
