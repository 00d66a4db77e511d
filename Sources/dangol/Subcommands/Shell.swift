import ArgumentParser
import DangolKit
import Foundation

struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.shell"), discussion: Catalogue.text("help.shell.more"))

    @Option(help: help("help.shell.idle_timeout")) var idleTimeout: String = "10m"
    @Flag(help: help("help.shell.reveal")) var reveal = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if ShellSession.seconds(idleTimeout) == nil { throw ValidationError(Catalogue.text("usage.shell.idle_timeout")) }
    }

    func run() throws {
        let idle = ShellSession.seconds(idleTimeout)!  // checked in validate()
        let vault = try options.unlock()
        try vault.checkReveal(reveal)
        try ShellSession(open: try OpenIndex(vault), reveal: reveal, idle: idle).run()
    }
}

/// The shell's loop: one line, one command, answered from the index.
final class ShellSession {
    static let shown = 50
    let open: OpenIndex
    let reveal: Bool
    let lock: IdleLock

    init(open: OpenIndex, reveal: Bool, idle: TimeInterval) {
        self.open = open
        self.reveal = reveal
        lock = IdleLock(after: idle)
        for f in open.failures { Report.line("error", f.message) }
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
        lock.start()
        if tty {
            print("dangol shell: " + Catalogue.text("shell.welcome", ["n": arg(open.index.count), "seconds": arg(Int(lock.after))]))
        }
        while true {
            if tty { Swift.print("dangol> ", terminator: ""); fflush(stdout) }
            guard let line = readLine() else { return }
            lock.touch()
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            guard let cmd = parts.first else { continue }
            if cmd == "quit" || cmd == "exit" { return }
            do {
                if try open.refresh() { Report.line("note", Message("shell.vault_changed", ["n": arg(open.index.count)])) }
                try answer(cmd, parts.count > 1 ? parts[1] : "")
                lock.touch()  // a long answer is not idle time
            } catch {
                Report.line("error", .of(error))
            }
            fflush(stdout)
        }
    }

    func answer(_ cmd: String, _ rest: String) throws {
        switch cmd {
        case "help": print(Catalogue.text("shell.help"))
        case "search":
            let hits = try open.search(rest)
            if hits.isEmpty { return Report.line("note", Message("customer.no_match", ["query": rest])) }
            try table(hits)
        case "show":
            do { try detail(try open.find(rest)) } catch VaultError.ambiguous(let q, let ids) {
                try table(ids.compactMap { open.index.hit(for: $0) })
                throw VaultError.ambiguous(query: q, candidates: ids)
            }
        case "list": try table(open.index.all())
        case "reindex":
            try open.refresh(force: true)
            say(Message("shell.indexed", ["n": arg(open.index.count)]))
        default: Report.line("error", Message("shell.unknown_command", ["command": cmd]))
        }
    }

    func table(_ hits: [SearchIndex.Hit]) throws {
        try open.vault.audit("search", records: hits.prefix(Self.shown).map(\.id))
        try Results.print(hits.prefix(Self.shown).map { ($0.id, $0.customer) }, json: false, reveal: reveal)
        if hits.count > Self.shown { say(Message("shell.more_hits", ["shown": arg(Self.shown), "n": arg(hits.count)])) }
    }

    func detail(_ hit: SearchIndex.Hit) throws {
        try open.vault.audit("show", records: [hit.id])
        let c = open.vault.forDisplay(hit.customer)
        var rows: [(key: String, value: String)] = [
            ("column.id", hit.id.hex), ("field.name", c.name), ("field.phone", phoneText(c, reveal: reveal)),
        ]
        for (k, v) in [("field.email", c.email), ("field.birthday", c.birthday), ("field.note", c.note)] {
            if let v { rows.append((k, v)) }
        }
        if !c.allergies.isEmpty { rows.append(("field.allergies", c.allergies.joined(separator: ", "))) }
        rows.append(("field.visits", Catalogue.text("shell.visits", ["n": arg(c.visits.count), "last": c.lastVisit ?? "-"])))
        print(card(rows))
    }
}

/// Ends the process when no line has come for `after` seconds, though the
/// input stays open. Exiting is the lock: the key lives in sodium_malloc
/// memory and the decrypted records in ordinary heap, and only the end of
/// the process reliably takes both (core dumps are off, see Hardening).
final class IdleLock: @unchecked Sendable {
    let after: TimeInterval
    private let mutex = NSLock()
    private var last = Date()

    init(after: TimeInterval) { self.after = after }

    func touch() { mutex.withLock { last = Date() } }

    func start() {
        Thread.detachNewThread { [self] in
            while true {
                Thread.sleep(forTimeInterval: min(1, after / 4))
                guard mutex.withLock({ Date().timeIntervalSince(last) }) >= after else { continue }
                Report.line("note", Message("shell.locked", ["seconds": arg(Int(after))]))
                exit(0)
            }
        }
    }
}
