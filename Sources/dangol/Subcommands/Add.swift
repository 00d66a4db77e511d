import ArgumentParser
import DangolKit
import Foundation

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.add"), discussion: Catalogue.text("help.add.discussion"))

    @Option(help: help("help.add.name")) var name: String?
    @Option(help: help("help.add.phone")) var phone: String?
    @Option(help: help("help.add.email")) var email: String?
    @Option(help: help("help.add.birthday")) var birthday: String?
    @Option(help: help("help.add.note")) var note: String?
    @Option(name: .customLong("json"), help: help("help.add.json", value: "-")) var json: String?
    @Flag(help: help("help.add.editor")) var editor = false
    @Flag(help: help("help.option.allow_disk_tmp_editor")) var allowDiskTmp = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        let fields = [name, phone, email, birthday, note].contains { $0 != nil }
        if name == nil && fields { throw ValidationError(Catalogue.text("usage.add.name_with_fields")) }
        if let json, json != "-" { throw ValidationError(Catalogue.text("json_stdin.only")) }
        if [fields, json != nil, editor].filter({ $0 }).count > 1 {
            throw ValidationError(Catalogue.text("add.one_way"))
        }
    }

    func run() throws {
        if json == nil, !editor, name == nil, Terminal.controlling() == nil {
            throw VaultError.usage(Message("prompt.no_terminal"))
        }
        let vault = try options.unlock()
        let id: RecordID
        if let name {
            id = try vault.add(Customer(name: name, phone: phone, email: email, birthday: birthday, note: note,
                                        created: Dates.today()))
        } else if json != nil {
            id = try vault.addJSON(Array(FileHandle.standardInput.readDataToEndOfFile()))
        } else {
            let asked = editor
                ? try vault.addInEditor(allowDiskTmp: allowDiskTmp)
                : try vault.askCustomer(try LineEditor.onTerminal()).map { try vault.add($0) }
            guard let asked else { return Report.line("note", Message("prompt.cancelled")) }
            id = asked
        }
        print(id.hex)
    }
}
