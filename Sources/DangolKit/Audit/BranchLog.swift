import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// Format 1's access log, on the data branch: files audit/YYYY-MM/DD-NNN.log
/// (a month in audit/YYYY-MM.log before that), one sealed line per entry,
/// each entry a commit of its own whose message names the line it added
/// (`Dangol-Audit-Tip`), a change's entry in the commit on top of it.
///
/// dangol migrates such a vault on open (Migration.swift). This writer is
/// kept, byte for byte what format 1 wrote, for the generators that make
/// format-1 vaults (dangol-synth --layout branch): the migration's tests and
/// the before/after figures of the ten-year benchmark come from it. The
/// command line never writes format 1.
extension Vault {
    /// Each access-log commit of format 1 names the sequence number and hash
    /// of the line it added, so a log cut short disagrees with the history.
    static let auditTipTrailer = "Dangol-Audit-Tip: "

    /// Whether this vault writes format 1 (opened by a generator that keeps
    /// the format it found; see LockedVault.migrates).
    var accessLogOnBranch: Bool { metadata.format == 1 }

    func appendAuditOnBranch(_ action: String, records: [RecordID], _ details: EntryDetails) throws {
        let head = try head()
        try publish(try branchAuditCommit(action, records: records, details, on: head), expected: head)
    }

    /// A change and the commit of its entry on top, moved onto the branch
    /// together.
    func commitLoggedOnBranch(operation: String, records: [RecordID: Customer?], files: [String: [UInt8]?],
                              summary: ChangeSummary, expectedHead: ObjectID?, trailers: [String], logAction: String?,
                              logReason: String?, allowUnchanged: Bool) throws -> ObjectID? {
        guard let change = try writeCommit(operation: operation, records: records, files: files, summary: summary,
                                           parent: expectedHead, trailers: trailers, after: nil,
                                           allowUnchanged: allowUnchanged)
        else { return nil }
        let entry = try branchAuditCommit(logAction ?? operation, records: records.keys.sorted(),
                                          EntryDetails(reason: logReason), on: change.id)
        try publish(PendingCommit(id: entry.id, operation: operation,
                                  changes: change.changes.merging(entry.changes) { $1 }),
                    expected: expectedHead)
        return change.id
    }

    /// The commit on `parent` that adds one entry to the log.
    private func branchAuditCommit(_ action: String, records: [RecordID], _ details: EntryDetails,
                                   on parent: ObjectID) throws -> PendingCommit {
        let now = commitClock?() ?? Date()
        let tree = try repo.commit(parent).tree
        // Files are named by the UTC day: a laptop that changes time zone
        // must not start an earlier-named file after a later one.
        let (path, existing) = try currentAuditFile(
            day: String(ISO8601DateFormatter().string(from: now).prefix(10)), tree: tree)
        let (previous, sequence) = try branchChainTip(todays: existing, tree: tree)
        let entry = AuditEntry(
            sequence: sequence, time: ISO8601DateFormatter().string(from: now), person: person.name,
            slot: person.slotID, action: action, records: records.map(\.hex),
            host: Self.hostName, previous: previous, reason: details.reason, erasure: details.erasure,
            request: details.request, answers: details.answers?.isEmpty == false ? details.answers : nil)
        let stored = try sealAudit(entry)
        guard let pending = try writeCommit(
            operation: "audit", records: [:], files: [path: existing + stored + [0x0A]],
            summary: ChangeSummary(event: .accessLog, about: [action]), parent: parent,
            trailers: [Self.auditTipTrailer + "\(sequence) \(Hash.blake2b(stored))"], after: nil)
        else { throw VaultError.io(Message("audit.entry_changed_nothing")) }
        return pending
    }

    /// The file today's next entry goes to, audit/YYYY-MM/DD-NNN.log, and
    /// what it holds so far.
    private func currentAuditFile(day: String, tree: ObjectID) throws -> (String, [UInt8]) {
        let dir = "audit/\(day.prefix(7))"
        let prefix = "\(day.suffix(2))-"
        var last: (part: Int, blob: ObjectID)?
        if let d = try repo.entry(at: dir, inTree: tree), d.kind == .tree {
            for e in try repo.treeEntries(d.id)
            where e.kind == .blob && e.name.hasPrefix(prefix) && e.name.hasSuffix(".log") {
                if let n = Int(e.name.dropFirst(prefix.count).dropLast(4)), n > (last?.part ?? 0) { last = (n, e.id) }
            }
        }
        func name(_ part: Int) -> String { "\(dir)/\(prefix)\(String(format: "%03d", part)).log" }
        var chosen = (name(1), [UInt8]())
        if let last {
            let bytes = try repo.readBlob(last.blob)
            chosen = bytes.count < Self.auditPartBytes ? (name(last.part), bytes) : (name(last.part + 1), [])
        }
        // A clock set back past midnight would name a file before the newest
        // one; the log is read in the order of its paths, so the entry goes
        // on in the newest file instead.
        if let newest = try auditFiles(inTree: tree).last, newest.path > chosen.0 {
            return (newest.path, try repo.readBlob(newest.blob))
        }
        return chosen
    }

    /// The hash of the last line and the next sequence number. A new day
    /// continues the chain from the last line of the newest earlier file.
    private func branchChainTip(todays: [UInt8], tree: ObjectID) throws -> (String, Int) {
        var last = todays.split(separator: 0x0A).last
        if last == nil, let newest = try auditFiles(inTree: tree).last {
            last = try repo.readBlob(newest.blob).split(separator: 0x0A).last
        }
        guard let last else { return ("", 1) }
        return (Hash.blake2b(Array(last)), try decodeAudit(Array(last)).sequence + 1)
    }
}
