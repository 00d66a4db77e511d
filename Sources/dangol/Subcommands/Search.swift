import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find customers: phone digits, name, 초성, words, and filters.",
        discussion: Catalogue.text("help.search.discussion"))

    @Argument(help: "The query (quote it when it has spaces).") var query: [String]
    @Option(help: "At most this many results.") var limit: Int?
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit takes a number of 1 or more") }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        let text = query.joined(separator: " ")
        let (hits, failures) = try vault.search(text, limit: limit)
        for f in failures { Report.line("error", "\(f)") }
        if hits.isEmpty { throw VaultError.notFound("no customer matches \"\(text)\"") }
        // One entry names every customer the results reveal.
        try vault.audit("search", records: hits.map(\.id))
        try Results.print(hits.map { ($0.id, $0.customer) }, json: output.json, reveal: output.reveal)
    }
}

/// The result table (or JSON: [{id, name, phone, last_visit}]) shared by
/// search, list and the shell.
enum Results {
    static func print(_ rows: [(id: RecordID, customer: Customer)], json: Bool, reveal: Bool) throws {
        if json {
            return try JSONOut.print(rows.map { id, c -> [String: Any] in
                ["id": id.hex, "name": c.name, "phone": c.phone.map { reveal ? $0 : Phone.masked($0) } as Any,
                 "last_visit": c.lastVisit as Any]
            })
        }
        Swift.print(Table.render(header: ["id", "name", "phone", "last visit", "visits"],
                                 rows: rows.map { id, c in [id.short, c.name, phoneText(c, reveal: reveal), c.lastVisit ?? "-",
                                                            "\(c.visits.count)"] }))
    }
}
