import ArgumentParser
import DangolKit

struct Visit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.visit"))

    @Argument(help: help("help.arg.customer")) var customer: String
    @Option(name: .customLong("service"), help: help("help.visit.service")) var services: [String] = []
    @Option(help: help("help.visit.formula")) var formula: String?
    @Option(help: help("help.visit.price")) var price: Int?
    @Option(help: help("help.visit.note")) var note: String?
    @Option(help: help("help.visit.reaction")) var reaction: String?
    @Option(help: help("help.visit.stylist")) var stylist: String?
    @Option(help: help("help.visit.date")) var date: String?
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if services.isEmpty { throw ValidationError(Catalogue.text("usage.visit.service")) }
    }

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        try vault.addVisit(
            DangolKit.Visit(date: date ?? Dates.today(), services: services, stylist: stylist ?? vault.person.name,
                            formula: formula, price: price, note: note, reaction: reaction), to: id)
        print(id.hex)
    }
}
