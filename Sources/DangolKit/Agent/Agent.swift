import DangolCrypto
import DangolText
import Foundation

/// The unlock agent: a process of its own (`dangol agent`, started by
/// `dangol unlock`) that keeps one vault's key so the next commands need no
/// passphrase. It holds the key in sodium_malloc'd memory (guarded, mlocked,
/// zeroed when freed), cannot dump core or be traced (ProcessHardening runs
/// first in every dangol process), answers only processes of its own user
/// (SO_PEERCRED), and ends itself, wiping the key, after `idle` seconds
/// without a request or when `dangol lock` asks. It never touches the vault.
///
/// Protocol, one request per connection: "key\n" is answered with
/// "ok <slot id>\n" and the 32 key bytes; "lock\n" with "locked\n", then the
/// agent ends.
public enum UnlockAgent {
    nonisolated(unsafe) static var boundPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var boundInode: ino_t = 0

    /// Reads the slot id line and the key from standard input (a pipe from
    /// `dangol unlock`: never argv, never the environment), then serves.
    public static func serve(vaultPath: String, idle: TimeInterval) -> Never {
        var status: Int32 = 0
        do { try run(vaultPath: vaultPath, idle: idle) } catch { status = 1 }
        exit(status)
    }

    private static func run(vaultPath: String, idle: TimeInterval) throws {
        guard let slotLine = AgentSocket.readLine(0), slotLine.count == 16, slotLine.allSatisfy(\.isHexDigit) else {
            throw VaultError.usage(Message("agent.started_by_unlock"))
        }
        let key = try SecureBytes(count: VaultKey.byteCount)
        guard key.withUnsafeMutableBytes({ AgentSocket.readExactly(0, into: $0) }) else {
            throw VaultError.usage(Message("agent.started_by_unlock"))
        }
        let devNull = open("/dev/null", O_RDWR)
        dup2(devNull, 0)
        // Its own session: closing the terminal that started it does not end it.
        setsid()
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)

        let path = try AgentSocket.path(vaultPath: vaultPath, create: true)
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw VaultError.io(Message("agent.call_failed", ["call": "socket", "detail": String(cString: strerror(errno))])) }
        unlink(path)
        guard try AgentSocket.withAddress(path, { bind(listener, $0, $1) }) == 0 else {
            throw VaultError.io(Message("agent.call_failed", ["call": "bind " + path, "detail": String(cString: strerror(errno))]))
        }
        // umask 077 already leaves 0700; a socket needs no execute bit.
        chmod(path, 0o600)
        var st = stat()
        stat(path, &st)
        boundInode = st.st_ino
        boundPath = strdup(path)
        for sig in [SIGTERM, SIGINT] {
            signal(sig) { _ in
                UnlockAgent.removeSocket()
                _exit(0)
            }
        }
        guard listen(listener, 8) == 0 else { throw VaultError.io(Message("agent.call_failed", ["call": "listen", "detail": String(cString: strerror(errno))])) }
        _ = "ready\n".withCString { write(1, $0, 6) }
        dup2(devNull, 1)
        dup2(devNull, 2)

        let me = Int(getuid())
        var deadline = Date().addingTimeInterval(idle)
        serving: while true {
            let wait = deadline.timeIntervalSinceNow
            if wait <= 0 { break }
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(wait * 1000, 60_000).rounded(.up)))
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            // The agent never starts another program: no close-on-exec needed.
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            defer { close(client) }
            // Only the same user: another user never learns the key, even
            // if the directory's protection were got round.
            guard AgentSocket.peerUID(client) == me else { continue }
            AgentSocket.setTimeouts(client, seconds: 2)
            switch AgentSocket.readLine(client) {
            case "key":
                let header = Array("ok \(slotLine)\n".utf8)
                _ = header.withUnsafeBytes { AgentSocket.writeAll(client, $0) }
                _ = key.withUnsafeBytes { AgentSocket.writeAll(client, $0) }
                deadline = Date().addingTimeInterval(idle)
            case "lock":
                _ = Array("locked\n".utf8).withUnsafeBytes { AgentSocket.writeAll(client, $0) }
                break serving
            default:
                continue
            }
        }
        removeSocket()
        close(listener)
        // `key` is freed here: sodium_free zeroes it before unmapping.
        withExtendedLifetime(key) {}
    }

    /// Removes the socket, unless a newer agent has put its own in its place.
    static func removeSocket() {
        guard let p = boundPath else { return }
        var st = stat()
        if stat(p, &st) == 0 && st.st_ino == boundInode { unlink(p) }
    }
}
