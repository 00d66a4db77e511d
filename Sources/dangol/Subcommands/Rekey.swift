import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Rekey: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the vault key: every version of every record re-encrypted under a new one, in one rewrite.",
        discussion: """
            Owner only. Every record version, commit summary and access-log entry in the whole history is sealed
            again under a new random key; all old key slots leave the history and the old objects are purged.
            Everyone who holds a key keeps it: the new key is sealed to each person's public key with yours, and
            their passphrases open it as before (yours is asked again only when the agent unlocked). A new
            recovery code is printed once: the old one stops working. The next push to each remote is forced.
            Backups and copies made before still open with the old key and passphrases.
            """)

    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let passphrase =
            vault.holdsPersonKey ? nil : try Passphrase.read(prompt: "your passphrase again, for your secret key: ")
        let (r, code, people) = try vault.rekey(passphrase: passphrase) { line in
            if isatty(2) == 1 { Report.line("rekey", line) }
        }
        print(Catalogue.text("rekey.sealed_to", ["people": people.joined(separator: ", ")]))
        print(
            "new vault key: \(r.commitsRewritten) commits rewritten, \(r.objectsRemoved) old objects purged, "
                + "\(r.remnantsFound) remnants in \(r.objectsScanned) objects scanned")
        print("new recovery code (shown once; the old one no longer opens the vault):")
        fflush(stdout)
        // Straight from guarded memory to the terminal, as init does.
        code.withUnsafeBytes { FileHandle.standardOutput.write(Data("    ".utf8) + Data($0) + Data("\n".utf8)) }
        print("", terminator: "")
        print("note: push to every backup now (forced once); copies made before still open with the old key")
        if r.remnantsFound > 0 {
            throw VaultError.integrity(
                file: ".git/objects", reason: "\(r.remnantsFound) remnants of the old key's objects remain")
        }
    }
}
