import ArgumentParser
import DangolKit
import Foundation

struct Passwd: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Change your passphrase: your key slot is rewrapped and the old one purged from the history.",
        discussion: """
            The current passphrase unlocks as usual; the new one comes from $DANGOL_NEW_PASSPHRASE_FILE,
            _COMMAND or $DANGOL_NEW_PASSPHRASE, else it is typed twice. Record files do not change. The old slot
            leaves every commit and its objects are deleted, so the old passphrase opens no clone made from now on;
            the next push to each remote is forced. Backups and copies made before still open with the old one.
            """)

    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let new = try Passphrase.readNew(.new, prompt: "new passphrase for \(vault.person.name): ")
        let r = try vault.changePassphrase(to: new) { line in if isatty(2) == 1 { Report.line("passwd", line) } }
        print(
            "passphrase changed for \(vault.person.name); \(r.commitsRewritten) commits rewritten, "
                + "\(r.objectsRemoved) old objects purged, \(r.remnantsFound) remnants in \(r.objectsScanned) objects scanned"
        )
        print("note: push to every backup now (forced once); copies made before still open with the old passphrase")
        if r.remnantsFound > 0 {
            throw VaultError.integrity(
                file: ".git/objects", reason: "\(r.remnantsFound) remnants of the old key slot remain")
        }
    }
}
