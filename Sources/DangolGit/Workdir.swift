import Foundation
internal import CLibgit2

/// The working tree is a mirror of the branch head for the owner to look at;
/// the vault itself is always read from the object database. These keep the
/// mirror and the index in step with a commit.
extension Repository {
    /// Writes changed files into the working tree and the index. A path
    /// mapped to nil is removed (with any directory it leaves empty).
    public func syncWorkdir(_ changes: [String: ObjectID?]) throws {
        var index: OpaquePointer?
        if git_repository_index(&index, pointer) < 0 {
            // The index is derived and written without fsync: after a power
            // cut it may be damaged. Rebuild it (and the tree) from HEAD.
            unlink(gitDirectory + "index")
            return try checkoutHead()
        }
        defer { git_index_free(index) }
        let fm = FileManager.default
        for (path, blob) in changes.sorted(by: { $0.key < $1.key }) {
            let full = workdir + path
            if let blob {
                let dir = (full as NSString).deletingLastPathComponent
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                       attributes: [.posixPermissions: 0o700])
                try writeFileAtomically(full, bytes: readBlob(blob))
                try check(git_index_add_bypath(index, path), "git_index_add_bypath")
            } else {
                if fm.fileExists(atPath: full) { try fm.removeItem(atPath: full) }
                let rc = git_index_remove_bypath(index, path)
                if rc != GIT_ENOTFOUND.rawValue { try check(rc, "git_index_remove_bypath") }
                var dir = (full as NSString).deletingLastPathComponent
                while dir.count > workdir.count, (try? fm.contentsOfDirectory(atPath: dir))?.isEmpty == true {
                    try? fm.removeItem(atPath: dir)
                    dir = (dir as NSString).deletingLastPathComponent
                }
            }
        }
        try Libgit2.withoutFsync { try check(git_index_write(index), "git_index_write") }
    }

    /// Makes the working tree and index match HEAD exactly (after a crash
    /// between a commit and its mirror update, or after a history rewrite).
    public func checkoutHead() throws {
        var opts = git_checkout_options()
        try check(git_checkout_options_init(&opts, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        opts.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        try check(git_checkout_head(pointer, &opts), "git_checkout_head")
    }
}

/// Writes through a temporary file and rename, so a reader never sees half a file.
public func writeFileAtomically(_ path: String, bytes: [UInt8], mode: UInt32 = 0o600) throws {
    try writeFileAtomically(path, parts: [bytes], mode: mode)
}

/// The same, for a file written in parts: a large file need not be joined
/// into one more copy in memory first.
public func writeFileAtomically(_ path: String, parts: [[UInt8]], mode: UInt32 = 0o600) throws {
    try writeFileAtomically(path, mode: mode) { write in try parts.forEach(write) }
}

/// The same, for a file produced piece by piece: `body` calls `write` as
/// often as it likes; if it throws, nothing replaces the old file.
public func writeFileAtomically(_ path: String, mode: UInt32 = 0o600, _ body: (_ write: ([UInt8]) throws -> Void) throws -> Void)
    throws
{
    let tmp = path + ".tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
    guard fd >= 0 else { throw FileError.last(path: tmp) }
    do {
        try body { part in
            try part.withUnsafeBytes { buf in
                var off = 0
                while off < buf.count {
                    let n = write(fd, buf.baseAddress! + off, buf.count - off)  // count > 0, so a base exists
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw FileError(errno, path: path) }
                    off += n
                }
            }
        }
    } catch {
        close(fd)
        unlink(tmp)
        throw error
    }
    if fsync(fd) != 0 {
        let err = errno
        close(fd)
        unlink(tmp)
        throw FileError(err, path: path)
    }
    close(fd)
    guard rename(tmp, path) == 0 else {
        let e = FileError.last(path: path)
        unlink(tmp)
        throw e
    }
}

/// A system call that failed on a file: which file, and errno. (Foundation's
/// POSIXError on Linux drops its userInfo, and with it the path.)
public struct FileError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32

    public init(_ code: Int32, path: String) {
        self.code = code
        self.path = path
    }

    public var description: String { "\(path): \(String(cString: strerror(code)))" }

    static func last(path: String) -> FileError { FileError(errno, path: path) }
}
