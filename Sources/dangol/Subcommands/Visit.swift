import ArgumentParser
import DangolKit
import Foundation

struct Visit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.visit"), discussion: Catalogue.text("help.visit.discussion"))

    @Argument(help: help("help.arg.customer")) var customer: String
    @Option(name: .customLong("service"), help: help("help.visit.service")) var services: [String] = []
    @Option(help: help("help.visit.formula")) var formula: String?
    @Option(help: help("help.visit.price")) var price: Int?
    @Option(help: help("help.visit.note")) var note: String?
    @Option(help: help("help.visit.reaction")) var reaction: String?
    @Option(help: help("help.visit.stylist")) var stylist: String?
    @Option(help: help("help.visit.date")) var date: String?
    @Option(name: .customLong("json"), help: help("help.visit.json", value: "-")) var json: String?
    @OptionGroup var options: VaultOptions

    var hasFields: Bool {
        !services.isEmpty || [formula, note, reaction, stylist, date].contains { $0 != nil } || price != nil
    }

    func validate() throws {
        if let json, json != "-" { throw ValidationError(Catalogue.text("json_stdin.only")) }
        if json != nil && hasFields { throw ValidationError(Catalogue.text("visit.one_way")) }
        if hasFields && services.isEmpty { throw ValidationError(Catalogue.text("usage.visit.service")) }
    }

    func run() throws {
        if json == nil, !hasFields, Terminal.controlling() == nil { throw VaultError.usage(Message("prompt.no_terminal")) }
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if json != nil {
            try vault.addVisitJSON(Array(FileHandle.standardInput.readDataToEndOfFile()), to: id)
        } else if hasFields {
            try vault.addVisit(
                DangolKit.Visit(date: date ?? Dates.today(), services: services, stylist: stylist ?? vault.person.name,
                                formula: formula, price: price, note: note, reaction: reaction), to: id)
        } else {
            guard let visit = try vault.askVisit(for: id, try LineEditor.onTerminal()) else {
                return Report.line("note", Message("prompt.cancelled"))
            }
            try vault.addVisit(visit, to: id)
        }
        print(id.hex)
    }
}
