import ArgumentParser
import DangolKit
import Foundation

struct Blame: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "For each field of a customer: who last changed it, when, in which commit.")

    @Argument(help: "The customer: id, prefix, or query.") var customer: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        let id = try vault.resolve(customer)
        try vault.audit("blame", records: [id])
        let lines = try vault.blame(id)
        let f = ISO8601DateFormatter()
        let shown = lines.map { l in (l, l.path == "birthday" && !vault.seesContacts ? vault.birthdayText(l.value) : FieldChange.maskIfPhone(l.path, l.value, reveal: output.reveal)) }
        if output.json {
            return try JSONOut.print(shown.map { l, v in
                ["path": l.path, "value": v, "commit": l.commit, "author": l.author, "date": f.string(from: l.date)]
            })
        }
        let day = DateFormatter()
        day.dateFormat = "yyyy-MM-dd HH:mm"
        print(Table.render(header: ["field", "value", "who", "when", "commit"],
                           rows: shown.map { l, v in [l.path, String(v.prefix(40)), l.author, day.string(from: l.date),
                                                      String(l.commit.prefix(10))] }))
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring back a customer's record as it was at a commit, as a new commit.")

    @Argument(help: "The customer: id, prefix, or query.") var customer: String
    @Argument(help: "The revision to restore from (a commit id or prefix, HEAD~2, …).") var revision: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        if try vault.restore(id, from: revision) {
            print("restored \(id.hex) from \(try vault.revision(revision).prefix(12))")
        } else {
            Report.line("note", "the record is already as it was then; no commit made")
        }
    }
}

struct Textconv: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "git's textconv driver: prints a record file decrypted (used by git diff and git log -p).",
        shouldDisplay: false)

    @Argument(help: "The record file git hands over.") var file: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw VaultError.notFound("cannot read \(file)")
        }
        FileHandle.standardOutput.write(Data(DangolKit.Textconv.render(file: Array(bytes), vaultPath: options.path).utf8))
    }
}
