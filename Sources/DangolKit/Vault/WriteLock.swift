import DangolText
import Foundation

/// One writer at a time: an exclusive flock on .git/dangol.lock. The kernel
/// drops it when the process dies, so a killed dangol never leaves the vault
/// locked. A second writer waits a little, then fails with a clear message.
public final class WriteLock {
    private let fd: Int32

    init(gitDirectory: String, timeout: TimeInterval, file: String = "dangol.lock",
         busy: Message = Message("lock.busy")) throws {
        let path = gitDirectory + file
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw VaultError.io(Message("lock.cannot_open", ["path": path, "detail": String(cString: strerror(errno))]))
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw VaultError.conflict(Message("lock.waited", ["seconds": arg(Int(timeout))], parts: ["busy": busy]))

            }
            usleep(20_000)
        }
        if file == "dangol.lock" { Self.removeStaleGitLocks(gitDirectory) }
    }

    /// libgit2 writes a ref or the index through `<name>.lock`, renamed into
    /// place; a dangol killed in between leaves that file, and every later
    /// update would fail as if another writer were busy. Every dangol write
    /// happens under this lock, so once we hold it such a file is a dead
    /// process's leftover, and it goes.
    static func removeStaleGitLocks(_ gitDirectory: String) {
        for name in ["refs/heads/main.lock", "refs/dangol/audit.lock", "packed-refs.lock", "HEAD.lock", "index.lock"] {
            unlink(gitDirectory + name)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// DANGOL_LOCK_TIMEOUT (seconds) overrides the default wait of 10 s.
    public static var defaultTimeout: TimeInterval {
        if let s = ProcessInfo.processInfo.environment["DANGOL_LOCK_TIMEOUT"], let t = Double(s), t >= 0 { return t }
        return 10
    }
}
