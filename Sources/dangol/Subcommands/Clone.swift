import ArgumentParser
import DangolKit
import Foundation

struct Clone: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.clone"), discussion: Catalogue.text("help.clone.more"))

    @Argument(help: help("help.clone.url")) var url: String
    @Argument(help: help("help.clone.path")) var path: String
    @Flag(help: help("help.option.accept_new_host_key")) var acceptNewHostKey = false
    @Flag(help: help("help.clone.history")) var history = false

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
        say(Message("clone.restored", ["path": target]))
        let vault = try VaultOptions(vault: target, user: nil).unlock()
        let report = try vault.check(history: history, progress: CheckPrinter.progress)
        CheckPrinter.clearProgress()
        CheckPrinter.show(report, history: history)
        if !report.findings.isEmpty {
            throw VaultError.integrity(
                file: target, reason: Message("clone.problems", ["n": arg(report.findings.count)], count: report.findings.count))
        }
    }
}
