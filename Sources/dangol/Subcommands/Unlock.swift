import ArgumentParser
import DangolKit
import Foundation

struct Unlock: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keep this vault unlocked for a while: the next commands ask no passphrase.",
        discussion: """
            Starts an agent process that holds the vault key in locked memory and answers only your own
            user, over a socket in $XDG_RUNTIME_DIR/dangol (else /tmp/dangol-UID, mode 0700). It wipes
            the key and ends after --timeout without use, or at dangol lock.
            """)

    @Option(help: "Lock after this long without use: 30s, 15m, 1h.") var timeout: String = "15m"
    @OptionGroup var options: VaultOptions

    func validate() throws {
        // The agent speaks for a person's slot: the recovery code is for
        // getting back in, not for staying unlocked.
        if options.recovery { throw ValidationError("unlock takes a person's passphrase, not the recovery code") }
        guard let s = ShellSession.seconds(timeout), s <= 24 * 3600 else {
            throw ValidationError("--timeout takes 30s, 15m or 1h (at most 24h)")
        }
    }

    func run() throws {
        let vault = try options.unlock()
        guard let exe = ProcessIdentity.executablePath else {
            throw VaultError.io("cannot find the dangol executable to start the agent")
        }
        try vault.startAgent(executable: exe, idle: ShellSession.seconds(timeout)!)  // checked in validate()
        print("unlocked for \(timeout) without use; dangol lock locks it now")
    }
}

struct Lock: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Wipe the key the unlock agent holds for this vault.")

    @OptionGroup var options: VaultOptions

    func run() throws {
        print(AgentClient.lock(vaultPath: options.path) ? "locked" : "no agent was holding this vault's key")
    }
}

/// The agent itself, started by `dangol unlock` (its key comes on stdin).
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", shouldDisplay: false)

    @Option var vault: String
    @Option var idle: Int

    func run() throws {
        guard vault.hasPrefix("/"), idle > 0 else { throw ValidationError("started by dangol unlock only") }
        UnlockAgent.serve(vaultPath: vault, idle: TimeInterval(idle))
    }
}
