import ArgumentParser
import DangolKit

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.add"))

    @Option(help: help("help.add.name")) var name: String?
    @Option(help: help("help.add.phone")) var phone: String?
    @Option(help: help("help.add.email")) var email: String?
    @Option(help: help("help.add.birthday")) var birthday: String?
    @Option(help: help("help.add.note")) var note: String?
    @Flag(help: help("help.option.allow_disk_tmp_editor"))
    var allowDiskTmp = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if name == nil && [phone, email, birthday, note].contains(where: { $0 != nil }) {
            throw ValidationError(Catalogue.text("usage.add.name_with_fields"))
        }
    }

    func run() throws {
        let vault = try options.unlock()
        guard let name else {
            guard let id = try vault.addInEditor(allowDiskTmp: allowDiskTmp) else {
                return Report.line("note", Message("add.nothing_entered"))
            }
            return print(id.hex)
        }
        let customer = Customer(name: name, phone: phone, email: email, birthday: birthday, note: note,
                                created: Dates.today())
        print(try vault.add(customer).hex)
    }
}
