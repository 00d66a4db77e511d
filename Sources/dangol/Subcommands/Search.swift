import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.search"), discussion: Catalogue.text("help.search.more"))

    @Argument(help: help("help.search.query")) var query: [String]
    @Option(help: help("help.search.limit")) var limit: Int?
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError(Catalogue.text("usage.search.limit")) }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        let text = query.joined(separator: " ")
        let (hits, failures) = try vault.search(text, limit: limit)
        for f in failures { Report.line("error", f.message) }
        // One entry names every customer the results reveal; a search that
        // finds nobody is logged too, as probing looks like many of them.
        try vault.audit("search", records: hits.map(\.id))
        if hits.isEmpty {
            // A script reads "no results" as an empty array; the exit code still says it.
            if output.json { try JSONOut.print([CustomerRow]()) }
            throw VaultError.notFound(Message("customer.no_match", ["query": text]))
        }
        try Results.print(hits.map { ($0.id, $0.customer) }, json: output.json, reveal: output.reveal)
    }
}

/// The result table (or JSON: [{id, name, phone, last_visit}])
/// shared by search, list, retention and the shell.
enum Results {
    static func print(_ rows: [(id: RecordID, customer: Customer)], json: Bool, reveal: Bool) throws {
        if json { return try JSONOut.print(rows.map { CustomerRow(id: $0.id, customer: $0.customer, reveal: reveal) }) }
        Swift.print(Table.render(header: columns("column.id", "column.name", "column.phone", "column.last_visit",
                                                 "column.visits"),
                                 rows: rows.map { id, c in [id.short, c.name, phoneText(c, reveal: reveal), c.lastVisit ?? "-",
                                                            "\(c.visits.count)"] }))
    }
}
