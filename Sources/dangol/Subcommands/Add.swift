import ArgumentParser
import DangolKit

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a customer; prints the new id. With no flags, opens templates/customer.json in $EDITOR.")

    @Option(help: "Name, as the customer gives it.") var name: String?
    @Option(help: "Phone number, e.g. 010-1234-5678.") var phone: String?
    @Option(help: "Email address (when there is no phone).") var email: String?
    @Option(help: "Birthday, YYYY-MM-DD.") var birthday: String?
    @Option(help: "A note.") var note: String?
    @Flag(help: "With the editor: allow a disk-backed temp directory when no RAM-backed one exists.")
    var allowDiskTmp = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if name == nil && [phone, email, birthday, note].contains(where: { $0 != nil }) {
            throw ValidationError("give --name with the other fields, or no flags to use the editor")
        }
    }

    func run() throws {
        let vault = try options.unlock()
        guard let name else {
            guard let id = try vault.addInEditor(allowDiskTmp: allowDiskTmp) else {
                return Report.line("note", "nothing entered; no customer added")
            }
            return print(id.hex)
        }
        let customer = Customer(name: name, phone: phone, email: email, birthday: birthday, note: note,
                                created: Dates.today())
        print(try vault.add(customer).hex)
    }
}
