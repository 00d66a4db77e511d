import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// The access log: who did what to which record, when, from which machine.
/// Entries hold record ids only, never personal data, so they survive the
/// erasure of the records they mention. Each entry is sealed under the audit
/// subkey and carries the hash of the line before it, so a removed, edited
/// or reordered entry breaks the chain.
///
/// Since format 2 the log lives on a ref of its own, `refs/dangol/audit`:
/// one commit per entry, the entry's line in the commit's message, and
/// every commit on the same tree (empty, or the log a format-1 vault had,
/// carried over as it was: see Migration.swift). A read adds nothing to the
/// data branch, an erasure rewrites the data history only, and `git log`
/// on the branch shows changes. Format 1 kept the log in files on the data
/// branch (BranchLog.swift); those files stay in the old commits.
public struct AuditEntry: Codable, Equatable, Sendable {
    public var sequence: Int
    public var time: String
    public var person: String
    public var slot: String
    public var action: String
    public var records: [String]
    public var host: String
    /// BLAKE2b-256 of the previous line as stored (hex), or "" for the first.
    public var previous: String
    /// Why, in the user's words (erasure receipts); sealed like the rest.
    public var reason: String?
    /// The figures of an erasure receipt (see Erasure/Receipt.swift).
    public var erasure: ErasureFigures?
    /// A customer's request, on the entry that records it (Privacy/Requests.swift).
    public var request: SubjectRequest?
    /// The requests this entry answers: an export, an erasure, or a request
    /// closed by hand.
    public var answers: [String]?
    /// Written after the fact for a change found without its entry (a
    /// process killed between the two): person, time, action and records
    /// come from the change's commit; `host` is the machine that wrote it.
    public var recovered: Bool?

    /// When, as a date (nil only for a malformed time).
    public var date: Date? { ISO8601DateFormatter().date(from: time) }
}

/// One line of the log and where it is stored: a file of the log carried
/// over from format 1 (and its line number), or the commit of the log's ref.
struct AuditLine {
    let bytes: [UInt8]
    let place: String
    let line: Int?
}

extension Vault {
    public static let auditRef = "refs/dangol/audit"
    static let auditContext = Array("dangol-audit-v1".utf8)
    /// The trailer of a log commit that holds its entry's line.
    static let auditEntryTrailer = "Dangol-Audit-Entry: "
    static let auditEntryMarker = Array(("\n" + auditEntryTrailer).utf8)

    /// Appends one entry. Reads are logged before the customer is shown: if
    /// the entry cannot be written, nothing is. `answering` names the kinds
    /// of the customers' open requests this read answers (an export answers
    /// a request to see one's data).
    public func audit(_ action: String, records: [RecordID], answering: Set<SubjectRequest.Kind> = []) throws {
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        do {
            let answers = answering.isEmpty ? [] : requestsAnswered(by: answering, records: records, in: try requestEntries())
            try appendAudit(action, records: records, answers: answers)
        } catch where DiskFault.of(error) != nil {
            // A read nobody can trace is what the log exists to prevent:
            // on a full or failing disk it is refused, and says why.
            throw VaultError.io(Message("audit.not_recorded", ["action": action], parts: ["detail": DiskFault.detail(error)]))
        }
    }

    /// The same, for a caller that already holds the write lock. A change
    /// found without its entry gets it first, so that entries stay in the
    /// order of what they record.
    func appendAudit(_ action: String, records: [RecordID], reason: String? = nil, erasure: ErasureFigures? = nil,
                     request: SubjectRequest? = nil, answers: [String]? = nil) throws
    {
        let details = EntryDetails(reason: reason, erasure: erasure, request: request, answers: answers)
        if accessLogOnBranch { return try appendAuditOnBranch(action, records: records, details) }
        try recoverAccessLog()
        let end = try auditEnd()
        try publishEntry(try writeEntry(action, records: records, details, after: end), over: end)
    }

    /// What an entry may say besides who did what to which records.
    struct EntryDetails {
        var reason: String?
        var erasure: ErasureFigures?
        var request: SubjectRequest?
        var answers: [String]?
    }

