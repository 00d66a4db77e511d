import Foundation

/// A dangol killed while the editor was open (SIGKILL, a power cut on a
/// machine whose /dev/shm survives, an out-of-memory kill) leaves its
/// scratch directory with the decrypted document in it: its SIGTERM handler
/// never ran. Every dangol start sweeps such directories away.
public enum StaleScratch {
    /// A directory without a lock file (made by a dangol before locks, or
    /// killed between creating it and locking it) is left alone this long:
    /// a dangol of another build may still be editing in it.
    static let unlockedGrace: TimeInterval = 24 * 3600

    /// Wipes every scratch directory of this user whose dangol is gone;
    /// returns how many. Never fails: a sweep that cannot read a directory
    /// leaves it for the next start.
    @discardableResult
    public static func sweep(now: Date = Date()) -> Int {
        var bases = ScratchDirectory.bases()
        bases.append(NSTemporaryDirectory())
        var wiped = 0
        for base in Set(bases.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { continue }
            for name in names where name.hasPrefix(ScratchDirectory.prefix) {
                if wipeIfStale(base + "/" + name, now: now) { wiped += 1 }
            }
        }
        return wiped
    }

    private static func wipeIfStale(_ dir: String, now: Date) -> Bool {
        var st = stat()
        // Only our own real directories: never a symlink someone planted.
        guard lstat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == getuid() else { return false }
        let lockFile = dir + "/" + ScratchDirectory.lockName
        let fd = open(lockFile, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let changed = Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec))
            guard errno == ENOENT, now.timeIntervalSince(changed) > unlockedGrace else { return false }
            dir.withCString { ScratchCleanup.wipe($0) }
            return true
        }
        defer { close(fd) }
        // The dangol that made it holds this lock until it has wiped it.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        dir.withCString { ScratchCleanup.wipe($0) }
        return true
    }
}
