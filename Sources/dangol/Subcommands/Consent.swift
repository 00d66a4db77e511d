import ArgumentParser
import DangolKit
import DangolText
import Foundation

/// Consent: recording a customer's answers (the default), and whom to ask
/// again before a yes lapses.
struct Consent: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("cli.consent.abstract"),
        subcommands: [ConsentRecord.self, ConsentDueCommand.self], defaultSubcommand: ConsentRecord.self)
}

struct ConsentDueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due", abstract: Catalogue.text("cli.consent.due.abstract"),
        discussion: Catalogue.text("cli.consent.due.discussion"))

    @Option(help: help("cli.consent.due.within")) var within: Int = 30
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if !(0...3650).contains(within) { throw ValidationError(Catalogue.text("cli.consent.due.bad_within")) }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        let (due, failures) = try vault.consentsDue(within: within)
        for f in failures { Report.line("error", f.message) }
        try vault.audit("consent-due", records: due.map(\.id))
        if output.json {
            return try JSONOut.print(due.map { ConsentDueJSON($0, reveal: output.reveal) })
        }
        print(Table.render(
            header: ["id", "name", "phone", "purpose", "confirmed", "due"].map { Catalogue.text("cli.consent.due.col.\($0)") },
            rows: due.map { d in
                [d.id.short, d.customer.name, phoneText(d.customer, reveal: output.reveal),
                 Catalogue.text("consent.purpose.\(d.purpose)"), d.confirmed,
                 d.due + (d.lapsed ? " (" + Catalogue.text("cli.consent.due.lapsed") + ")" : "")]
            }))
        say(Message("cli.consent.due.summary", ["n": arg(due.count), "days": arg(within)], count: due.count))
    }
}
