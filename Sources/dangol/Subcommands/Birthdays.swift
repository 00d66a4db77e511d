import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Birthdays: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.birthdays"))

    @Option(help: help("help.birthdays.month")) var month: Int?
    @Flag(help: help("cli.birthdays.drop_years")) var dropYears = false
    @Flag(help: help("cli.birthdays.yes")) var yes = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let month, !(1...12).contains(month) { throw ValidationError(Catalogue.text("usage.birthdays.month")) }
        if yes && !dropYears { throw ValidationError(Catalogue.text("cli.birthdays.yes_alone")) }
    }

    func run() throws {
        let vault = try options.unlock()
        if dropYears { return try dropTheYears(vault) }
        try vault.checkReveal(output.reveal)
        guard vault.seesContacts else { throw VaultError.notAllowed(Message("birthdays.staff")) }
        let m = month ?? Calendar(identifier: .gregorian).component(.month, from: Date())
        let (list, failures) = try vault.birthdays(month: m)
        for f in failures { Report.line("error", f.message) }
        try vault.audit("birthdays", records: list.map(\.0))
        if output.json {
            try JSONOut.print(list.map { BirthdayRow(id: $0.id, customer: $0.customer, reveal: output.reveal) })
        } else {
            print(Table.render(header: columns("column.id", "column.name", "column.birthday", "column.phone"),
                               rows: list.map { id, c in [id.short, c.name, String(c.birthday?.suffix(5) ?? ""),
                                                          phoneText(c, reveal: output.reveal)] }))
            say(Message("birthdays.count", ["n": arg(list.count), "month": arg(m)], count: list.count))
        }
    }

    /// Keeps month and day only, for every record, as one commit: asked
    /// first at a terminal, because the years cannot be brought back.
    func dropTheYears(_ vault: Vault) throws {
        try vault.requireOwner(to: Message("privacy.birthday.drop_years_action"))
        if !yes {
            guard isatty(0) == 1 else { throw VaultError.usage(Message("cli.birthdays.confirm_needs_tty")) }
            FileHandle.standardError.write(Data(Catalogue.text("cli.birthdays.confirm").utf8))
            let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard ["y", "yes", "네", "예", "ㅇ"].contains(answer) else {
                return Report.line("note", Message("cli.birthdays.kept"))
            }
        }
        let n = try vault.dropBirthdayYears()
        say(Message("cli.birthdays.dropped", ["n": arg(n)], count: n))
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.export"))

    @Argument(help: help("help.arg.customer")) var customer: String
    @Option(help: help("help.export.format")) var format: String = "json"
    @Option(help: help("help.export.lang")) var lang = "ko"
    @Option(name: [.short, .long], help: help("help.export.output")) var output: String?
    @OptionGroup var options: VaultOptions

    func validate() throws {
        guard ExportFormat(rawValue: format) != nil else { throw ValidationError(Catalogue.text("usage.export.format")) }
        guard Language(rawValue: lang) != nil else { throw ValidationError(Catalogue.text("usage.lang")) }
    }

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        // Both checked in validate().
        let text = try vault.export(id, format: ExportFormat(rawValue: format)!, language: Language(rawValue: lang)!)
        if let output {
            let path = absolutePath(output)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw VaultError.io(Message("file.cannot_write_plain", ["path": path])) }
            Report.line("note", Message("export.wrote", ["path": path]))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: Catalogue.text("help.schema"), discussion: Catalogue.text("help.schema.more"))

    @Argument(help: help("help.schema.action")) var action: String?
    @Argument(help: help("help.schema.field")) var field: String?
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let action, action != "extend" { throw ValidationError(Catalogue.text("usage.schema.action")) }
        if action != nil && field == nil { throw ValidationError(Catalogue.text("usage.schema.field")) }
    }

    func run() throws {
        let vault = try options.unlock()
        if let field {
            try vault.extendSchema(with: field)
            return say(Message("schema.extended", ["field": field]))
        }
        let (builtIn, ext) = vault.schemaFields
        say(Message("schema.fields", ["fields": builtIn.joined(separator: ", ")]))
        say(ext.isEmpty ? Message("schema.extension_none") : Message("schema.extension", ["fields": ext.joined(separator: ", ")]))
    }
}
