import ArgumentParser
import DangolKit
import Foundation

struct Passwd: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.passwd"), discussion: Catalogue.text("help.passwd.more"))

    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let new = try Passphrase.readNew(.new, prompt: Catalogue.text("prompt.new_passphrase_for", ["person": vault.person.name]))
        let r = try vault.changePassphrase(to: new) { line in if isatty(2) == 1 { Report.line("passwd", line) } }
        say(Message("passwd.done", [
            "person": vault.person.name, "rewritten": arg(r.commitsRewritten), "removed": arg(r.objectsRemoved),
            "remnants": arg(r.remnantsFound), "scanned": arg(r.objectsScanned),
        ]))
        Report.line("note", Message("passwd.push_now"))
        if r.remnantsFound > 0 {
            throw VaultError.integrity(file: ".git/objects", reason: Message("passwd.remnants", ["n": arg(r.remnantsFound)]))
        }
    }
}
