import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Rekey: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.rekey"), discussion: Catalogue.text("help.rekey.more"))

    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let passphrase = vault.holdsPersonKey ? nil : try Passphrase.read(prompt: Catalogue.text("prompt.passphrase_again"))
        let (r, code, people) = try vault.rekey(passphrase: passphrase) { line in
            if isatty(2) == 1 { Report.line("rekey", line) }
        }
        say(Message("rekey.sealed_to", ["people": people.joined(separator: ", ")]))
        say(Message("rekey.done", [
            "rewritten": arg(r.commitsRewritten), "removed": arg(r.objectsRemoved), "remnants": arg(r.remnantsFound),
            "scanned": arg(r.objectsScanned),
        ]))
        say(Message("rekey.recovery_code"))
        fflush(stdout)
        // Straight from guarded memory to the terminal, as init does.
        code.withUnsafeBytes { FileHandle.standardOutput.write(Data("    ".utf8) + Data($0) + Data("\n".utf8)) }
        Report.line("note", Message("rekey.push_now"))
        if r.remnantsFound > 0 {
            throw VaultError.integrity(file: ".git/objects", reason: Message("rekey.remnants", ["n": arg(r.remnantsFound)]))
        }
    }
}