    /// Where the log ends: its newest entry (or the start), the commit of
    /// the log's ref that holds it, and the tree every commit of the ref has.
    struct AuditEnd {
        var tip: AuditTip
        var commit: ObjectID?
        var tree: ObjectID?
    }

    func auditEnd() throws -> AuditEnd {
        guard let commit = try repo.resolve(Self.auditRef) else { return AuditEnd(tip: .start, commit: nil, tree: nil) }
        let info = try repo.commit(commit)
        var last = Self.entryLine(in: Array(info.message.utf8))
        if last == nil, let newest = try auditFiles(inTree: info.tree).last {
            // The ref's first commit after a migration: the log is its files.
            last = try repo.readBlob(newest.blob).split(separator: 0x0A).last.map(Array.init)
        }
        guard let last else { return AuditEnd(tip: .start, commit: commit, tree: info.tree) }
        let entry = try decodeAudit(last, file: "\(Self.auditRef) commit \(commit.hex)")
        return AuditEnd(tip: AuditTip(sequence: entry.sequence, hash: Hash.blake2b(last)), commit: commit,
                        tree: info.tree)
    }

    /// An entry written as a commit on the log's ref, not yet on it.
    struct PendingEntry {
        let commit: ObjectID
        let tip: AuditTip
        let tree: ObjectID
    }

    /// Seals the entry that follows `end` and writes its commit. `recovered`
    /// is the change whose entry was missing (see Recovery.swift).
    func writeEntry(_ action: String, records: [RecordID], _ details: EntryDetails = EntryDetails(),
                    recovered: CommitInfo? = nil, after end: AuditEnd) throws -> PendingEntry {
        // Nothing is built on a head made outside dangol, not even a read's
        // entry, until the owner has accepted or rejected it.
        try refuseIfTampered()
        let now = commitClock?() ?? Date()
        var entry = AuditEntry(
            sequence: end.tip.sequence + 1, time: ISO8601DateFormatter().string(from: now), person: person.name,
            slot: person.slotID, action: action, records: records.map(\.hex), host: Self.hostName,
            previous: end.tip.hash, reason: details.reason, erasure: details.erasure, request: details.request,
            answers: details.answers?.isEmpty == false ? details.answers : nil)
        if let recovered {
            entry.time = ISO8601DateFormatter().string(from: recovered.time)
            entry.person = recovered.authorName
            entry.slot = String(recovered.authorEmail.prefix { $0 != "@" })
            entry.recovered = true
        }
        let line = try sealAudit(entry)
        let tree = try end.tree ?? repo.editTree(base: nil, changes: [:])
        let message = "audit\n\n" + Self.auditEntryTrailer + String(decoding: line, as: UTF8.self) + "\n"
        let commit = try repo.createCommit(
            tree: tree, parents: end.commit.map { [$0] } ?? [], authorName: person.name, authorEmail: person.email,
            message: message, time: recovered == nil ? commitClock?() : nil)
        return PendingEntry(commit: commit, tip: AuditTip(sequence: entry.sequence, hash: Hash.blake2b(line)),
                            tree: tree)
    }

    /// Moves the log's ref to a written entry if it still ends at `end`.
    @discardableResult
    func publishEntry(_ entry: PendingEntry, over end: AuditEnd) throws -> AuditEnd {
        WriteLock.removeStaleGitLocks(gitDirectory)
        do {
            try repo.updateReference(Self.auditRef, to: entry.commit, expected: end.commit, logMessage: "dangol: audit")
        } catch let e as GitError where [.modified, .exists, .locked].contains(e.result) && DiskFault.of(e) == nil {
            throw VaultError.conflict(Message("audit.log_moved"))
        } catch {
            // As for the branch (Transaction.publish): a ref renamed into
            // place whose directory sync failed is written.
            guard (try? repo.resolve(Self.auditRef)) == entry.commit else { throw error }
        }
        return AuditEnd(tip: entry.tip, commit: entry.commit, tree: entry.tree)
    }

