import ArgumentParser
import DangolKit
import Foundation

struct Blame: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.blame"))

    @Argument(help: help("help.arg.customer_short")) var customer: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        let id = try vault.resolve(customer)
        try vault.audit("blame", records: [id])
        let lines = try vault.blame(id)
        let shown = lines.map { l in
            (l, l.path == "birthday" && !vault.seesContacts
                ? vault.birthdayText(l.value) : FieldChange.maskIfPhone(l.path, l.value, reveal: output.reveal))
        }
        if output.json { return try JSONOut.print(shown.map { BlameJSON($0, shownValue: $1) }) }
        print(Table.render(header: columns("column.field", "column.value", "column.who", "column.when", "column.commit"),
                           rows: shown.map { l, v in [l.path, String(v.prefix(40)), l.author, LocalTime.text(l.date),
                                                      String(l.commit.prefix(10))] }))
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.restore"))

    @Argument(help: help("help.arg.customer_short")) var customer: String
    @Argument(help: help("help.restore.revision")) var revision: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if try vault.restore(id, from: revision) {
            say(Message("restore.done", ["id": id.hex, "commit": String(try vault.revision(revision).prefix(12))]))
        } else {
            Report.line("note", Message("restore.already"))
        }
    }
}

struct Textconv: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.textconv"), shouldDisplay: false)

    @Argument(help: help("help.textconv.file")) var file: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw VaultError.notFound(Message("file.cannot_read", ["path": file]))
        }
        FileHandle.standardOutput.write(Data(DangolKit.Textconv.render(file: Array(bytes), vaultPath: options.path).utf8))
    }
}
