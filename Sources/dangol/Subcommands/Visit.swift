import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Visit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.visit.abstract"), discussion: Catalogue.text("help.visit.discussion"))

    @Argument(help: "The customer: id, id prefix (6+), or a query matching one customer.") var customer: String
    @Option(name: .customLong("service"), help: "A service (repeat for several).") var services: [String] = []
    @Option(help: "Colour formula.") var formula: String?
    @Option(help: "Price in won.") var price: Int?
    @Option(help: "A note about the visit.") var note: String?
    @Option(help: "A skin or scalp reaction observed.") var reaction: String?
    @Option(help: "Who served (default: whoever unlocked).") var stylist: String?
    @Option(help: "Date of the visit, YYYY-MM-DD (default: today).") var date: String?
    @Option(name: .customLong("json"), help: ArgumentHelp(Catalogue.text("help.visit.json"), valueName: "-"))
    var json: String?
    @OptionGroup var options: VaultOptions

    var hasFields: Bool {
        !services.isEmpty || [formula, note, reaction, stylist, date].contains { $0 != nil } || price != nil
    }

    func validate() throws {
        if let json, json != "-" { throw ValidationError(Catalogue.text("json_stdin.only")) }
        if json != nil && hasFields { throw ValidationError(Catalogue.text("visit.one_way")) }
        if hasFields && services.isEmpty { throw ValidationError("name at least one --service") }
    }

    func run() throws {
        if json == nil, !hasFields, Terminal.controlling() == nil {
            throw VaultError.usage(Catalogue.text("prompt.no_terminal"))
        }
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
                return Report.line("note", Catalogue.text("prompt.cancelled"))
            }
            try vault.addVisit(visit, to: id)
        }
        print(id.hex)
    }
}
