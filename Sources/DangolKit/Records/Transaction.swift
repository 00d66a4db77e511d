import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// A commit written to the object database whose branch update is still
/// to come, with the paths it changed (for the working-tree mirror).
struct PendingCommit {
    let id: ObjectID
    let operation: String
    let changes: [String: ObjectID?]
}

/// A change to the vault in progress: it holds the write lock and reads
/// from the head it started on, so nothing another writer did can be lost.
public final class Transaction {
    let vault: Vault
    let head: ObjectID
    let tree: ObjectID
    private var staged: [RecordID: Customer?] = [:]
    private var order: [RecordID] = []
    /// The commit a restore brings records back from, said in the summary.
    public var restoredFrom: String?

    init(vault: Vault, head: ObjectID) throws {
        self.vault = vault
        self.head = head
        self.tree = try vault.repo.commit(head).tree
    }

    /// The record as this transaction sees it (staged, else at the head).
    public func read(_ id: RecordID) throws -> Customer {
        if let s = staged[id] {
            guard let c = s else { throw VaultError.notFound(Message("customer.removed_in_change", ["id": id.short])) }
            return c
        }
        guard let c = try vault.read(id, inTree: tree) else {
            throw VaultError.notFound(Message("customer.no_id", ["id": id.hex]))
        }
        return c
    }

    public func exists(_ id: RecordID) throws -> Bool {
        if let s = staged[id] { return s != nil }
        return try vault.repo.entry(at: id.path, inTree: tree) != nil
    }

    /// Validates and stages a record. Every write goes through the schema.
    /// A record that normalises to what the head already holds is not staged:
    /// re-encrypting it would make a new file and an empty-looking commit.
    public func put(_ customer: Customer, id: RecordID) throws {
        var c = customer
        try Schema.validate(&c, extraFields: vault.extraFields)
        let atHead = try vault.read(id, inTree: tree)
        try vault.refuseUnkeptYear(c, before: atHead)
        if staged[id] == nil {
            if atHead == c { return }
            order.append(id)
        }
        staged[id] = .some(c)
    }

    public func remove(_ id: RecordID) {
        if staged[id] == nil { order.append(id) }
        staged[id] = .some(nil)
    }

    var changes: [(RecordID, Customer?)] { order.map { ($0, staged[$0]!) } }

    /// What each staged record's change was, or how many there were.
    func summary() throws -> ChangeSummary {
        var s = ChangeSummary(restoredFrom: restoredFrom)
        if order.count > ChangeSummary.listedRecords {
            let added = try order.filter { try vault.read($0, inTree: tree) == nil }.count
            s.many = ChangeSummary.Many(changed: order.count, added: added)
        } else {
            s.records = try order.map { id in
                ChangeSummary.Record(id: id, old: try vault.read(id, inTree: tree), new: staged[id]!)
            }
        }
        return s
    }
}

extension Vault {
    /// Runs `body` under the write lock and commits what it staged as one
    /// commit named `operation`, with its access-log entry. Returns the new
    /// commit, or nil when nothing changed (no empty commits).
    @discardableResult
    public func change(operation: String, trailers: [String] = [], _ body: (Transaction) throws -> Void) throws -> ObjectID? {
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        if mirrorUpdate == .inline { try mirror.bringUpToDate(head: try head()) }
        let tx = try Transaction(vault: self, head: try head())
        try body(tx)
        let records = Dictionary(uniqueKeysWithValues: tx.changes)
        if records.isEmpty { return nil }
        return try commitLogged(operation: operation, records: records, files: [:], summary: try tx.summary(),
                                expectedHead: tx.head, trailers: trailers)
    }

    /// A change and its access-log entry. The change becomes real when the
    /// branch moves; its entry, written beforehand, when the log's ref moves
    /// right after. The change's commit names the log's tip it follows
    /// (sealed into its summary), so a change whose entry a crash kept from
    /// the log is found at the next open and gets its entry then, marked
    /// recovered (Recovery.swift). The other order would let a crash leave
    /// an entry for a change that never happened, which no later entry
    /// could take back from an append-only log.
    @discardableResult
    func commitLogged(operation: String, records: [RecordID: Customer?], files: [String: [UInt8]?], summary: ChangeSummary,
                      expectedHead: ObjectID?, trailers: [String] = [], logAction: String? = nil,
                      logReason: String? = nil, allowUnchanged: Bool = false) throws -> ObjectID? {
        // An interrupted erasure switches every reference from the history it
        // started on: a change made meanwhile would keep it from finishing.
        if pendingErasure {
            throw VaultError.conflict(Message("erase.pending_blocks_change"))
        }
        if accessLogOnBranch {
            return try commitLoggedOnBranch(
                operation: operation, records: records, files: files, summary: summary, expectedHead: expectedHead,
                trailers: trailers, logAction: logAction, logReason: logReason, allowUnchanged: allowUnchanged)
        }
        try recoverAccessLog()
        let end = try auditEnd()
        guard let pending = try writeCommit(operation: operation, records: records, files: files, summary: summary,
                                            parent: expectedHead, trailers: trailers, after: end.tip,
                                            allowUnchanged: allowUnchanged)
        else { return nil }
        let entry = try writeEntry(logAction ?? operation, records: records.keys.sorted(),
                                   EntryDetails(reason: logReason), after: end)
        try publish(pending, expected: expectedHead)
        CrashPoint.reached("change-published")
        do {
            try publishEntry(entry, over: end)
        } catch {
            // The change is saved: calling the command failed would have the
            // user make it twice. Its entry is written, marked recovered, by
            // the next command that opens the vault.
        }
        return pending.id
    }

