import DangolGit
import Foundation

/// When the working tree and index follow a commit.
///
/// The vault is always read from the history; the working tree and the index
/// only mirror the head so the owner (and `git status`, `git diff`) see a
/// normal repository. In a vault of 100,000 customers the index is a 10 MB
/// file that git rewrites and checksums whole for every change, several times
/// the cost of the commit itself, so the command line leaves that to a
/// background `dangol mirror` after the change is safely committed.
public enum MirrorUpdate: String, Sendable {
    /// Before the command returns (DANGOL_MIRROR=inline; library default).
    case inline
    /// Right after, by a detached `dangol mirror` (the command line's default).
    case deferred
    /// Not at all (bulk generators, which bring it up to date once at the end).
    case none
}

struct Mirror {
    let repo: Repository

    var markerPath: String { repo.gitDirectory + "dangol-mirror" }

    /// The commit the working tree and index show, as last recorded.
    func marker() -> ObjectID? {
        (try? String(contentsOfFile: markerPath, encoding: .utf8))
            .flatMap { ObjectID(hex: $0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func record(_ commit: ObjectID) throws {
        try writeFileAtomically(markerPath, bytes: Array((commit.hex + "\n").utf8))
    }

    /// Updates only the paths that changed since the recorded commit; a full
    /// checkout when that commit is unknown (a new clone, a rewritten history).
    /// The caller holds the write lock.
    func bringUpToDate(head: ObjectID) throws {
        let recorded = marker()
        if recorded == head { return }
        let headTree = try repo.commit(head).tree
        if let recorded, let oldTree = try? repo.commit(recorded).tree {
            var changes: [String: ObjectID?] = [:]
            for path in try repo.changedPaths(from: oldTree, to: headTree) {
                changes[path] = .some(try repo.entry(at: path, inTree: headTree)?.id)
            }
            try repo.syncWorkdir(changes)
        } else {
            try repo.checkoutHead()
        }
        try record(head)
    }

    /// On open: repair a mirror left behind (a crash, a deferred update that
    /// never ran), if no writer is busy right now.
    func repairIfStale() throws {
        guard let head = try repo.resolve(Vault.branch), marker() != head else { return }
        guard let lock = try? WriteLock(gitDirectory: repo.gitDirectory, timeout: 0) else { return }
        defer { withExtendedLifetime(lock) {} }
        try bringUpToDate(head: head)
    }
}

extension Vault {
    /// Brings the working tree up to date now (after `.none` or `.deferred`).
    public func refreshMirror() throws {
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        try mirror.bringUpToDate(head: try head())
        mirrorPending = false
    }
}
