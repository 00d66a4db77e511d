import ArgumentParser
import DangolKit
import Foundation

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Who changed which customers when, newest first, with what changed.")

    @Argument(help: "Only changes to this customer (id, prefix, or query).") var customer: String?
    @Option(help: "Only changes by this person.") var author: String?
    @Option(help: "Only changes on or after this date (YYYY-MM-DD).") var since: String?
    @Option(help: "Only changes on or before this date (YYYY-MM-DD).") var until: String?
    @Option(name: [.short, .long], help: "At most this many entries.") var limit: Int?
    @Flag(help: "Machine-readable JSON: [{commit, author, date, records, summary}].") var json = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        for d in [since, until].compactMap({ $0 }) where !Dates.isValid(d) {
            throw ValidationError("\"\(d)\" is not a date (YYYY-MM-DD)")
        }
    }

    func run() throws {
        let vault = try options.unlock()
        let record = try customer.map { try vault.resolve($0) }
        if let record { try vault.audit("log", records: [record]) }
        let entries = try vault.log(LogFilter(record: record, author: author, since: since, until: until, limit: limit))
        if json { return try JSONOut.print(entries.map(\.json)) }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        let rows = entries.map { e -> [String] in
            let who = e.records.count == 1 ? e.records[0].short : e.records.isEmpty ? "-" : "\(e.records.count) customers"
            return [f.string(from: e.date), e.author, e.operation, who, e.summary ?? "(no summary)"]
        }
        Pager.show(Table.render(header: ["date", "who", "operation", "customers", "what changed"], rows: rows))
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
