import ArgumentParser
import DangolKit
import Foundation

struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "An interactive prompt that keeps the vault unlocked and indexed; locks itself when idle.",
        discussion: """
            Commands: search QUERY, show ID|QUERY, list, reindex, help, quit. Lines come from standard
            input, so a script can pipe questions in. A change another dangol makes is picked up at the
            next question. After --idle-timeout without input the shell locks: it exits, and the key
            and every decrypted record go with the process.
            """)

    @Option(help: "Lock after this long without input: 30s, 10m, 1h.") var idleTimeout: String = "10m"
    @Flag(help: "Show phone numbers in full.") var reveal = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if ShellSession.seconds(idleTimeout) == nil { throw ValidationError("--idle-timeout takes 30s, 10m or 1h") }
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
        for f in open.failures { Report.line("error", "\(f)") }
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
        if tty { print("dangol shell: \(open.index.count) customers; locks after \(Int(lock.after)) s idle; help lists commands") }
        while true {
            if tty { Swift.print("dangol> ", terminator: ""); fflush(stdout) }
            guard let line = readLine() else { return }
            lock.touch()
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            guard let cmd = parts.first else { continue }
            if cmd == "quit" || cmd == "exit" { return }
            do {
                if try open.refresh() { Report.line("note", "the vault changed; \(open.index.count) customers indexed") }
                try answer(cmd, parts.count > 1 ? parts[1] : "")
                lock.touch()  // a long answer is not idle time
            } catch {
                Report.line("error", "\(error)")
            }
            fflush(stdout)
        }
    }

    func answer(_ cmd: String, _ arg: String) throws {
        switch cmd {
        case "help": print("search QUERY · show ID|QUERY · list · reindex · quit   (dangol search --help explains queries)")
        case "search":
            let hits = try open.search(arg)
            // A search that finds nobody is logged too: many of them in a
            // row are what probing for a number looks like (audit review).
            if hits.isEmpty {
                try open.vault.audit("search", records: [])
                return Report.line("note", "no customer matches \"\(arg)\"")
            }
            try table(hits)
        case "show":
            do { try detail(try open.find(arg)) } catch VaultError.ambiguous(let q, let ids) {
                try table(ids.compactMap { open.index.hit(for: $0) })
                throw VaultError.ambiguous(query: q, candidates: ids)
            }
        case "list": try table(open.index.all())
        case "reindex":
            try open.refresh(force: true)
            print("\(open.index.count) customers indexed")
        default: Report.line("error", "unknown command \"\(cmd)\"; help lists them")
        }
    }

    func table(_ hits: [SearchIndex.Hit]) throws {
        try open.vault.audit("search", records: hits.prefix(Self.shown).map(\.id))
        try Results.print(hits.prefix(Self.shown).map { ($0.id, $0.customer) }, json: false, reveal: reveal)
        if hits.count > Self.shown { print("\(Self.shown) of \(hits.count) shown; add a word or a filter to narrow") }
    }

    func detail(_ hit: SearchIndex.Hit) throws {
        try open.vault.audit("show", records: [hit.id])
        let c = open.vault.forDisplay(hit.customer)
        var rows = [["id", hit.id.hex], ["name", c.name], ["phone", phoneText(c, reveal: reveal)]]
        for (k, v) in [("email", c.email), ("birthday", c.birthday), ("note", c.note)] { if let v { rows.append([k, v]) } }
        if !c.allergies.isEmpty { rows.append(["allergies", c.allergies.joined(separator: ", ")]) }
        rows.append(["visits", "\(c.visits.count), last \(c.lastVisit ?? "-")"])
        print(Table.render(header: ["", ""], rows: rows).split(separator: "\n").dropFirst().joined(separator: "\n"))
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
                Report.line("note", "locked after \(Int(after)) s without input")
                exit(0)
            }
        }
    }
}
