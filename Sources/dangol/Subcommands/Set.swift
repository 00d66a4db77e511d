import ArgumentParser
import DangolKit
import DangolText

struct SetFields: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: Catalogue.text("help.set.abstract"),
        discussion: Catalogue.text("help.set.discussion", ["fields": Vault.settableFields.joined(separator: ", ")]))

    @Argument(help: "The customer: id, id prefix (6+), or a query matching one customer.") var customer: String
    @Argument(help: "FIELD (asked at the terminal) or FIELD=VALUE.") var assignments: [String]
    @OptionGroup var options: VaultOptions

    /// Fields named without a value, to be asked.
    var asked: [String] { assignments.filter { !$0.contains("=") } }

    func validate() throws {
        if assignments.isEmpty { throw ValidationError(Catalogue.text("set.needs_field")) }
        // Extension fields are known only once the vault is open; here, the shape.
        for field in asked where !field.allSatisfy({ $0.isLetter || $0 == "_" }) {
            throw ValidationError(Catalogue.text("set.unknown_field",
                                                 ["field": field, "fields": Vault.settableFields.joined(separator: ", ")]))
        }
    }

    func run() throws {
        var pairs = assignments.filter { $0.contains("=") }.map { a -> (field: String, value: String) in
            let i = a.firstIndex(of: "=")!  // filtered on it just above
            return (String(a[..<i]), String(a[a.index(after: i)...]))
        }
        if !asked.isEmpty, Terminal.controlling() == nil { throw VaultError.usage(Catalogue.text("prompt.no_terminal")) }
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if !asked.isEmpty {
            guard let typed = try vault.askValues(for: asked, of: id, try LineEditor.onTerminal()) else {
                return Report.line("note", Catalogue.text("prompt.cancelled"))
            }
            pairs += typed
        }
        if try !vault.set(pairs, on: id) { Report.line("note", "nothing changed; no commit made") }
        print(id.hex)
    }
}
