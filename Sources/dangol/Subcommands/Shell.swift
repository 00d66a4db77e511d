import ArgumentParser
import DangolKit
import DangolText
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

/// The shell's loop: one line, one command, answered from the index. Typed
/// at a terminal, lines are edited with the arrow keys and Up/Down recall
/// earlier ones, from memory only: no history file is ever written.
final class ShellSession {
    static let shown = 50
    let open: OpenIndex
    let reveal: Bool
    let lock: IdleLock
    /// The line editor when a person types; nil when a script pipes lines in.
    let editor: LineEditor?
    /// Where the questions of `add` and `visit` are answered.
    let asker: Asking

    init(open: OpenIndex, reveal: Bool, idle: TimeInterval) {
        self.open = open
        self.reveal = reveal
        lock = IdleLock(after: idle)
        editor = Terminal.standardStreams().map(LineEditor.init)
        asker = Answering(editor ?? PipedAnswers(), lock: lock)
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

    /// The next command line; nil at the end of input.
    func nextLine() -> String? {
        guard let editor else { return readLine() }
        while true {
            do { return try editor.read(prompt: "dangol> ", remember: true) } catch { continue }  // Ctrl-C: a fresh line
        }
    }

    func run() throws {
        lock.start()
        if editor != nil {
            print("dangol shell: " + Catalogue.text("shell.welcome", ["n": arg(open.index.count), "seconds": arg(Int(lock.after))]))
        }
        while true {
            fflush(stdout)
            guard let line = nextLine() else { return }
            lock.touch()
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            guard let first = parts.first else { continue }
            // A line that names no command is a search: at the counter the
            // owner types the four digits or the name, nothing else.
            let named = Self.command(first)
            let cmd = named ?? "search"
            if cmd == "quit" { return }
            let rest = named == nil ? line.trimmingCharacters(in: .whitespaces)
                : parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            do {
                if try open.refresh() { Report.line("note", Message("shell.vault_changed", ["n": arg(open.index.count)])) }
                try answer(cmd, rest)
            } catch let cancelled as Interrupted {
                Report.line("note", cancelled.message)
            } catch {
                Report.line("error", .of(error))
            }
            lock.touch()  // a long answer or a long interview is not idle time
            fflush(stdout)
        }
    }

    func table(_ hits: [SearchIndex.Hit]) throws {
        try open.vault.audit("search", records: hits.prefix(Self.shown).map(\.id))
        try Results.print(hits.prefix(Self.shown).map { ($0.id, $0.customer) }, json: false, reveal: reveal)
        if hits.count > Self.shown { say(Message("shell.more_hits", ["shown": arg(Self.shown), "n": arg(hits.count)])) }
    }

    func detail(_ hit: SearchIndex.Hit) throws {
        try open.vault.audit("show", records: [hit.id])
        print(Card.render(open.vault.forDisplay(hit.customer), id: hit.id, reveal: reveal))
    }
}

/// Each answer to a question of `add` or `visit` counts as input, so the
/// lock waits for a person who is still typing, not for a whole interview.
final class Answering: Asking {
    let base: Asking
    let lock: IdleLock

    init(_ base: Asking, lock: IdleLock) {
        self.base = base
        self.lock = lock
    }

    func ask(_ prompt: String) throws -> String? {
        defer { lock.touch() }
        return try base.ask(prompt)
    }

    func tell(_ line: String) { base.tell(line) }
}

/// Ends the process when no line has come for `after` seconds, though the
/// input stays open. Exiting is the lock: the key lives in sodium_malloc
/// memory and the decrypted records in ordinary heap, and only the end of
/// the process reliably takes both (core dumps are off, see Hardening). A
/// terminal in raw mode is put back first (TerminalGuard's exit hook).
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
