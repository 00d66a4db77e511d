import ArgumentParser
import DangolKit
import Foundation

struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract:
            "Backup remotes: a bare repository on a path (a USB disk, a NAS mount) or ssh://user@host[:port]/path.",
        subcommands: [RemoteAdd.self, RemoteList.self, RemoteRemove.self, RemoteAutoPush.self])
}

struct RemoteAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a remote; a path gets a bare repository if it has none.")

    @Argument(help: "A name for it (letters, digits, - and _).") var name: String
    @Argument(help: "A path, or ssh://user@host[:port]/path.") var url: String
    @Flag(help: "Push to it after every change (a vault setting, committed).") var autoPush = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let locked = try LockedVault.open(at: options.path)
        let stored = try locked.addRemote(name: name, url: url)
        print("remote \(name): \(stored)")
        if autoPush {
            try options.unlock().setAutoPush(name, on: true)
            print("pushed to after every change (dangol remote auto-push \(name) off to stop)")
        }
    }
}

struct RemoteList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Each remote: its URL, last push, and how far the vault is ahead of it.")

    @Flag(help: "Machine-readable JSON on standard output.") var json = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let statuses = try LockedVault.open(at: options.path).remoteStatuses()
        if json { return try JSONOut.print(statuses.map(\.json)) }
        if statuses.isEmpty { return print("no remotes; add one with dangol remote add NAME PATH|ssh://…") }
        let rows = statuses.map { s -> [String] in
            let state: String
            if !s.rewrittenSince.isEmpty {
                state = "history rewritten since (\(s.rewrittenSince.joined(separator: ", "))): next push is forced"
            } else if let a = s.ahead, let b = s.behind {
                state = a == 0 && b == 0 ? "up to date" : "\(a) ahead, \(b) behind"
            } else {
                state = "-"
            }
            return [s.name, s.url, s.lastPush ?? "never", state, s.autoPush ? "on" : "off"]
        }
        print(Table.render(header: ["remote", "url", "last push", "since", "auto-push"], rows: rows))
        for s in statuses {
            if let f = s.autoPushFailure { Report.line("note", "last automatic push to \(s.name) failed: \(f)") }
        }
    }
}

struct RemoteRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Forget a remote (the backup itself is left as it is).")

    @Argument var name: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let locked = try LockedVault.open(at: options.path)
        if locked.autoPushRemotes.contains(name) { try options.unlock().setAutoPush(name, on: false) }
        try LockedVault.open(at: options.path).removeRemote(name: name)
        print("remote \(name) removed; the backup at its URL is untouched")
    }
}

struct RemoteAutoPush: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto-push", abstract: "Push to a remote after every change: on or off.")

    @Argument var name: String
    @Argument(help: "on or off") var state: String
    @OptionGroup var options: VaultOptions

    func validate() throws {
        guard state == "on" || state == "off" else { throw ValidationError("say on or off, not \"\(state)\"") }
    }

    func run() throws {
        try options.unlock().setAutoPush(name, on: state == "on")
        print("automatic push to \(name): \(state)")
    }
}

/// ssh keys and known_hosts from $HOME/.ssh; ssh-agent when it runs.
enum Transport {
    static func settings(acceptNewHostKey: Bool = false, progress: Bool = false) -> TransportSettings {
        var s = TransportSettings.fromEnvironment(acceptNewHostKey: acceptNewHostKey)
        if progress && isatty(2) == 1 {
            s.progress = { done, total in
                guard total > 0 else { return }
                FileHandle.standardError.write(Data("\rdangol: \(done)/\(total) objects".utf8))
            }
        }
        return s
    }

    static func endProgress() {
        if isatty(2) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
