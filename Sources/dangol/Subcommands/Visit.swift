import ArgumentParser
import DangolKit

struct Visit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Record a visit: services, colour formula, price, note.")

    @Argument(help: "The customer: id, id prefix (6+), or a query matching one customer.") var customer: String
    @Option(name: .customLong("service"), help: "A service (repeat for several).") var services: [String] = []
    @Option(help: "Colour formula.") var formula: String?
    @Option(help: "Price in won.") var price: Int?
    @Option(help: "A note about the visit.") var note: String?
    @Option(help: "A skin or scalp reaction observed.") var reaction: String?
    @Option(help: "Who served (default: whoever unlocked).") var stylist: String?
    @Option(help: "Date of the visit, YYYY-MM-DD (default: today).") var date: String?
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if services.isEmpty { throw ValidationError("name at least one --service") }
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
