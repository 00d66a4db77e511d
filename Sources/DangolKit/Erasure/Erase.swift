import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// Erasure: a customer removed from every version the vault has ever had.
///
/// The order of the steps is what makes a crash harmless: (1) the new
/// history is written as one synced pack no reference points to yet; (2) the
/// journal records the decision; (3) every reference switches in one rename
/// of packed-refs; (4) the working tree, index and index cache follow;
/// (5) reflogs and every unreachable object are deleted; (6) a scan proves
/// nothing of the records is left; (7) the receipt goes into the access log;
/// (8) the journal goes. Killed before (3), the vault has its old history
/// and a stray pack the next erasure purges; killed after, it has the new
/// history and the journal tells `dangol erase` to finish steps 4 to 8.
extension Vault {
    /// Whether an erasure was interrupted and must be finished (`dangol erase --resume`).
    public var pendingErasure: Bool { ErasureJournal.exists(repo) }

    /// Erases `ids` in one rewrite of the whole history and returns the
    /// receipt. Finishes an interrupted erasure first. `progress` hears one
    /// line per step.
    public func erase(_ ids: [RecordID], reason: String, progress: (Message) -> Void = { _ in }) throws -> ErasureReceipt
    {
        try requireOwner(to: Message("role.do.erase"))
        try refuseIfTampered()
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw VaultError.usage(Message("erase.reason_required"))
        }
        guard !ids.isEmpty else { throw VaultError.usage(Message("erase.name_a_customer")) }
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        var wanted = Set(ids)
        var finished: ErasureReceipt?
        if let journal = try ErasureJournal.load(repo) {
            progress(Message("erase.step.finishing"))
            let receipt = try finishErasure(journal, resumed: true, progress: progress)
            wanted.subtract(receipt.records)
            finished = receipt
        }
        if wanted.isEmpty, let finished { return finished }
        return try startErasure(wanted.sorted(), reason: reason, progress: progress)
    }

    /// Whether `typed` is the customer's name, as a person confirming an
    /// erasure types it (spaces around it and Unicode forms do not count).
    /// The command line and the front desk both ask for it before erasing.
    public func nameConfirms(_ typed: String, for id: RecordID) throws -> Bool {
        let name = try read(id).name.precomposedStringWithCanonicalMapping
        return typed.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping == name
    }

    /// Finishes an interrupted erasure; nil when there was none.
    public func resumeErasure(progress: (Message) -> Void = { _ in }) throws -> ErasureReceipt? {
        try requireOwner(to: Message("role.do.erase"))
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        guard let journal = try ErasureJournal.load(repo) else { return nil }
        return try finishErasure(journal, resumed: true, progress: progress)
    }

    private func startErasure(_ ids: [RecordID], reason: String, progress: (Message) -> Void) throws -> ErasureReceipt {
        let headTree = try repo.commit(try head()).tree
        for id in ids where try repo.entry(at: id.path, inTree: headTree) == nil {
            throw VaultError.notFound(Message("customer.no_id", ["id": id.hex]))
        }
        progress(Message("erase.step.rewriting", ["n": arg(ids.count)], count: ids.count))
        let scrub = MessageScrub(erased: Set(ids), key: key)
        // The access log's ref holds no record and outlives the erasure by
        // design (SECURITY.md section 13): it is neither read nor rewritten.
        let result = try repo.rewriteHistory(
            removing: Set(ids.map(\.path)), leaving: [Self.auditRef],
            transformMessage: { _, message, newTree, oldTree in
                try scrub.scrub(message, oldTree: oldTree, newTree: newTree)
            }, scrubText: scrub.scrubText)
        CrashPoint.reached("rewritten")
        let journal = ErasureJournal(
            erasure: hex(Random.bytes(8)), started: ISO8601DateFormatter().string(from: Date()),
            records: ids.map(\.hex),
            reason: try ErasureJournal.sealReason(reason, key: key), references: result.references,
            commitsRewritten: result.commitsRewritten, commitsDropped: result.commitsDropped,
            removedBlobs: try ErasureJournal.sealBlobs(result.removedBlobs, key: key), objectsRemoved: nil,
            auditCommit: try repo.resolve(Self.auditRef))
        do {
            try journal.save(repo)
            // Backups learn from this that these refs may be forced (Backup/).
            try RewriteLog.record(repo, operation: "erase", refs: result.references.map(\.name))
            CrashPoint.reached("journal-written")
            try switchIfNeeded(journal)
        } catch {
            // A failed write (a full or failing disk) before the references
            // switched: the erasure did not happen. A journal left behind
            // would call it interrupted, and a change made before its resume
            // would leave it unable to finish; it goes, and the user runs
            // the same erase again. (A crash here keeps the journal, and
            // changes wait for the resume: see Vault.commitLogged.)
            let old = journal.references.first { $0.name == Self.branch }?.old
            guard (try? head()) == old else { return try finishErasure(journal, resumed: false, progress: progress) }
            try? ErasureJournal.remove(repo)
            throw error
        }
        return try finishErasure(journal, resumed: false, progress: progress)
    }

    /// Steps 3 to 8; each is safe to run again after a crash.
    private func finishErasure(_ journal: ErasureJournal, resumed: Bool, progress: (Message) -> Void) throws
        -> ErasureReceipt
    {
        var journal = journal
        let ids = journal.recordIDs
        let blobs = try journal.blobIDs(key: key)
        // Once the receipt is written the branch has moved past the journal's
        // targets: only the journal's removal was left to do.
        let since = try journal.auditCommit.map { try auditLines(after: $0) } ?? auditLines()
        let receiptWritten = try decodeAudit(since).contains { $0.erasure?.erasure == journal.erasure }
        if !receiptWritten { try switchIfNeeded(journal) }
        CrashPoint.reached("refs-switched")

        // The encrypted index cache holds the erased records' decrypted fields.
        unlink(IndexCache.path(repo))
        progress(Message("erase.step.workdir"))
        let head = try head()
        try repo.syncWorkdir(Dictionary(uniqueKeysWithValues: ids.map { ($0.path, ObjectID?.none) }))
        try mirror.record(head)
        CrashPoint.reached("workdir-synced")

        // Fragments of every old ciphertext, read while the blobs still exist
        // (after a crash mid-purge some may be gone, and so no longer findable).
        let needles = blobs.compactMap { id -> [UInt8]? in
            guard let bytes = try? repo.readBlob(id), bytes.count >= 32 else { return nil }
            let mid = bytes.count / 2 - 16
            return Array(bytes[mid..<(mid + 32)])
        }
        progress(Message("erase.step.purging"))
        try repo.dropHistoryTrails()
        let purge = try repo.purgeUnreachable()
        journal.objectsRemoved = (journal.objectsRemoved ?? 0) + purge.objectsRemoved
        try journal.save(repo)
        CrashPoint.reached("purged")

        progress(Message("erase.step.verifying"))
        let scan = try repo.scanForRemnants(ids: blobs, needles: needles)
        let figures = ErasureFigures(
            erasure: journal.erasure, commitsRewritten: journal.commitsRewritten,
            commitsDropped: journal.commitsDropped,
            objectsRemoved: journal.objectsRemoved ?? 0, remnantsFound: scan.total, objectsScanned: scan.objectsScanned)
        let reason = try journal.openReason(key: key)
        if !receiptWritten {
            // The receipt answers the customers' requests to be erased.
            try appendAudit("erase", records: ids, reason: reason, erasure: figures,
                            answers: requestsAnswered(by: [.erasure], records: ids, in: try requestEntries()))
        }
        CrashPoint.reached("receipt-written")
        try ErasureJournal.remove(repo)
        return ErasureReceipt(
            date: ISO8601DateFormatter().string(from: Date()), person: person.name, reason: reason,
            records: ids, figures: figures, head: head.hex, resumed: resumed)
    }

    /// Moves the references unless a previous run already did. All of them
    /// are old or all new (one rename); a journal whose references match
    /// neither means someone changed the vault by hand meanwhile. Reads made
    /// while the erasure waited went to the access log's ref, which it does
    /// not move.
    private func switchIfNeeded(_ journal: ErasureJournal) throws {
        let current = Dictionary(try repo.references().map { ($0.name, $0.target) }, uniquingKeysWith: { a, _ in a })
        if journal.references.allSatisfy({ current[$0.name] == $0.new }) { return }
        guard journal.references.allSatisfy({ current[$0.name] == $0.old }) else {
            throw VaultError.conflict(Message("erase.branches_moved", ["file": ".git/" + ErasureJournal.fileName]))
        }
        let updates = journal.references
        // A packed-refs.lock left by a process killed while switching; we
        // hold the vault's write lock, so no dangol is using it.
        unlink(gitDirectory + "packed-refs.lock")
        do {
            try repo.switchReferences(updates)
        } catch let e as GitError where (e.result == .modified || e.result == .locked) && DiskFault.of(e) == nil {
            throw VaultError.conflict(Message("erase.references_changed", ["detail": e.message]))
        }
    }
}
