import ArgumentParser
import DangolKit
import DangolText

struct SetFields: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: Catalogue.text("help.set"),
        discussion: Catalogue.text("help.set.more", ["fields": Vault.settableFields.joined(separator: ", ")]))

    @Argument(help: help("help.arg.customer")) var customer: String
    @Argument(help: help("help.set.assignments")) var assignments: [String]
    @OptionGroup var options: VaultOptions

    /// Fields named without a value, to be asked.
    var asked: [String] { assignments.filter { !$0.contains("=") } }

    func validate() throws {
        if assignments.isEmpty { throw ValidationError(Catalogue.text("usage.set.none")) }
        // Extension fields are known only once the vault is open; here, the shape.
        for field in asked where !field.allSatisfy({ $0.isLetter || $0 == "_" }) {
            throw ValidationError(Catalogue.text("usage.set.not_pair", ["value": field]))
        }
    }

    func run() throws {
        var pairs = assignments.filter { $0.contains("=") }.map { a -> (field: String, value: String) in
            let i = a.firstIndex(of: "=")!  // filtered on it just above
            return (String(a[..<i]), String(a[a.index(after: i)...]))
        }
        if !asked.isEmpty, Terminal.controlling() == nil { throw VaultError.usage(Message("prompt.no_terminal")) }
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if !asked.isEmpty {
            guard let typed = try vault.askValues(for: asked, of: id, try LineEditor.onTerminal()) else {
                return Report.line("note", Message("prompt.cancelled"))
            }
            pairs += typed
        }
        if try !vault.set(pairs, on: id) { Report.line("note", Message("set.nothing_changed")) }
        print(id.hex)
    }
}
