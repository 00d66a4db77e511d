import DangolText
import Foundation
internal import CHardening

/// A private directory for plaintext that must exist as a file for a moment
/// (the editor needs one): on a RAM-backed file system, mode 0700, and wiped
/// and removed afterwards, also when dangol is interrupted or terminated.
final class ScratchDirectory {
    let path: String

    /// /dev/shm, else $XDG_RUNTIME_DIR; both must really be tmpfs or ramfs.
    /// A disk is refused unless `allowDisk`, because deleted plaintext stays
    /// readable on a disk (and in its journal) until overwritten.
    init(allowDisk: Bool) throws {
        var candidates = ["/dev/shm"]
        if let x = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !x.isEmpty { candidates.append(x) }
        guard let base = candidates.first(where: Self.isRAMBacked) ?? (allowDisk ? NSTemporaryDirectory() : nil) else {
            throw VaultError.usage(Message("edit.no_ram_directory"))
        }
        var template = ((base.hasSuffix("/") ? base : base + "/") + "dangol-edit.XXXXXX").utf8CString
        guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw VaultError.io(Message("edit.cannot_make_directory", ["path": base, "detail": String(cString: strerror(errno))]))

        }
        path = String(cString: p)
        chmod(path, 0o700)
        ScratchCleanup.arm(path)
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

    deinit { wipe() }
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
                if ScratchCleanup.child > 0 { kill(ScratchCleanup.child, SIGTERM) }
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
        if let d = opendir(dir) {
            var zeros = [UInt8](repeating: 0, count: 4096)
            while let e = readdir(d) {
                var name = e.pointee.d_name
                let file = withUnsafePointer(to: &name) { p -> String in
                    p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if file == "." || file == ".." { continue }
                let full = String(cString: dir) + "/" + file
                let fd = open(full, O_WRONLY)
                if fd >= 0 {
                    var st = stat()
                    if fstat(fd, &st) == 0 {
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
