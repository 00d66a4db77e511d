import DangolCrypto
import DangolGit
import Foundation

/// A change and its access-log entry move two refs, the branch first: a
/// process killed between the two leaves a saved change without its entry.
/// Each change's commit names the log's tip it followed, sealed into its
/// summary, so such a change is the head of the branch naming the log's
/// current tip. Before anything else is appended to the log (and as a vault
/// is opened) it gets its entry, marked recovered: the person, time, action
/// and records come from its commit.
extension Vault {
    /// Writes the entries of the changes at the head that lack them, oldest
    /// first. The caller holds the write lock.
    func recoverAccessLog() throws {
        var end = try auditEnd()
        var missing = [(CommitInfo, CommitMessage)]()
        try repo.walkFirstParents(from: try head()) { id in
            let info = try repo.commit(id)
            let message = CommitMessage.parse(info.message)
            // The first commit has nothing before it to follow; a commit
            // whose summary does not open was not made by dangol (check and
            // audit verify name it) and is not taken at its word.
            guard !info.parents.isEmpty, message.auditAfter == end.tip,
                (try? message.openSummary(tree: info.tree, key: key)) != nil
            else { return false }
            missing.append((info, message))
            return true
        }
        for (info, message) in missing.reversed() {
            let entry = try writeEntry(message.operation, records: message.records, recovered: info, after: end)
            end = try publishEntry(entry, over: end)
        }
    }

    /// The same at open, if no other writer is busy (one that is recovers
    /// before its own entry). Best effort: a full disk leaves the entry to
    /// the next command, and the command that opened goes on.
    func recoverAccessLogIfIdle() {
        guard !accessLogOnBranch, let lock = try? WriteLock(gitDirectory: gitDirectory, timeout: 0) else { return }
        defer { withExtendedLifetime(lock) {} }
        try? recoverAccessLog()
    }
}
