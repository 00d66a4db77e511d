import ArgumentParser
import DangolKit

struct SetFields: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: Catalogue.text("help.set"),
        discussion: Catalogue.text("help.set.more", ["fields": Vault.settableFields.joined(separator: ", ")]))

    @Argument(help: help("help.arg.customer")) var customer: String
    @Argument(help: help("help.set.assignments")) var assignments: [String]
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if assignments.isEmpty { throw ValidationError(Catalogue.text("usage.set.none")) }
        for a in assignments where !a.contains("=") { throw ValidationError(Catalogue.text("usage.set.not_pair", ["value": a])) }
    }

    func run() throws {
        let pairs = assignments.map { a -> (field: String, value: String) in
            let i = a.firstIndex(of: "=")!  // validate() checked every assignment has one
            return (String(a[..<i]), String(a[a.index(after: i)...]))
        }
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if try !vault.set(pairs, on: id) { Report.line("note", Message("set.nothing_changed")) }
        print(id.hex)
    }
}
