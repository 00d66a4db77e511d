import DangolKit
import DangolText
import Foundation

/// Everything dangol prints about failures, in age's style:
/// `dangol: error: …` and, where it helps, `dangol: hint: …`.
enum Report {
    static func fail(_ error: Error) -> Never {
        // libgit2 calls a lock file it could not create "locked", whatever
        // the reason: a disk that failed the create is no conflict.
        let disk = DiskFault.of(error)
        let category = disk == nil ? ExitCategory.of(error) : .failure
        var message = "\(error)"
        if let e = error as? ValidationFailure { message = "invalid record: \(e)" }
        if let disk { message = "\(disk.description): \(DiskFault.detail(error))" }
        line("error", message)
        if let disk {
            line("hint", disk == .full
                ? "free some space, then run the command again; dangol check shows the vault is whole"
                : "check the disk, then run dangol check; the vault keeps what it saved before this command")
        } else if let hint = hint(for: error) {
            line("hint", hint)
        }
        exit(category.rawValue)
    }

    static func line(_ kind: String, _ message: String) {
        FileHandle.standardError.write(Data("dangol: \(kind): \(message)\n".utf8))
    }

    static func warn(_ message: String) { line("warning", message) }

    private static func hint(for error: Error) -> String? {
        switch error as? VaultError {
        case .wrongPassphrase?:
            return "check $DANGOL_PASSPHRASE_FILE / _COMMAND / DANGOL_PASSPHRASE, or pick a person with --user"
        case .noPassphrase?:
            return "run dangol in a terminal, or set DANGOL_PASSPHRASE_FILE to a file holding the passphrase"
        case .notAVault?:
            return "point dangol at a vault with --vault PATH or DANGOL_VAULT, or create one with dangol init"
        case .integrity(let file, _)? where file.hasPrefix("commit "):
            let short = String(file.dropFirst("commit ".count).prefix(12))
            return Catalogue.text("commit.outside_hint", ["short": short])
        case .integrity?:
            return "run dangol check to list every damaged file"
        default:
            return nil
        }
    }
}
