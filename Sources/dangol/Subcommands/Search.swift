import ArgumentParser
import DangolKit
import Foundation

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find customers: phone digits, name, 초성, words, and filters.",
        discussion: """
            5678 · 010-1234-5678 · 김민 · ㄱㅁㅈ · 김ㅁㅈ · 두피     free terms (all must match)
            service:염색  visited:>2026-01-01  visited:<=2025-06  visited:2026-01-01..2026-03-31
            inactive:>2y  inactive:>18m  birthday:12  birthday:12-25  consent:marketing_sms  allergy:PPD
            Phone digits match with or without dashes; names also by 초성; words are found inside notes,
            services, formulas, reactions and allergies. service: and visited: together ask for one
            visit with both. Best matches first: exact phone or name, then prefixes, then parts; ties
            by name, then id. No match exits with code 4.
            """)

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
        // One entry names every customer the results reveal; a search that
        // finds nobody is logged too, as probing looks like many of them.
        try vault.audit("search", records: hits.map(\.id))
        if hits.isEmpty { throw VaultError.notFound("no customer matches \"\(text)\"") }
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
