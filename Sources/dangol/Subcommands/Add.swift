import ArgumentParser
import DangolKit

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add a customer; prints the new id.")

    @Option(help: "Name, as the customer gives it.") var name: String
    @Option(help: "Phone number, e.g. 010-1234-5678.") var phone: String?
    @Option(help: "Email address (when there is no phone).") var email: String?
    @Option(help: "Birthday, YYYY-MM-DD.") var birthday: String?
    @Option(help: "A note.") var note: String?
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let customer = Customer(name: name, phone: phone, email: email, birthday: birthday, note: note,
                                created: Dates.today())
        print(try vault.add(customer).hex)
    }
}
