import ArgumentParser
import DangolKit
import Foundation

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.log"))

    @Argument(help: help("help.log.customer")) var customer: String?
    @Option(help: help("help.log.author")) var author: String?
    @Option(help: help("help.log.since")) var since: String?
    @Option(help: help("help.log.until")) var until: String?
    @Option(name: [.short, .long], help: help("help.log.limit")) var limit: Int?
    @Flag(help: help("help.log.json")) var json = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        for d in [since, until].compactMap({ $0 }) where !Dates.isValid(d) {
            throw ValidationError(Catalogue.text("usage.not_a_date", ["value": d]))
        }
    }

    func run() throws {
        let vault = try options.unlock()
        let record = try customer.map { try vault.resolve($0) }
        if let record { try vault.audit("log", records: [record]) }
        let entries = try vault.log(LogFilter(record: record, author: author, since: since, until: until, limit: limit))
        if json { return try JSONOut.print(entries.map(LogEntryJSON.init)) }
        let rows = entries.map { e -> [String] in
            let who =
                e.records.count == 1
                ? e.records[0].short
                : e.records.isEmpty ? "-" : Catalogue.text("log.customers", ["n": arg(e.records.count)])
            return [LocalTime.text(e.date), e.author, e.operation, who,
                    e.summary?.text(.current) ?? Catalogue.text("log.no_summary")]
        }
        Pager.show(Table.render(header: columns("column.time", "column.who", "column.operation", "column.customers",
                                                "column.what_changed"), rows: rows))

    }
}

/// Long output goes through $PAGER (default `less -FRX`) on a terminal.
enum Pager {
    static func show(_ text: String) {
        let pager = ProcessInfo.processInfo.environment["PAGER"] ?? "less -FRX"
        guard isatty(1) == 1, !pager.isEmpty else { return print(text) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", pager]
        // The pager sees no passphrase variable.
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DANGOL_") }
        let pipe = Pipe()
        p.standardInput = pipe
        do { try p.run() } catch { return print(text) }
        pipe.fileHandleForWriting.write(Data((text + "\n").utf8))
        try? pipe.fileHandleForWriting.close()
        p.waitUntilExit()
    }
}
