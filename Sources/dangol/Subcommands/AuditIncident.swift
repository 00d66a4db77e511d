import ArgumentParser
import DangolKit
import DangolText
import Foundation

/// Whose data was read, changed, exported or erased in a window, by whom:
/// what a breach notice to customers and to the authority needs.
struct AuditIncident: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: Catalogue.text("cli.incident.abstract"),
        discussion: Catalogue.text("cli.incident.discussion"))

    @Option(help: help("cli.incident.since")) var since: String
    @Option(help: help("cli.incident.until")) var until: String?
    @Option(help: help("cli.incident.person")) var person: String?
    @Flag(help: help("help.option.json")) var json = false
    @OptionGroup var options: VaultOptions

    /// "2026-12-01" (the day's start) or "2026-12-01T14:30" (local time).
    static func moment(_ text: String, endOfDay: Bool) -> Date? {
        if let day = Dates.parse(text) {
            return endOfDay ? Calendar.current.date(byAdding: .day, value: 1, to: day) : day
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone.current
        f.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return f.date(from: text)
    }

    func validate() throws {
        guard Self.moment(since, endOfDay: false) != nil else {
            throw ValidationError(Catalogue.text("cli.incident.bad_time", ["flag": "--since", "value": since]))
        }
        if let until, Self.moment(until, endOfDay: true) == nil {
            throw ValidationError(Catalogue.text("cli.incident.bad_time", ["flag": "--until", "value": until]))
        }
    }

    func run() throws {
        let from = Self.moment(since, endOfDay: false)!  // checked in validate()
        let to = until.flatMap { Self.moment($0, endOfDay: true) } ?? Date()
        let report = try options.unlock().incidentReport(since: from, until: to, person: person)
        if json { return try JSONOut.print(IncidentJSON(report)) }
        print(Table.render(
            header: ["id", "name", "read", "change", "export", "erase", "people", "last"].map {
                Catalogue.text("cli.incident.col.\($0)")
            },
            rows: report.customers.map { c in
                [String(c.id.prefix(8)), c.name ?? Catalogue.text("cli.incident.erased")]
                    + IncidentReport.Access.allCases.map { c.accesses[$0].map(String.init) ?? "" }
                    + [c.people.sorted().joined(separator: ", "), LocalTime.text(c.last)]
            }))
        say(Message("cli.incident.summary", [
            "n": arg(report.customers.count), "entries": arg(report.entries),
            "since": LocalTime.text(report.since), "until": LocalTime.text(report.until),
        ], count: report.customers.count))
    }
}
