import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// Vaults of an older format are brought to the current one as they are
/// opened with the key, one format at a time: each step leaves a vault of
/// the next format, and a later format adds its own step after the last.
///
/// 1 → 2 moves the access log off the data branch to `refs/dangol/audit`
/// without rewriting anything: the ref's first commit holds the log's files
/// as they were (the same blobs and trees), the branch gets one commit that
/// sets the format and removes audit/ from the head (the old commits keep
/// their files), and the migration is the log's next entry. Every step is
/// safe to run again after a crash: the ref's first commit is written
/// before the branch moves, and the migration's entry, if lost, is
/// recovered like any change's (Recovery.swift).
///
/// 2 → 3 gives dangol.json its MAC and the unlocking person's slot its key
/// pair (Vault/Integrity.swift), one commit with its entry on the log's ref.
extension Vault {
    /// Up to format `target`. `passphrase` and `slots` are the unlock's:
    /// the unlocking person's slot is written again at the step to format 3.
    func upgradeFormat(to target: Int = VaultMetadata.currentFormat, passphrase: SecureBytes?, slots: SlotSet) throws {
        guard metadata.format < target else { return }
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        while true {
            // Read again under the lock: another dangol may have done it.
            let (found, bytes) = try formatAtHead()
            if found.format >= target && found.format < VaultMetadata.currentFormat {
                metadata = found
                return
            }
            switch found.format {
            case 1:
                metadata = found
                try migrateAccessLogToItsRef()
            case 2:
                metadata = found
                try upgradeToFormat3(passphrase: passphrase, slots: slots)
            case VaultMetadata.currentFormat:
                // The one format whose file must carry the key's MAC.
                guard VaultMetadata.verify(bytes, key: key) else {
                    throw VaultError.conflict(Message("upgrade.changed_meanwhile"))
                }
                metadata = found
                return
            default:
                throw VaultError.integrity(
                    file: VaultMetadata.fileName, reason: Message("vault.no_migration", ["format": arg(found.format)]))
            }
        }
    }

    func formatAtHead() throws -> (VaultMetadata, [UInt8]) {
        guard let meta = try repo.entry(at: VaultMetadata.fileName, inTree: try repo.commit(try head()).tree) else {
            throw VaultError.notAVault(Message("vault.none.no_metadata", ["path": path, "file": VaultMetadata.fileName]))
        }
        let bytes = try repo.readBlob(meta.id)
        return (try VaultMetadata.decode(bytes), bytes)
    }

    /// Format 1 → 2. The caller holds the write lock.
    private func migrateAccessLogToItsRef() throws {
        let head = try head()
        let headTree = try repo.commit(head).tree
        let files = try auditFiles(inTree: headTree)
        try startAuditRef(with: files)
        var upgraded = metadata
        upgraded.format = 2
        metadata = upgraded
        let end = try auditEnd()
        // Each of the two histories an interrupted erasure holds gets the
        // migration's commit, so that the erasure still finishes.
        let migration: PendingCommit
        if let j = try ErasureJournal.load(repo), j.migratedFrom == head, let old = j.branch?.old, try repo.contains(old) {
            migration = try pendingCommit(old, from: headTree)  // a migration killed after saving the journal
        } else {
            migration = try migrationCommit(on: head, removing: files, after: end.tip)
            if var j = try ErasureJournal.load(repo), let new = j.branch?.new {
                j.branch = ReferenceUpdate(
                    name: Self.branch, old: migration.id,
                    new: try migrationCommit(on: new, removing: try auditFiles(inTree: try repo.commit(new).tree),
                                             after: end.tip).id)
                j.migratedFrom = head
                try j.save(repo)
            }
        }
        let entry = try writeEntry(
            "migrate", records: [], EntryDetails(reason: "format 1 → 2: the access log moved to \(Self.auditRef)"), after: end)
        try publish(migration, expected: head)
        CrashPoint.reached("migrated")
        do { try publishEntry(entry, over: end) } catch {
            // Recovered at the next open, as any change's entry.
        }
    }

    /// The log's ref begins with a commit whose tree is the log as format 1
    /// left it (nothing new stored: the same trees and blobs). Kept if an
    /// interrupted migration wrote it already for the same log.
    @discardableResult
    private func startAuditRef(with files: [AuditFile]) throws -> ObjectID {
        var changes = [String: ObjectID?]()
        for f in files { changes[f.path] = f.blob }
        let tree = try repo.editTree(base: nil, changes: changes)
        let existing = try repo.resolve(Self.auditRef)
        if let existing {
            let info = try repo.commit(existing)
            let root = info.parents.isEmpty && Self.entryLine(in: Array(info.message.utf8)) == nil
            if root && info.tree == tree { return existing }
            // Only an interrupted migration's first commit is written over
            // (the log on the branch grew since): a ref that holds entries
            // is a log, and a dangol.json saying format 1 above it is not
            // what dangol wrote.
            guard root else {
                throw VaultError.integrity(file: VaultMetadata.fileName, reason: Message("vault.format1_with_log_ref"))
            }
        }
        let commit = try repo.createCommit(
            tree: tree, parents: [], authorName: person.name, authorEmail: person.email, message: "audit\n")
        do {
            try repo.updateReference(Self.auditRef, to: commit, expected: existing, logMessage: "dangol: migrate")
        } catch let e as GitError where [.modified, .exists, .locked].contains(e.result) && DiskFault.of(e) == nil {
            throw VaultError.conflict(Message("audit.log_moved"))
        }
        return commit
    }

    /// The branch's commit of the migration: format 2 in dangol.json, the
    /// log's files gone from the head.
    private func migrationCommit(on parent: ObjectID, removing files: [AuditFile], after: AuditTip) throws
        -> PendingCommit
    {
        var changes = [String: [UInt8]?]()
        for f in files { changes[f.path] = .some(nil) }
        changes[VaultMetadata.fileName] = try metadata.encoded(key: key)
        guard let pending = try writeCommit(
            operation: "migrate", records: [:], files: changes,
            summary: ChangeSummary(event: .formatMigrated, about: ["2"]), parent: parent, after: after)
        else { throw VaultError.io(Message("vault.migration_changed_nothing")) }
        return pending
    }

    /// A written commit as `publish` takes it: the paths it changed from `base`.
    private func pendingCommit(_ commit: ObjectID, from base: ObjectID) throws -> PendingCommit {
        let tree = try repo.commit(commit).tree
        var changes = [String: ObjectID?]()
        for path in try repo.changedPaths(from: base, to: tree) {
            changes[path] = .some(try repo.entry(at: path, inTree: tree)?.id)
        }
        return PendingCommit(id: commit, operation: "migrate", changes: changes)
    }
}