    /// An entry as its line in the log: base64 of the sealed JSON, padded
    /// except in a vault kept in format 1 (as that format wrote it).
    func sealAudit(_ entry: AuditEntry) throws -> [UInt8] {
        try Self.sealAudit(entry, key: key, padded: !accessLogOnBranch)
    }

    static func sealAudit(_ entry: AuditEntry, key: VaultKey, padded: Bool = true) throws -> [UInt8] {
        let json = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        let sealed = try SealedText.seal(json, context: auditContext, key: key, purpose: .audit, padded: padded)
        return Array(Data(sealed).base64EncodedString().utf8)
    }

    /// The entry line a log commit's message holds, or nil.
    static func entryLine(in message: [UInt8]) -> [UInt8]? {
        guard let start = MessageScrub.find(auditEntryMarker, in: message) else { return nil }
        let from = start + auditEntryMarker.count
        let end = message[from...].firstIndex(of: 0x0A) ?? message.count
        return Array(message[from..<end])
    }

    /// A file stops growing at this size and the day goes on in its next
    /// part (format 1, and the files a migrated log keeps).
    static let auditPartBytes = 64 * 1024

    static let hostName: String = {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        return String(cString: host)
    }()

    /// The log's files in `tree`, oldest first: a month file of the first
    /// layout (audit/YYYY-MM.log) before that month's day files.
    func auditFiles(inTree tree: ObjectID) throws -> [AuditFile] {
        guard let dir = try repo.entry(at: "audit", inTree: tree), dir.kind == .tree else { return [] }
        var out = [(key: String, file: AuditFile)]()
        for e in try repo.treeEntries(dir.id) {
            if e.kind == .blob, e.name.hasSuffix(".log") {
                out.append(("\(e.name.dropLast(4))/", AuditFile(path: "audit/\(e.name)", blob: e.id)))
            } else if e.kind == .tree {
                for f in try repo.treeEntries(e.id) where f.kind == .blob && f.name.hasSuffix(".log") {
                    out.append(("\(e.name)/\(f.name)", AuditFile(path: "audit/\(e.name)/\(f.name)", blob: f.id)))
                }
            }
        }
        return out.sorted { $0.key < $1.key }.map(\.file)
    }

    /// Every line of the log, oldest first. With the log's ref: the files
    /// its tree carries over from format 1, then one line per commit. A
    /// vault still in format 1 (opened without migrating): the files at the
    /// branch's head. `after`: only the lines of the ref's commits newer
    /// than that commit (an erasure looking for its own receipt).
    func auditLines(after stop: ObjectID? = nil) throws -> [AuditLine] {
        var outside = [ObjectID]()
        return try auditLines(after: stop, outside: &outside)
    }

    /// The same, and in `outside` the commits of the log's ref that do not
    /// have the shape of dangol's (section 4 of SECURITY.md), newest first:
    /// one parent, the tree of the one before, an entry's line (the ref's
    /// first commit may instead hold a migrated log's files, or none: a
    /// log that had no entry). Whether each line opens is for the reader of
    /// the lines to find; a log replaced from its start is told by the tips
    /// the changes name.
    func auditLines(after stop: ObjectID? = nil, outside: inout [ObjectID]) throws -> [AuditLine] {
        var fromCommits = [AuditLine]()
        let tree: ObjectID
        if let tip = try repo.resolve(Self.auditRef) {
            var rootTree = tip
            var child: ChainCommit?
            var found = [ObjectID]()
            try repo.walkChain(from: tip) { c in
                if c.id == stop { return false }
                if let child, child.tree != c.tree, found.last != child.id { found.append(child.id) }
                if c.parentCount > 1 || (c.parent != nil && Self.entryLine(in: c.message) == nil) { found.append(c.id) }
                child = c
                rootTree = c.tree
                if let line = Self.entryLine(in: c.message) {
                    fromCommits.append(AuditLine(bytes: line, place: "\(Self.auditRef) commit \(c.id.hex)", line: nil))
                }
                return true
            }
            outside = found
            fromCommits.reverse()
            if stop != nil { return fromCommits }
            tree = rootTree
        } else {
            tree = try repo.commit(try head()).tree
        }
        var out = [AuditLine]()
        for f in try auditFiles(inTree: tree) {
            for (n, line) in try repo.readBlob(f.blob).split(separator: 0x0A).enumerated() {
                out.append(AuditLine(bytes: Array(line), place: f.path, line: n + 1))
            }
        }
        return out + fromCommits
    }

