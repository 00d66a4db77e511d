import ArgumentParser
import DangolKit
import DangolText
import Foundation

/// Where the vault is and who opens it; shared by every command.
struct VaultOptions: ParsableArguments {
    @Option(name: .long, help: "The vault directory (default: $DANGOL_VAULT, else the current directory).")
    var vault: String?

    @Option(name: .long, help: "Whose key slot to try (default: $DANGOL_USER, else every person's, owner first).")
    var user: String?

    @Flag(name: .long, help: "Unlock with the recovery code printed at init ($DANGOL_RECOVERY_CODE_FILE, _COMMAND, $DANGOL_RECOVERY_CODE, else the terminal).")
    var recovery = false

    init() {}

    init(vault: String?, user: String?, recovery: Bool = false) {
        self.vault = vault
        self.user = user
        self.recovery = recovery
    }

    var path: String {
        let raw = vault ?? ProcessInfo.processInfo.environment["DANGOL_VAULT"] ?? FileManager.default.currentDirectoryPath
        return absolutePath(raw)
    }

    /// Opens the vault and unlocks it with the passphrase from its sources.
    /// What opening finds that the key did not write ends the command
    /// (exit code 5), except for a command that is there to look at it
    /// (`tolerateTampering`: check).
    func unlock(tolerateTampering: Bool = false) throws -> Vault {
        let locked = try LockedVault.open(at: path)
        let vault: Vault
        let who = user ?? ProcessInfo.processInfo.environment["DANGOL_USER"]
        if !recovery, let fromAgent = locked.unlockFromAgent(user: who) {
            vault = fromAgent
        } else if recovery {
            vault = try locked.unlock(recoveryCode: try Passphrase.read(.recovery, prompt: "recovery code: "))
        } else {
            let passphrase = try Passphrase.read(prompt: "passphrase for \(path): ")
            vault = try locked.unlock(passphrase: passphrase, user: who)
        }
        for w in vault.slotWarnings { Report.warn(w.description) }
        if let first = vault.integrityProblems.first, !tolerateTampering {
            for other in vault.integrityProblems.dropFirst() { Report.line("error", other.description) }
            throw first.error
        }
        if vault.metadata.isTestVault { Report.warn(Catalogue.text("unlock.test_vault")) }
        if let failure = vault.upgradeFailure {
            Report.line("note", Catalogue.text("unlock.upgrade_failed", ["reason": "\(failure)"]))
        }
        for note in locked.backupNotes() { Report.line("note", note) }
        if vault.pendingErasure {
            Report.warn("an erasure was interrupted before it finished; run dangol erase --resume to complete it")
        }
        return Session.opened(vault)
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Machine-readable JSON on standard output.")
    var json = false

    @Flag(name: .long, help: "Show phone numbers in full instead of 010-****-5678.")
    var reveal = false
}

/// Resolves `~`, relative paths and `..` against the current directory.
func absolutePath(_ raw: String) -> String {
    let expanded = (raw as NSString).expandingTildeInPath
    let absolute = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
    return (absolute as NSString).standardizingPath
}
