import ArgumentParser
import DangolKit
import Foundation

struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "An interactive prompt that keeps the vault unlocked and indexed; locks itself when idle.",
        discussion: "Commands: search QUERY, show ID|QUERY, list, reindex, help, quit. Reads lines from standard input.")

    @Option(help: "Lock (exit, dropping the key and the index) after this long without input: 30s, 10m, 1h.")
    var idleTimeout: String = "10m"
    @Flag(help: "Show phone numbers in full.") var reveal = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if ShellSession.seconds(idleTimeout) == nil { throw ValidationError("--idle-timeout takes 30s, 10m or 1h") }
    }

    func run() throws {
        let session = try ShellSession(vault: try options.unlock(), reveal: reveal,
                                   idle: ShellSession.seconds(idleTimeout)!)  // checked in validate()
        try session.run()
    }
}

/// The shell's loop. An idle watchdog ends the process (and with it the key
/// and every decrypted record) when no line arrives in time.
final class ShellSession {
    let vault: Vault
    let reveal: Bool
    let idle: TimeInterval
    var index: SearchIndex
    let activity = NSLock()
    nonisolated(unsafe) var lastInput = Date()

    init(vault: Vault, reveal: Bool, idle: TimeInterval) throws {
        self.vault = vault
        self.reveal = reveal
        self.idle = idle
        let (index, failures) = try vault.index()
        for f in failures { Report.line("error", "\(f)") }
        self.index = index
    }

    static func seconds(_ s: String) -> TimeInterval? {
        guard let unit = s.last, let n = Double(s.dropLast()), n > 0 else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        default: return nil
        }
    }

    func run() throws {
        let tty = isatty(0) == 1
        startWatchdog()
        if tty { print("dangol shell: \(index.count) customers indexed; locks after \(Int(idle)) s idle. help for commands") }
        while true {
            if tty { Swift.print("dangol> ", terminator: ""); fflush(stdout) }
            guard let line = readLine() else { break }
            activity.lock(); lastInput = Date(); activity.unlock()
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            guard let cmd = parts.first else { continue }
            let arg = parts.count > 1 ? parts[1] : ""
            do {
                switch cmd {
                case "quit", "exit": return
                case "help": print("search QUERY · show ID|QUERY · list · reindex · quit")
                case "search": try search(arg)
                case "show": try show(arg)
                case "list": try Results.print(index.all().map { ($0.id, $0.customer) }, json: false, reveal: reveal)
                case "reindex":
                    index = try vault.index().index
                    print("\(index.count) customers indexed")
                default: Report.line("error", "unknown command \"\(cmd)\"; help lists them")
                }
            } catch {
                Report.line("error", "\(error)")
            }
            fflush(stdout)
        }
    }

    func search(_ text: String) throws {
        let q: Query
        do { q = try Query.parse(text) } catch let e as Query.ParseError { throw VaultError.usage(e.description) }
        let hits = index.search(q)
        if hits.isEmpty { return Report.line("note", "no customer matches \"\(text)\"") }
        try Results.print(hits.map { ($0.id, $0.customer) }, json: false, reveal: reveal)
    }

    func show(_ text: String) throws {
        let id = try vault.resolve(text)
        let c = try vault.read(id)
        print("\(id.hex)  \(c.name)  \(phoneText(c, reveal: reveal))  visits \(c.visits.count)  last \(c.lastVisit ?? "-")")
    }

    func startWatchdog() {
        let t = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: min(1, idle / 4))
                activity.lock()
                let quiet = Date().timeIntervalSince(lastInput)
                activity.unlock()
                if quiet >= idle {
                    FileHandle.standardError.write(Data("dangol: note: locked after \(Int(idle)) s without input\n".utf8))
                    exit(0)
                }
            }
        }
        t.start()
    }
}
