import ArgumentParser
import DangolKit
import Foundation

struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.push"), discussion: Catalogue.text("help.push.more"))

    @Argument(help: help("help.push.remote")) var name: String?
    @Flag(help: help("help.option.accept_new_host_key")) var acceptNewHostKey = false
    @Flag(help: .hidden) var auto = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let locked = try LockedVault.open(at: options.path)
        if auto {
            // The background push after a change: failures are recorded for
            // the next command's note, never reported here.
            locked.autoPush(settings: Transport.settings())
            return
        }
        let remote = try name ?? locked.defaultRemote()
        let report: PushReport
        do {
            report = try locked.push(
                remote: remote, settings: Transport.settings(acceptNewHostKey: acceptNewHostKey, progress: true))
        } catch {
            Transport.endProgress()
            throw error
        }
        Transport.endProgress()
        for f in report.forced {
            say(Message("push.forced", ["ref": f.ref, "operations": f.because.joined(separator: ", "), "remote": remote]))
        }
        for d in report.deleted { say(Message("push.deleted", ["ref": d, "remote": remote])) }
        if let p = report.remotePurged {
            say(Message("push.purged", ["n": arg(p.objectsRemoved), "url": report.url, "remnants": arg(p.remnantsFound),
                                        "versions": arg(p.versionsGone)]))
            if p.remnantsFound > 0 {
                throw VaultError.integrity(file: report.url, reason: Message("push.remnants", ["n": arg(p.remnantsFound)]))
            }
        }
        if !report.forced.isEmpty && report.remotePurged == nil {
            Report.line("note", Message("push.ssh_not_purged", ["remote": remote]))
        }
        say(Message("push.done", ["n": arg(report.pushed.count), "remote": remote, "url": report.url],
                    count: report.pushed.count))
    }
}
