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

    @Option(help: ArgumentHelp(Catalogue.text("cli.incident.since"))) var since: String
    @Option(help: ArgumentHelp(Catalogue.text("cli.incident.until"))) var until: String?
    @Option(help: ArgumentHelp(Catalogue.text("cli.incident.person"))) var person: String?
    @Flag(help: ArgumentHelp(Catalogue.text("cli.flag.json"))) var json = false
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
        let iso = ISO8601DateFormatter()
        iso.timeZone = TimeZone.current
        if json {
            return try JSONOut.print([
                "since": iso.string(from: report.since), "until": iso.string(from: report.until),
                "person": report.person as Any, "entries": report.entries, "count": report.customers.count,
                "customers": report.customers.map { c -> [String: Any] in
                    ["id": c.id, "name": c.name as Any, "erased": c.name == nil, "people": c.people.sorted(),
                     "first": iso.string(from: c.first), "last": iso.string(from: c.last),
                     "accesses": Dictionary(uniqueKeysWithValues: c.accesses.map { ($0.key.rawValue, $0.value) })]
                },
            ] as [String: Any])
        }
        let local = DateFormatter()
        local.dateFormat = "yyyy-MM-dd HH:mm"
        print(Table.render(
            header: ["id", "name", "read", "change", "export", "erase", "people", "last"].map {
                Catalogue.text("cli.incident.col.\($0)")
            },
            rows: report.customers.map { c in
                [String(c.id.prefix(8)), c.name ?? Catalogue.text("cli.incident.erased")]
                    + IncidentReport.Access.allCases.map { c.accesses[$0].map(String.init) ?? "" }
                    + [c.people.sorted().joined(separator: ", "), local.string(from: c.last)]
            }))
        print(Catalogue.text("cli.incident.summary", [
            "n": arg(report.customers.count), "entries": arg(report.entries),
            "since": local.string(from: report.since), "until": local.string(from: report.until),
        ], count: report.customers.count))
    }
}
