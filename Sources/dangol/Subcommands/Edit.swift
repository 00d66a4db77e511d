import ArgumentParser
import DangolKit

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Edit a customer's record in $EDITOR (decrypted only in a private RAM-backed directory).",
        discussion: """
            The record opens as JSON in $VISUAL or $EDITOR (vi by default), in a 0700 directory on /dev/shm
            or $XDG_RUNTIME_DIR; vim and neovim run without swap, backup, undo or viminfo files. A mistake
            re-opens the editor with the message on top. Saving an empty file cancels. The file is
            overwritten and removed afterwards, also on Ctrl-C or SIGTERM.
            """)

    @Argument(help: "The customer: id, id prefix (6+), or a query matching one customer.") var customer: String
    @Flag(help: "Allow the decrypted file on a disk-backed temp directory when no RAM-backed one exists.")
    var allowDiskTmp = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if try vault.edit(id, allowDiskTmp: allowDiskTmp) {
            print(id.hex)
        } else {
            Report.line("note", "no change; nothing saved")
        }
    }
}

struct ConsentRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a customer's consent: dangol consent ID marketing_sms=yes birthday_coupon=no",
        discussion: "Purposes: \(ConsentEvent.purposes.joined(separator: ", ")). Each answer is kept with its date "
            + "and the version of the consent text (templates/consent-LANG.json in the vault).")

    @Argument(help: "The customer: id, id prefix (6+), or a query matching one customer.") var customer: String
    @Argument(help: "PURPOSE=yes|no answers.") var answers: [String]
    @Option(help: "The language of the text the customer was shown: ko (default) or en.") var lang = "ko"
    @Option(help: "The date consent was given or withdrawn (default: today).") var date: String?
    @OptionGroup var options: VaultOptions

    func parsed() throws -> [(purpose: String, granted: Bool)] {
        do { return try ConsentEvent.answers(answers) } catch { throw ValidationError("\(error)") }
    }

    func validate() throws {
        if answers.isEmpty { throw ValidationError("give at least one PURPOSE=yes|no") }
        _ = try parsed()
        if let date, !Dates.isValid(date) { throw ValidationError("--date \(date) is not a date (YYYY-MM-DD)") }
    }

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        try vault.recordConsent(try parsed(), for: id, language: lang, date: date)
        print(id.hex)
    }
}
