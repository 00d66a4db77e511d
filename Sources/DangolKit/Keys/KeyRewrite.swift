import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// What a passphrase change or a rekey did to the history.
public struct KeyRewriteReport: Sendable {
    public var commitsRewritten: Int
    public var objectsRemoved: Int
    public var objectsScanned: Int
    /// Old objects still found after the purge (0 when it worked).
    public var remnantsFound: Int
    public var head: String
}

extension Vault {
    /// The steps a key change shares with erasure, in the same order and
    /// for the same reason (see Erase.swift): the new history is written
    /// first, then `finish` adds the commit that carries the new key
    /// material on top of the rewritten branch, the rewrite is logged for
    /// the remotes, every ref switches at once, the working tree follows,
    /// and the objects of the old history are purged and looked for.
    /// A process killed before the switch leaves the old history whole;
    /// after it, the new history with the old objects unreachable until
    /// the next purge.
    func switchToRewritten(
        references: [ReferenceUpdate], commitsRewritten: Int, operation: String, removedBlobs: Set<ObjectID>,
        needles: [[UInt8]], everyFileChanged: Bool = false,
        top: (_ newHead: ObjectID) throws -> (commit: ObjectID, workdir: [String: ObjectID?])
    ) throws -> KeyRewriteReport {
        var updates = references
        guard let main = updates.firstIndex(where: { $0.name == Self.branch }), let rewritten = updates[main].new else {
            throw VaultError.integrity(
                file: Self.branch, reason: Message("rewrite.lost_branch"))
        }
        let (newHead, changes) = try top(rewritten)
        updates[main].new = newHead
        try RewriteLog.record(repo, operation: operation, refs: updates.map(\.name))
        unlink(gitDirectory + "packed-refs.lock")
        do { try repo.switchReferences(updates) } catch let e as GitError
            where e.result == .modified || e.result == .locked
        {
            throw VaultError.conflict(Message("rewrite.references_changed", ["operation": operation, "detail": e.message]))
        }
        // The index cache is sealed under subkeys a rekey replaces, and names
        // the old head: it is rebuilt by the next search.
        unlink(IndexCache.path(repo))
        // After a rekey every record file differs: the working tree and the
        // index (which names the old blob ids) are written anew.
        if everyFileChanged { try repo.checkoutHead() } else { try repo.syncWorkdir(changes) }
        try mirror.record(newHead)
        try repo.dropHistoryTrails()
        let purge = try repo.purgeUnreachable()
        let scan = try repo.scanForRemnants(ids: removedBlobs, needles: needles)
        return KeyRewriteReport(
            commitsRewritten: commitsRewritten, objectsRemoved: purge.objectsRemoved,
            objectsScanned: scan.objectsScanned, remnantsFound: scan.total, head: newHead.hex)
    }

    /// A commit of `files` on `parent`, sealed and authored as `commit` does,
    /// without moving any ref.
    /// `after` is the access log's tip it follows (its entry comes next).
    func looseCommit(operation: String, parent: ObjectID, files: [String: [UInt8]], summary: ChangeSummary,
                     key: VaultKey, after: AuditTip?) throws -> (commit: ObjectID, workdir: [String: ObjectID?])
    {
        var changes: [String: ObjectID?] = [:]
        for (path, bytes) in files { changes[path] = try repo.writeBlob(bytes) }
        let tree = try repo.editTree(base: try repo.commit(parent).tree, changes: changes)
        let sealed = try summary.seal(tree: tree, after: after, key: key)
        let message = CommitMessage(operation: operation, records: [], sealedSummary: sealed, auditAfter: after)
        let commit = try repo.createCommit(
            tree: tree, parents: [parent], authorName: person.name,
            authorEmail: person.email, message: message.text)
        return (commit, changes)
    }
}