    /// A commit that no entry follows: the vault's first (nothing comes
    /// before it to log). Moves the branch with a compare-and-swap; a crash
    /// before that leaves only unreachable objects.
    func commitUnlogged(operation: String, files: [String: [UInt8]?], summary: ChangeSummary, expectedHead: ObjectID?)
        throws -> ObjectID?
    {
        guard let pending = try writeCommit(operation: operation, records: [:], files: files, summary: summary,
                                            parent: expectedHead, after: accessLogOnBranch ? nil : .start)
        else { return nil }
        try publish(pending, expected: expectedHead)
        return pending.id
    }

    /// Writes the objects of a commit on `parent` without moving the branch:
    /// nil when the tree would not change. `after` is the access log's tip
    /// the commit follows (nil: format 1, whose summaries bind the tree only).
    func writeCommit(operation: String, records: [RecordID: Customer?], files: [String: [UInt8]?], summary: ChangeSummary,
                     parent: ObjectID?, trailers: [String] = [], after: AuditTip?, allowUnchanged: Bool = false)
        throws -> PendingCommit?
    {
        try refuseIfTampered()
        var changes: [String: ObjectID?] = [:]
        for (id, customer) in records {
            if let customer {
                var plain = try customer.encoded()
                defer { wipe(&plain) }
                changes[id.path] = try repo.writeBlob(RecordFile.seal(plaintext: plain, id: id.bytes, key: key))
            } else {
                changes[id.path] = .some(nil)
            }
        }
        for (path, bytes) in files {
            // Spelled out: `changes[path] = bytes.map { … }` would infer a
            // double optional and drop the key for a removal.
            if let bytes { changes[path] = .some(try repo.writeBlob(bytes)) } else { changes[path] = .some(nil) }
        }
        let baseTree = try parent.map { try repo.commit($0).tree }
        let tree = try repo.editTree(base: baseTree, changes: changes)
        if tree == baseTree && !allowUnchanged { return nil }
        let message = CommitMessage(
            operation: operation, records: records.keys.sorted(),
            sealedSummary: try summary.seal(tree: tree, after: after, key: key, padded: !accessLogOnBranch),
            trailers: trailers, auditAfter: after)
        let commit = try repo.createCommit(tree: tree, parents: parent.map { [$0] } ?? [],
                                           authorName: person.name, authorEmail: person.email, message: message.text,
                                           time: commitClock?())
        return PendingCommit(id: commit, operation: operation, changes: changes)
    }

    /// Moves the branch to a written commit if it is still at `expected`.
    /// After this nothing can undo the change, so the working-tree mirror
    /// that follows is best effort: it is derived from the history, and
    /// when it cannot be written (a full disk) the next command repairs it.
    func publish(_ pending: PendingCommit, expected: ObjectID?) throws {
        // The caller holds the write lock, so a ref lock file now is a
        // leftover: libgit2 ignores a failed unlink of its own lock (a
        // failing disk), which would make this update look like a conflict.
        WriteLock.removeStaleGitLocks(gitDirectory)
        do {
            try repo.updateReference(Self.branch, to: pending.id, expected: expected,
                                     logMessage: "dangol: \(pending.operation)")
        } catch let e as GitError where [.modified, .exists, .locked].contains(e.result) && DiskFault.of(e) == nil {
            throw VaultError.conflict(Message("vault.changed_meanwhile"))
        } catch {
            // libgit2 renames the new ref into place and then syncs its
            // directory: when only that sync failed, the change is saved,
            // and calling it failed would have the user make it twice.
            guard (try? repo.resolve(Self.branch)) == pending.id else { throw error }
        }
        mirrorPending = true
        guard mirrorUpdate == .inline else { return }
        do {
            try repo.syncWorkdir(pending.changes)
            try mirror.record(pending.id)
            mirrorPending = false
        } catch {
            // Saved all the same; `dangol mirror` (started as the command
            // ends) or the next command's open brings the mirror level.
        }
    }

    /// The decrypted summary of a commit, or nil when it has none.
    public func summary(of commit: ObjectID) throws -> StoredSummary? {
        let info = try repo.commit(commit)
        do {
            return try CommitMessage.parse(info.message).openSummary(tree: info.tree, key: key)
                .map { StoredSummary(opened: $0) }
        } catch let e as CryptoError {
            throw VaultError.integrity(file: "commit \(commit.hex)", reason: Message("summary.does_not_open", parts: ["detail": e.message]))
        }
    }
}
