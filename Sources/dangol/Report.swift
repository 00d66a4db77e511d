import DangolKit
import DangolText
import Foundation

/// Everything dangol prints about failures, in age's style:
/// `dangol: error: …` and, where it helps, `dangol: hint: …`. The word
/// after `dangol:` stays as it is (scripts and people search for it); the
/// message after it is in the reader's language.
enum Report {
    static func fail(_ error: Error) -> Never {
        // libgit2 calls a lock file it could not create "locked", whatever
        // the reason: a disk that failed the create is no conflict.
        let disk = DiskFault.of(error)
        let category = disk == nil ? ExitCategory.of(error) : .failure
        var message = Message.of(error)
        if let e = error as? ValidationFailure { message = Message("error.invalid_record", parts: ["detail": e.message]) }
        if let disk { message = Message("disk.error", parts: ["fault": disk.message, "detail": DiskFault.detail(error)]) }
        line("error", message)
        if let disk {
            line("hint", disk == .full ? Message("hint.disk_full") : Message("hint.disk_failing"))
        } else if let hint = hint(for: error) {
            line("hint", hint)
        }
        exit(category.rawValue)
    }

    static func line(_ kind: String, _ message: Message) {
        FileHandle.standardError.write(Data("dangol: \(kind): \(message)\n".utf8))
    }

    static func warn(_ message: Message) { line("warning", message) }

    private static func hint(for error: Error) -> Message? {
        switch error as? VaultError {
        case .wrongPassphrase?: return Message("hint.wrong_passphrase")
        case .noPassphrase?: return Message("hint.no_passphrase")
        case .notAVault?: return Message("hint.not_a_vault")
        case .integrity(let file, _)? where file.hasPrefix("commit "):
            return Message("commit.outside_hint", ["short": String(file.dropFirst("commit ".count).prefix(12))])
        case .integrity(let file, _)? where file.hasPrefix(Vault.auditRef + " commit "):
            return Message("commit.outside_log_hint", ["short": String(file.dropFirst((Vault.auditRef + " commit ").count).prefix(12))])
        // `dangol check` has just listed every damaged file: no hint to run it.
        case .integrity(_, let reason)? where reason.key == "check.problems_listed": return nil
        case .integrity?: return Message("hint.integrity")
        default: return nil
        }
    }
}

/// A line for the person at the terminal, on standard output.
func say(_ message: Message) { print(message.description) }
