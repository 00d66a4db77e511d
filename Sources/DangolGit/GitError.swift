// DangolGit is the vault's view of a git repository, and the only module that
// talks to libgit2.
internal import CLibgit2
import Foundation

/// libgit2's result codes as a typed value rather than a bare Int32.
public struct GitResult: RawRepresentable, Equatable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let ok = GitResult(rawValue: 0)
    public static let notFound = GitResult(rawValue: GIT_ENOTFOUND.rawValue)
    public static let exists = GitResult(rawValue: GIT_EEXISTS.rawValue)
    public static let locked = GitResult(rawValue: GIT_ELOCKED.rawValue)
    public static let modified = GitResult(rawValue: GIT_EMODIFIED.rawValue)
    public static let unbornBranch = GitResult(rawValue: GIT_EUNBORNBRANCH.rawValue)

    public var description: String { "\(rawValue)" }
}

/// A failed libgit2 call: which function, its result code and libgit2's own message.
public struct GitError: Error, CustomStringConvertible {
    public let function: String
    public let result: GitResult
    public let message: String
    /// errno when the call failed: a full or failing disk shows here, where
    /// libgit2's message may only say "unknown error".
    public var systemError: Int32 = 0

    public var description: String { "\(function) failed (\(result.rawValue)): \(message)" }
}

/// The one path every libgit2 result takes: success passes, anything else
/// becomes a GitError carrying git_error_last().
@discardableResult
func check(_ rc: Int32, _ function: String) throws -> Int32 {
    guard rc < 0 else { return rc }
    let systemError = errno
    var message = "unknown error"
    if let e = git_error_last(), let m = e.pointee.message {
        message = String(cString: m)
    }
    throw GitError(function: function, result: GitResult(rawValue: rc), message: message, systemError: systemError)
}

/// libgit2 global state, set up once per process.
public enum Libgit2 {
    /// Turns fsync of objects and refs off or on for this process. Only the
    /// synthetic-data generator turns it off, to build benchmark vaults of
    /// 100,000 commits quickly; dangol itself always syncs.
    public static func setFsync(_ on: Bool) {
        _ = setUp
        fsyncEnabled = on
        _ = dangol_git_enable_fsync(on ? 1 : 0)
    }

    nonisolated(unsafe) static var fsyncEnabled = true

    /// Runs `body` without fsync. Only for files derived from the history
    /// (the index), which dangol rebuilds after a crash: syncing 10 MB of
    /// index in a 100,000-customer vault would double the cost of a commit.
    static func withoutFsync<T>(_ body: () throws -> T) rethrows -> T {
        _ = dangol_git_enable_fsync(0)
        defer { _ = dangol_git_enable_fsync(fsyncEnabled ? 1 : 0) }
        return try body()
    }

    public static let setUp: Void = {
        git_libgit2_init()
        // Every object, ref and index write is fsync'ed: a power cut must not
        // leave a ref pointing at an object that never reached the disk.
        _ = dangol_git_enable_fsync(1)
        // The vault's behaviour must not depend on the user's ~/.gitconfig or
        // /etc/gitconfig (a hostile or odd config could redirect hooks, paths).
        _ = dangol_git_set_search_path(GIT_CONFIG_LEVEL_GLOBAL, "")
        _ = dangol_git_set_search_path(GIT_CONFIG_LEVEL_XDG, "")
        _ = dangol_git_set_search_path(GIT_CONFIG_LEVEL_SYSTEM, "")
        _ = dangol_git_set_search_path(GIT_CONFIG_LEVEL_PROGRAMDATA, "")
    }()
}
