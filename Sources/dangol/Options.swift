import ArgumentParser
import DangolKit
import DangolText
import Foundation

/// Where the vault is and who opens it; shared by every command.
struct VaultOptions: ParsableArguments {
    @Option(name: .long, help: help("help.option.vault"))
    var vault: String?

    @Option(name: .long, help: help("help.option.user"))
    var user: String?

    @Flag(name: .long, help: help("help.option.recovery"))
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
            vault = try locked.unlock(recoveryCode: try Passphrase.read(.recovery, prompt: Catalogue.text("prompt.recovery_code")))
        } else {
            let passphrase = try Passphrase.read(prompt: Catalogue.text("prompt.passphrase_for", ["path": path]))
            vault = try locked.unlock(passphrase: passphrase, user: who)
        }
        for w in vault.slotWarnings { Report.warn(w.message) }
        if let first = vault.integrityProblems.first, !tolerateTampering {
            for other in vault.integrityProblems.dropFirst() { Report.line("error", other.message) }
            throw first.error
        }
        if vault.metadata.isTestVault { Report.warn(Message("unlock.test_vault")) }
        if let failure = vault.upgradeFailure {
            Report.line("note", Message("unlock.upgrade_failed", parts: ["reason": .of(failure)]))
        }
        for note in locked.backupNotes() { Report.line("note", note) }
        if vault.pendingErasure {
            Report.warn(Message("erase.pending_warning"))
        }
        return Session.opened(vault)
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: help("help.option.json"))
    var json = false

    @Flag(name: .long, help: help("help.option.reveal"))
    var reveal = false
}

/// Resolves `~`, relative paths and `..` against the current directory.
func absolutePath(_ raw: String) -> String {
    let expanded = (raw as NSString).expandingTildeInPath
    let absolute = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
    return (absolute as NSString).standardizingPath
}