    func decodeAudit(_ line: [UInt8], file: String = "audit/") throws -> AuditEntry {
        try decodeAuditJSON(try openAudit(line, file: file), file: file)
    }

    /// A line opened: the entry's JSON, as bytes.
    func openAudit(_ line: [UInt8], file: String) throws -> [UInt8] {
        guard let box = Data(base64Encoded: Data(line)) else {
            throw VaultError.integrity(file: file, reason: Message("audit.line_not_base64"))
        }
        do {
            // Into ordinary memory: an entry holds ids, names and times, and
            // becomes a Swift value at once; guarded memory would cost three
            // system calls per entry, over a log of a hundred thousand.
            return try SealedText.openBytes(Array(box), context: Self.auditContext, key: key, purpose: .audit)
        } catch let e as CryptoError {
            throw VaultError.integrity(file: file, reason: Message("audit.entry_crypto", parts: ["detail": e.message]))
        }
    }

    func decodeAuditJSON(_ json: [UInt8], file: String) throws -> AuditEntry {
        do {
            return try JSONDecoder().decode(AuditEntry.self, from: Data(json))
        } catch {
            throw VaultError.integrity(file: file, reason: Message("audit.entry_not_entry"))
        }
    }

    /// The access log for a person allowed to read it: the owner only.
    public func accessLog() throws -> [AuditEntry] {
        try requireOwner(to: Message("role.do.read_audit"))
        return try auditEntries()
    }

    /// Every entry, oldest first.
    public func auditEntries() throws -> [AuditEntry] {
        try decodeAudit(try auditLines())
    }

    /// The entries that record or answer a customer's request, oldest
    /// first: every line is opened, only those decoded (an erasure reads
    /// them, and a decade's log is 185,000 lines, few of them requests).
    func requestEntries() throws -> [AuditEntry] {
        let lines = try auditLines()
        let keys = [Array("\"request\":".utf8), Array("\"answers\":".utf8)]
        var out = [Result<AuditEntry?, Error>?](repeating: nil, count: lines.count)
        let stripes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, lines.count / 256 + 1))
        out.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                for i in stride(from: stripe, to: lines.count, by: stripes) {
                    slots[i] = Result {
                        let json = try self.openAudit(lines[i].bytes, file: lines[i].place)
                        guard keys.contains(where: { MessageScrub.find($0, in: json) != nil }) else { return nil }
                        return try self.decodeAuditJSON(json, file: lines[i].place)
                    }
                }
            }
        }
        return try out.compactMap { try $0!.get() }  // every slot was filled above
    }

    func decodeAudit(_ lines: [AuditLine]) throws -> [AuditEntry] {
        try decodeAuditResults(lines).map { try $0.get() }
    }

    /// Lines opened and decoded on every core (a salon's log has a hundred
    /// thousand entries after some years), each entry or its error.
    func decodeAuditResults(_ lines: [AuditLine]) -> [Result<AuditEntry, Error>] {
        var out = [Result<AuditEntry, Error>?](repeating: nil, count: lines.count)
        let stripes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, lines.count / 256 + 1))
        out.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                for i in stride(from: stripe, to: lines.count, by: stripes) {
                    slots[i] = Result { try self.decodeAudit(lines[i].bytes, file: lines[i].place) }
                }
            }
        }
        return out.map { $0! }  // every slot was filled above
    }
}

/// One file of the log, in the order the chain runs through them.
struct AuditFile {
    let path: String
    let blob: ObjectID
}
