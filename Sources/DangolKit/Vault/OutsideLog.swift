import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// Commits on the access log's ref that dangol did not write. Only dangol
/// appends to the log, each entry a commit of one shape (SECURITY.md
/// section 4): one parent, the tree of the one before, and in its message
/// an entry's line that opens under the key. A commit put there with plain
/// git has no such line (it cannot seal one), or changes the tree. Nothing
/// is appended above one, and the owner cannot accept it: `dangol reject`
/// sets it aside.
extension Vault {
    /// The commits at the top of the log's ref that dangol did not write,
    /// newest first, and the newest under them that it did (nil when none is).
    func outsideLogCommitsAtTip() throws -> (commits: [ObjectID], lastGood: ObjectID?) {
        guard var at = try repo.resolve(Self.auditRef) else { return ([], nil) }
        var out = [ObjectID]()
        while true {
            let info = try repo.commit(at)
            if try isLogCommitOfOurs(info) { return (out, at) }
            out.append(at)
            guard let parent = info.parents.first else { return (out, nil) }
            at = parent
        }
    }

    /// One commit of the log's ref checked in full: its shape, and its
    /// entry opened. The ref's first commit may instead hold the files of
    /// a log migrated from format 1 (their lines are `audit verify`'s), or
    /// none (that log was empty).
    private func isLogCommitOfOurs(_ c: CommitInfo) throws -> Bool {
        guard c.parents.count <= 1 else { return false }
        guard let line = Self.entryLine(in: Array(c.message.utf8)) else { return c.parents.isEmpty }
        if let parent = c.parents.first, try repo.commit(parent).tree != c.tree { return false }
        return (try? decodeAudit(line)) != nil
    }

    /// The log's commits at the top that dangol did not write, as problems
    /// found at open (each named as git shows it).
    func outsideLogProblems() throws -> [IntegrityProblem] {
        try outsideLogCommitsAtTip().commits.map { id in
            let c = try outsideCommit(id)
            return IntegrityProblem(
                file: "\(Self.auditRef) commit \(c.id)", reason: Message("commit.outside", ["author": c.author, "date": c.date]))
        }
    }

    /// Sets the log's commits that dangol did not write aside, as `reject`
    /// does a branch's: the ref goes back to the newest commit dangol wrote
    /// (or goes, when there is none), and the others are kept under `kept`
    /// unless it is nil. The caller holds the write lock.
    func rejectLogCommits(_ commits: [ObjectID], lastGood: ObjectID?, keptAt kept: String?) throws {
        guard let tip = commits.first else { return }
        if let kept { try repo.updateReference(kept, to: tip, expected: nil, logMessage: "dangol: reject") }
        WriteLock.removeStaleGitLocks(gitDirectory)
        unlink(gitDirectory + "packed-refs.lock")
        do {
            try repo.switchReferences([ReferenceUpdate(name: Self.auditRef, old: tip, new: lastGood)])
        } catch let e as GitError where [.modified, .exists, .locked].contains(e.result) {
            throw VaultError.conflict(Message("reject.changed_meanwhile", ["detail": e.message]))
        }
    }
}
