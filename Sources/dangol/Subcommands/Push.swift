import ArgumentParser
import DangolKit
import Foundation

struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Push every vault ref (branches, notes, tags) to a backup remote.",
        discussion: """
            Needs no passphrase: everything sent is already encrypted. A ref is forced only when an erasure, a
            passphrase change or a rekey rewrote it since the last push to that remote, and the output says so;
            after a forced push to a path remote, the old history is purged there too. Anything else the remote
            refuses is an error (exit code 7).
            """)

    @Argument(help: "The remote (default: the only one).") var name: String?
    @Flag(help: "Trust and record an ssh host key that ~/.ssh/known_hosts does not have yet (never a changed one).")
    var acceptNewHostKey = false
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
                remote: remote,
                settings: Transport.settings(
                    acceptNewHostKey: acceptNewHostKey,
                    progress: true))
        } catch {
            Transport.endProgress()
            throw error
        }
        Transport.endProgress()
        for f in report.forced {
            print("forced \(f.ref): rewritten by \(f.because.joined(separator: ", ")) since the last push to \(remote)")
        }
        for d in report.deleted { print("deleted \(d) at \(remote)") }
        if let p = report.remotePurged {
            print(
                "purged \(p.objectsRemoved) old objects at \(report.url); \(p.remnantsFound) of the "
                    + "\(p.versionsGone) file versions the old history held there remain")
            if p.remnantsFound > 0 {
                throw VaultError.integrity(
                    file: report.url,
                    reason: "\(p.remnantsFound) old file versions are still in the remote after its purge")
            }
        }
        if !report.forced.isEmpty && report.remotePurged == nil {
            print(
                "note: \(remote) is an ssh remote: the old objects stay on the server until it runs git gc "
                    + "--prune=now; dangol cannot verify that they are gone (see SECURITY.md)")
        }
        print("pushed \(report.pushed.count) refs to \(remote) (\(report.url))")
    }
}
