import ArgumentParser
import DangolKit
import DangolServer
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The front desk: a page in the browser for everyday work, on this computer only.",
        discussion: """
            Listens on 127.0.0.1 and ::1 only and prints one link with a one-time token; the first browser
            to open it gets the session, and nobody else gets anything. The page then asks who is working
            and their passphrase (not when dangol unlock holds the key for them). It locks after
            --idle-timeout without use and at its 잠금 button: the key and the index leave memory.
            Stop it with Ctrl-C. See SECURITY.md, section 16.
            """)

    @Option(help: "The port (default: a free one).") var port: Int = 0
    @Flag(help: "Do not open the browser; only print the link.") var noOpen = false
    @Option(help: "Lock after this long without use: 30s, 10m, 1h.") var idleTimeout: String = "10m"
    @Option(name: .long, help: "The vault directory (default: $DANGOL_VAULT, else the current directory).")
    var vault: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port is 1 to 65535 (0 picks a free one)") }
        if ShellSession.seconds(idleTimeout) == nil { throw ValidationError("--idle-timeout takes 30s, 10m or 1h") }
    }

    func run() throws {
        let path = VaultOptions(vault: vault, user: nil).path
        let idle = ShellSession.seconds(idleTimeout)!  // checked in validate()
        try FrontDesk.serve(ServeOptions(vaultPath: path, port: port, openBrowser: !noOpen, idle: idle)) { line in
            print(line)
            fflush(stdout)
        }
    }
}
