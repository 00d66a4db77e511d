import DangolText
import Foundation
internal import CHardening

/// A private directory for plaintext that must exist as a file for a moment
/// (the editor needs one): on a RAM-backed file system, mode 0700, and wiped
/// and removed afterwards, also when dangol is interrupted or terminated.
final class ScratchDirectory {
    let path: String

    /// Held open and locked while the directory is in use; a directory whose
    /// lock nobody holds belongs to a dangol that was killed (StaleScratch).
    private let lockFD: Int32

    /// /dev/shm, else $XDG_RUNTIME_DIR; both must really be tmpfs or ramfs.
    /// A disk is refused unless `allowDisk`, because deleted plaintext stays
    /// readable on a disk (and in its journal) until overwritten.
    init(allowDisk: Bool) throws {
        guard let base = Self.bases().first(where: Self.isRAMBacked) ?? (allowDisk ? NSTemporaryDirectory() : nil) else {
            throw VaultError.usage(Message("edit.no_ram_directory"))
        }
        // Another dangol sweeping stale directories may take one between its
        // creation and its lock; then a new one is made.
        for _ in 0..<8 {
            var template = ((base.hasSuffix("/") ? base : base + "/") + Self.prefix + "XXXXXX").utf8CString
            guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw VaultError.io(
                    Message("edit.cannot_make_directory", ["path": base, "detail": String(cString: strerror(errno))]))
            }
            let path = String(cString: p)
            chmod(path, 0o700)
            if let fd = Self.lock(path) {
                self.path = path
                lockFD = fd
                ScratchCleanup.arm(path)
                return
            }
            rmdir(path)
        }
        throw VaultError.io(Message("edit.cannot_keep_directory", ["path": base]))
    }

    static let prefix = "dangol-edit."
    static let lockName = ".lock"

    /// /dev/shm, else $XDG_RUNTIME_DIR.
    static func bases() -> [String] {
        var candidates = ["/dev/shm"]
        if let x = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !x.isEmpty { candidates.append(x) }
        return candidates
    }

    /// Creates and locks the directory's lock file; nil when the directory
    /// was swept away meanwhile (the lock is then on a file no longer there).
    private static func lock(_ dir: String) -> Int32? {
        let file = dir + "/" + lockName
        let fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        var mine = stat(), there = stat()
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, fstat(fd, &mine) == 0, lstat(file, &there) == 0,
            mine.st_ino == there.st_ino, mine.st_dev == there.st_dev
        else {
            close(fd)
            return nil
        }
        return fd
    }

    static func isRAMBacked(_ dir: String) -> Bool {
        guard access(dir, W_OK) == 0 else { return false }
        let type = dangol_filesystem_type(dir)
        let tmpfs = 0x0102_1994, ramfs = 0x8584_58f6
        return type == tmpfs || type == ramfs
    }

    /// Overwrites every file in the directory with zeros, then removes it all.
    func wipe() {
        ScratchCleanup.wipe()
        ScratchCleanup.disarm()
    }

    deinit {
        wipe()
        close(lockFD)
    }
}

/// Signal-safe cleanup: SIGTERM and SIGHUP wipe the scratch directory (and
/// stop the editor) before dangol exits; SIGINT and SIGQUIT are left to the
/// editor while it runs, as git does.
enum ScratchCleanup {
    nonisolated(unsafe) static var dir: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var child: pid_t = 0

    static func arm(_ path: String) {
        dir = strdup(path)
        for sig in [SIGTERM, SIGHUP] {
            signal(sig) { sig in
                if ScratchCleanup.child > 0 {
                    kill(ScratchCleanup.child, SIGTERM)
                    // An editor may save an emergency copy as it ends (nano
                    // writes FILE.save): it lands in the directory before
                    // the wipe, not after it. At most 2 s, in 0.1 s steps.
                    var step = timespec(tv_sec: 0, tv_nsec: 100_000_000)
                    for _ in 0..<20 where waitpid(ScratchCleanup.child, nil, WNOHANG) == 0 { nanosleep(&step, nil) }
                }
                ScratchCleanup.wipe()
                _exit(128 + sig)
            }
        }
    }

    static func disarm() {
        signal(SIGTERM, SIG_DFL)
        signal(SIGHUP, SIG_DFL)
        free(dir)
        dir = nil
    }

    /// Only async-signal-safe calls: opendir/readdir are not on POSIX's list
    /// but are safe on glibc for a directory no other thread touches.
    static func wipe() {
        guard let dir else { return }
        wipe(dir)
    }

    /// Zeroes and removes every file in `dir`, then `dir` itself.
    static func wipe(_ dir: UnsafePointer<CChar>) {
        if let d = opendir(dir) {
            var zeros = [UInt8](repeating: 0, count: 4096)
            while let e = readdir(d) {
                var name = e.pointee.d_name
                let file = withUnsafePointer(to: &name) { p -> String in
                    p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if file == "." || file == ".." { continue }
                let full = String(cString: dir) + "/" + file
                let fd = open(full, O_WRONLY | O_NOFOLLOW)
                if fd >= 0 {
                    var st = stat()
                    if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG {
                        var left = Int(st.st_size)
                        while left > 0 {
                            let n = write(fd, &zeros, min(left, zeros.count))
                            if n <= 0 { break }
                            left -= n
                        }
                        fsync(fd)
                    }
                    close(fd)
                }
                unlink(full)
            }
            closedir(d)
        }
        rmdir(dir)
    }
}
