import ArgumentParser
import DangolKit
import Foundation

struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: Catalogue.text("help.remote"),
        subcommands: [RemoteAdd.self, RemoteList.self, RemoteRemove.self, RemoteAutoPush.self])
}

struct RemoteAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: Catalogue.text("help.remote.add"))

    @Argument(help: help("help.remote.name")) var name: String
    @Argument(help: help("help.remote.url")) var url: String
    @Flag(help: help("help.remote.auto_push")) var autoPush = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let locked = try LockedVault.open(at: options.path)
        let stored = try locked.addRemote(name: name, url: url)
        say(Message("remote.added", ["remote": name, "url": stored]))
        if autoPush {
            try options.unlock().setAutoPush(name, on: true)
            say(Message("remote.auto_push_added", ["remote": name]))
        }
    }
}

struct RemoteList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: Catalogue.text("help.remote.list"))

    @Flag(help: help("help.option.json")) var json = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let statuses = try LockedVault.open(at: options.path).remoteStatuses()
        if json { return try JSONOut.print(statuses.map(RemoteJSON.init)) }
        if statuses.isEmpty { return say(Message("remote.list.none")) }
        let rows = statuses.map { s -> [String] in
            let state: Message
            if !s.rewrittenSince.isEmpty {
                state = Message("remote.state.rewritten", ["operations": s.rewrittenSince.joined(separator: ", ")])
            } else if let a = s.ahead, let b = s.behind {
                state = a == 0 && b == 0 ? Message("remote.state.up_to_date")
                    : Message("remote.state.ahead_behind", ["ahead": arg(a), "behind": arg(b)])
            } else {
                state = .verbatim("-")
            }
            return [s.name, s.url, s.lastPush.map { LocalTime.text(stored: $0) } ?? Catalogue.text("remote.never"),
                    state.description, Catalogue.text(s.autoPush ? "remote.on" : "remote.off")]
        }
        print(Table.render(header: columns("column.remote", "column.url", "column.last_push", "column.since",
                                           "column.auto_push"), rows: rows))
        for s in statuses {
            if let f = s.autoPushFailure {
                Report.line("note", Message("remote.auto_push_failed", ["remote": s.name], parts: ["detail": f]))
            }
        }
    }
}

struct RemoteRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: Catalogue.text("help.remote.remove"))

    @Argument(help: help("help.remote.name_existing")) var name: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let locked = try LockedVault.open(at: options.path)
        if locked.autoPushRemotes.contains(name) { try options.unlock().setAutoPush(name, on: false) }
        try LockedVault.open(at: options.path).removeRemote(name: name)
        say(Message("remote.removed", ["remote": name]))
    }
}

struct RemoteAutoPush: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto-push", abstract: Catalogue.text("help.remote.auto_push_command"))

    @Argument(help: help("help.remote.name_existing")) var name: String
    @Argument(help: help("help.remote.on_off")) var state: String
    @OptionGroup var options: VaultOptions

    func validate() throws {
        guard state == "on" || state == "off" else { throw ValidationError(Catalogue.text("usage.on_off", ["value": state])) }
    }

    func run() throws {
        try options.unlock().setAutoPush(name, on: state == "on")
        say(Message(state == "on" ? "remote.auto_push_now_on" : "remote.auto_push_now_off", ["remote": name]))
    }
}

/// ssh keys and known_hosts from $HOME/.ssh; ssh-agent when it runs.
enum Transport {
    static func settings(acceptNewHostKey: Bool = false, progress: Bool = false) -> TransportSettings {
        var s = TransportSettings.fromEnvironment(acceptNewHostKey: acceptNewHostKey)
        if progress && isatty(2) == 1 {
            s.progress = { done, total in
                guard total > 0 else { return }
                FileHandle.standardError.write(
                    Data("\rdangol: \(Catalogue.text("push.progress", ["done": arg(done), "total": arg(total)]))".utf8))
            }
        }
        return s
    }

    static func endProgress() {
        if isatty(2) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
