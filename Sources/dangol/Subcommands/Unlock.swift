import ArgumentParser
import DangolKit
import Foundation

struct Unlock: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.unlock"), discussion: Catalogue.text("help.unlock.more"))

    @Option(help: help("help.unlock.timeout")) var timeout: String = "15m"
    @OptionGroup var options: VaultOptions

    func validate() throws {
        // The agent speaks for a person's slot: the recovery code is for
        // getting back in, not for staying unlocked.
        if options.recovery { throw ValidationError(Catalogue.text("usage.unlock.recovery")) }
        guard let s = ShellSession.seconds(timeout), s <= 24 * 3600 else {
            throw ValidationError(Catalogue.text("usage.unlock.timeout"))
        }
    }

    func run() throws {
        let vault = try options.unlock()
        guard let exe = ProcessIdentity.executablePath else {
            throw VaultError.io(Message("agent.no_executable"))
        }
        try vault.startAgent(executable: exe, idle: ShellSession.seconds(timeout)!)  // checked in validate()
        say(Message("unlock.done", ["timeout": timeout]))
    }
}

struct Lock: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.lock"))

    @OptionGroup var options: VaultOptions

    func run() throws {
        say(Message(AgentClient.lock(vaultPath: options.path) ? "lock.locked" : "lock.no_agent"))
    }
}

/// The agent itself, started by `dangol unlock` (its key comes on stdin).
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", shouldDisplay: false)

    @Option var vault: String
    @Option var idle: Int

    func run() throws {
        guard vault.hasPrefix("/"), idle > 0 else { throw ValidationError(Catalogue.text("agent.started_by_unlock")) }
        UnlockAgent.serve(vaultPath: vault, idle: TimeInterval(idle))
    }
}
