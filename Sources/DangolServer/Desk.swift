import DangolCrypto
import DangolKit
import Foundation

/// The front desk's state: the one-time link, the one browser session it
/// was traded for, and, while someone is signed in, their unlocked vault
/// with its index. Everything here is touched only on `queue`, one request
/// at a time: the vault's operations are blocking and a salon has one desk.
final class Desk: @unchecked Sendable {
    let vaultPath: String
    let idle: TimeInterval
    private let queue = DispatchQueue(label: "dangol.desk")
    private var timer: DispatchSourceTimer?

    /// The link's token until a browser trades it; nil afterwards.
    private var linkToken: String?
    private(set) var session: Session?
    /// `Host` values this server answers to (its own address and port),
    /// set once the sockets are bound; read on the server's threads.
    private var hosts: Set<String> = []
    private let hostsLock = NSLock()

    /// The browser session: its cookie, its CSRF token, and who is working.
    final class Session {
        let id = Token.make()
        let csrf = Token.make()
        var open: OpenIndex?
        var lastActive = Date()
    }

    /// The working tree and git index follow the vault's head a moment
    /// after the last request rather than with each one: every search
    /// commits its access-log entry, and rewriting the git index for each
    /// keystroke would cost more than the search (see Vault/Mirror.swift).
    static let mirrorDelay: TimeInterval = 2

    init(vaultPath: String, idle: TimeInterval) {
        self.vaultPath = vaultPath
        self.idle = idle
        linkToken = Token.make()
    }

    /// The token of the printed link (read once, before serving).
    var link: String { queue.sync { linkToken ?? "" } }

    func answer(hosts: Set<String>) { hostsLock.withLock { self.hosts.formUnion(hosts) } }

    var hostsSnapshot: Set<String> { hostsLock.withLock { hosts } }

    /// Runs `body` on the desk's queue, off the server's threads.
    func perform<T>(_ body: @escaping (Desk) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            queue.async { c.resume(with: Result { try body(self) }) }
        }
    }

    /// Trades the link's token for the session, once. A second use of the
    /// link (another browser, a leaked history entry) gets nothing.
    func trade(_ token: String) -> Session? {
        guard let expected = linkToken, Token.equal(token, expected) else { return nil }
        linkToken = nil
        let s = Session()
        session = s
        return s
    }

    func session(cookie: String?) -> Session? {
        guard let s = session, Token.equal(cookie, s.id) else { return nil }
        return s
    }

    /// Starts the idle clock: once a second, on the desk's queue.
    func startIdleClock() {
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + 1, repeating: 1)
        t.setEventHandler { [weak self] in
            guard let self, let s = self.session, let open = s.open else { return }
            let quiet = Date().timeIntervalSince(s.lastActive)
            if quiet >= Self.mirrorDelay, open.vault.mirrorPending { try? open.vault.refreshMirror() }
            if quiet >= self.idle { self.lock() }
        }
        t.resume()
        timer = t
    }

    /// Locks: the index's text is overwritten, the index, the vault and its
    /// key are dropped (guarded memory is zeroed as it is freed), and the
    /// unlock agent, if one holds this vault's key, is told to lock too, so
    /// that "locked" on the page means no dangol of this user holds the key.
    func lock() {
        guard let s = session, let open = s.open else { return }
        if open.vault.mirrorPending { try? open.vault.refreshMirror() }
        open.close()
        s.open = nil
        AgentClient.lock(vaultPath: vaultPath)
    }
}
