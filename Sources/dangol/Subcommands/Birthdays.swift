import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Birthdays: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Customers with a birthday in a month who currently consent to birthday offers.")

    @Option(help: "The month, 1 to 12 (default: this month).") var month: Int?
    @Flag(help: ArgumentHelp(Catalogue.text("cli.birthdays.drop_years"))) var dropYears = false
    @Flag(help: ArgumentHelp(Catalogue.text("cli.birthdays.yes"))) var yes = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let month, !(1...12).contains(month) { throw ValidationError("--month is 1 to 12") }
        if yes && !dropYears { throw ValidationError(Catalogue.text("cli.birthdays.yes_alone")) }
    }

    func run() throws {
        let vault = try options.unlock()
        if dropYears { return try dropTheYears(vault) }
        try vault.checkReveal(output.reveal)
        guard vault.seesContacts else {
            throw VaultError.notAllowed(
                "staff do not see birthdays; the owner can allow them with dangol settings staff_sees_contacts=yes")
        }
        let m = month ?? Calendar(identifier: .gregorian).component(.month, from: Date())
        let (list, failures) = try vault.birthdays(month: m)
        for f in failures { Report.line("error", "\(f)") }
        try vault.audit("birthdays", records: list.map(\.0))
        if output.json {
            try JSONOut.print(list.map { id, c -> [String: Any] in
                ["id": id.hex, "name": c.name, "birthday": c.birthday ?? "",
                 "phone": c.phone.map { output.reveal ? $0 : Phone.masked($0) } as Any]
            })
        } else {
            print(Table.render(header: ["id", "name", "birthday", "phone"],
                               rows: list.map { id, c in [id.short, c.name, String(c.birthday?.suffix(5) ?? ""),
                                                          phoneText(c, reveal: output.reveal)] }))
            print("\(list.count) customers with a birthday in month \(m) who consent to birthday offers")
        }
    }

    /// Keeps month and day only, for every record, as one commit: asked
    /// first at a terminal, because the years cannot be brought back.
    func dropTheYears(_ vault: Vault) throws {
        try vault.requireOwner(to: Catalogue.text("privacy.birthday.drop_years_action"))
        if !yes {
            guard isatty(0) == 1 else { throw VaultError.usage(Catalogue.text("cli.birthdays.confirm_needs_tty")) }
            FileHandle.standardError.write(Data(Catalogue.text("cli.birthdays.confirm").utf8))
            let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard ["y", "yes", "네", "예", "ㅇ"].contains(answer) else {
                return Report.line("note", Catalogue.text("cli.birthdays.kept"))
            }
        }
        let n = try vault.dropBirthdayYears()
        print(Catalogue.text("cli.birthdays.dropped", ["n": arg(n)], count: n))
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Everything held about one customer, to hand them when they ask (json, md or html).")

    @Argument(help: "The customer: id, id prefix (6+), or a query matching one customer.") var customer: String
    @Option(help: "json, md or html.") var format: String = "json"
    @Option(help: "Language of the md and html layouts: ko (default) or en.") var lang = "ko"
    @Option(name: [.short, .long], help: "Write to this file (0600) instead of standard output.") var output: String?
    @OptionGroup var options: VaultOptions

    func validate() throws {
        guard ExportFormat(rawValue: format) != nil else { throw ValidationError("--format is json, md or html") }
        guard ["ko", "en"].contains(lang) else { throw ValidationError("--lang is ko or en") }
    }

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        let text = try vault.export(id, format: ExportFormat(rawValue: format)!, language: lang)  // checked in validate()
        if let output {
            let path = absolutePath(output)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw VaultError.io("cannot write \(path)") }
            Report.line("note", "wrote \(path); it holds personal data: hand it over, then delete it")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Show the customer schema, or extend it with a field on purpose.",
        discussion: "dangol collects only the fields the schema lists. dangol schema extend FIELD adds a text field "
            + "to this vault's schema, as a commit of its own.")

    @Argument(help: "extend") var action: String?
    @Argument(help: "The field to add (lower-case letters and _).") var field: String?
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let action, action != "extend" { throw ValidationError("the only action is extend") }
        if action != nil && field == nil { throw ValidationError("name the field: dangol schema extend FIELD") }
    }

    func run() throws {
        let vault = try options.unlock()
        if let field {
            try vault.extendSchema(with: field)
            return print("schema extended with \(field)")
        }
        let (builtIn, ext) = vault.schemaFields
        print("fields: \(builtIn.joined(separator: ", "))")
        print("extension: \(ext.isEmpty ? "(none)" : ext.joined(separator: ", "))")
    }
}
