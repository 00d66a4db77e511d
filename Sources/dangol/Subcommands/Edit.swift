import ArgumentParser
import DangolKit

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.edit"), discussion: Catalogue.text("help.edit.more"))

    @Argument(help: help("help.arg.customer")) var customer: String
    @Flag(help: help("help.option.allow_disk_tmp"))
    var allowDiskTmp = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if try vault.edit(id, allowDiskTmp: allowDiskTmp) {
            print(id.hex)
        } else {
            Report.line("note", Message("edit.no_change"))
        }
    }
}

struct ConsentRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: Catalogue.text("help.consent"),
        discussion: Catalogue.text("help.consent.more", ["purposes": ConsentEvent.purposes.joined(separator: ", ")]))

    @Argument(help: help("help.arg.customer")) var customer: String
    @Argument(help: help("help.consent.answers")) var answers: [String]
    @Option(help: help("help.consent.lang")) var lang = "ko"
    @Option(help: help("help.consent.date")) var date: String?
    @OptionGroup var options: VaultOptions

    func parsed() throws -> [(purpose: String, granted: Bool)] {
        do { return try ConsentEvent.answers(answers) } catch { throw ValidationError("\(error)") }
    }

    func validate() throws {
        if answers.isEmpty { throw ValidationError(Catalogue.text("usage.consent.none")) }
        _ = try parsed()
        if let date, !Dates.isValid(date) { throw ValidationError(Catalogue.text("usage.date", ["value": date])) }
    }

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        try vault.recordConsent(try parsed(), for: id, language: lang, date: date)
        print(id.hex)
    }
}
