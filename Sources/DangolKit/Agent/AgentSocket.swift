internal import CHardening
import DangolCrypto
import DangolText
import Foundation

/// Where the unlock agent of a vault listens, and the socket calls both
/// ends share. One socket per user and vault: in $XDG_RUNTIME_DIR/dangol
/// (a per-user tmpfs the system made 0700), else /tmp/dangol-UID, made 0700
/// here and refused if anyone else owns it or it is not a plain directory.
enum AgentSocket {
    /// The directory, made if `create` (by the agent) and else only
    /// checked: a client finds no agent rather than making a directory.
    static func directory(create: Bool) throws -> String {
        let uid = getuid()
        var dir = "/tmp/dangol-\(uid)"
        if let run = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], run.hasPrefix("/"),
            privateDirectory(run, uid: uid)
        {
            dir = run + "/dangol"
        }
        if create {
            try makePrivate(dir, uid: uid)
        } else if !privateDirectory(dir, uid: uid) {
            throw VaultError.notFound(Message("agent.no_directory", ["path": dir]))
        }
        return dir
    }

    /// The socket of the vault at `vaultPath` (absolute). Named by a hash of
    /// the path: the name says nothing about the salon.
    static func path(vaultPath: String, create: Bool = false) throws -> String {
        try directory(create: create) + "/" + String(Hash.blake2b(Array(vaultPath.utf8)).prefix(24)) + ".sock"
    }

    private static func privateDirectory(_ path: String, uid: uid_t) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR && st.st_uid == uid && st.st_mode & 0o077 == 0
    }

    private static func makePrivate(_ dir: String, uid: uid_t) throws {
        if mkdir(dir, 0o700) != 0 && errno != EEXIST {
            throw VaultError.io(Message("agent.cannot_make_directory", ["path": dir, "detail": String(cString: strerror(errno))]))
        }
        guard privateDirectory(dir, uid: uid) else {
            throw VaultError.io(Message("agent.directory_not_private", ["path": dir]))
        }
    }

    /// A Unix stream socket address for `path`.
    static func address(_ path: String) throws -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { throw VaultError.io(Message("agent.path_too_long", ["path": path])) }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return addr
    }

    static func withAddress<R>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) throws -> R {
        var addr = try address(path)
        return try withUnsafePointer(to: &addr) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    static func peerUID(_ fd: Int32) -> Int { dangol_peer_uid(fd) }

    /// Gives up on a peer that goes quiet, so one stuck client cannot hold
    /// the agent (or the agent hold a client) for ever.
    static func setTimeouts(_ fd: Int32, seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads one short line (a request, a reply, a slot id: at most 32 bytes).
    static func readLine(_ fd: Int32) -> String? {
        var out = [UInt8]()
        var c: UInt8 = 0
        while out.count <= 32 {
            let n = read(fd, &c, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            if c == 0x0A { return String(decoding: out, as: UTF8.self) }
            out.append(c)
        }
        return nil
    }

    static func writeAll(_ fd: Int32, _ p: UnsafeRawBufferPointer) -> Bool {
        guard let base = p.baseAddress else { return true }
        var done = 0
        while done < p.count {
            let n = write(fd, base + done, p.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    static func readExactly(_ fd: Int32, into p: UnsafeMutableRawBufferPointer) -> Bool {
        guard let base = p.baseAddress else { return true }
        var done = 0
        while done < p.count {
            let n = read(fd, base + done, p.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}
