import ArgumentParser
import DangolKit

struct SetFields: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change fields: dangol set ID phone=010-9999-0000 note=…",
        discussion: "Fields: \(Vault.settableFields.joined(separator: ", ")). An empty value clears the field.")

    @Argument(help: "The customer: id, id prefix (6+), or a query matching one customer.") var customer: String
    @Argument(help: "FIELD=VALUE assignments.") var assignments: [String]
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if assignments.isEmpty { throw ValidationError("give at least one FIELD=VALUE") }
        for a in assignments where !a.contains("=") { throw ValidationError("\"\(a)\" is not FIELD=VALUE") }
    }

    func run() throws {
        let pairs = assignments.map { a -> (field: String, value: String) in
            let i = a.firstIndex(of: "=")!  // validate() checked every assignment has one
            return (String(a[..<i]), String(a[a.index(after: i)...]))
        }
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if try !vault.set(pairs, on: id) { Report.line("note", "nothing changed; no commit made") }
        print(id.hex)
    }
}
