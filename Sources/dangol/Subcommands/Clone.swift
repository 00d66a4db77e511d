import ArgumentParser
import DangolKit
import Foundation

struct Clone: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a vault from a backup into a new directory, then check it.",
        discussion: """
            Fetches every vault ref from the remote (a path or ssh://user@host[:port]/path), checks out the working
            tree, adds the remote as "origin", then unlocks the vault and runs dangol check on it.
            """)

    @Argument(help: "The backup: a path or ssh://user@host[:port]/path.") var url: String
    @Argument(help: "A new or empty directory for the vault.") var path: String
    @Flag(help: "Trust and record an ssh host key that ~/.ssh/known_hosts does not have yet (never a changed one).")
    var acceptNewHostKey = false
    @Flag(help: "Decrypt every version in the history, not only the head (check --history).") var history = false

    func run() throws {
        let target = absolutePath(path)
        do {
            _ = try VaultClone.clone(
                url: url, to: target,
                settings: Transport.settings(acceptNewHostKey: acceptNewHostKey, progress: true))
        } catch {
            Transport.endProgress()
            throw error
        }
        Transport.endProgress()
        print("restored into \(target); checking")
        let vault = try VaultOptions(vault: target, user: nil).unlock()
        let report = try vault.check(history: history, progress: CheckPrinter.progress)
        CheckPrinter.clearProgress()
        CheckPrinter.show(report, history: history)
        if !report.findings.isEmpty {
            throw VaultError.integrity(file: target, reason: "the restored vault has \(report.findings.count) problems")
        }
    }
}
