import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// The access log: who did what to which record, when, from which machine.
/// Entries hold record ids only, never personal data, so they survive the
/// erasure of the records they mention. Each entry is sealed under the audit
/// subkey and carries the hash of the line before it, so a removed, edited or
/// reordered entry breaks the chain. Files of at most about 64 KiB,
/// audit/YYYY-MM/DD-NNN.log (vaults written before kept a month in
/// audit/YYYY-MM.log, still read), one base64 line per entry. Small files
/// because git stores each version of a file whole: appending to a month
/// file would store a month of lines again with every entry.
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

    /// When, as a date (nil only for a malformed time).
    public var date: Date? { ISO8601DateFormatter().date(from: time) }
}

/// One file of the log, in the order the chain runs through them.
struct AuditFile {
    let path: String
    let blob: ObjectID
}

extension Vault {
    static let auditContext = Array("dangol-audit-v1".utf8)
    /// Each access-log commit names the sequence number and hash of the line
    /// it added, so a log cut short (its newest lines, or its newest file,
    /// removed) disagrees with the history that recorded them.
    static let auditTipTrailer = "Dangol-Audit-Tip: "

    /// Appends one entry, as a commit of its own. Reads are logged before
    /// the customer is shown: if the entry cannot be written, nothing is.
    /// `answering` names the kinds of the customers' open requests this
    /// read answers (an export answers a request to see one's data).
    public func audit(_ action: String, records: [RecordID], answering: Set<SubjectRequest.Kind> = []) throws {
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        do {
            let answers = answering.isEmpty ? [] : requestsAnswered(by: answering, records: records, in: try auditEntries())
            try appendAudit(action, records: records, answers: answers)
        } catch where DiskFault.of(error) != nil {
            // A read nobody can trace is what the log exists to prevent:
            // on a full or failing disk it is refused, and says why.
            throw VaultError.io(Message("audit.not_recorded", ["action": action], parts: ["detail": DiskFault.detail(error)]))
        }
    }

    /// The same, for a caller that already holds the write lock. Changes get
    /// an entry in a commit of its own rather than in the change's commit:
    /// an erasure drops the commits that touched only the erased record, and
    /// a shared commit would survive it as a dated trace of the customer.
    func appendAudit(_ action: String, records: [RecordID], reason: String? = nil, erasure: ErasureFigures? = nil,
                     request: SubjectRequest? = nil, answers: [String]? = nil) throws
    {
        if !auditsAccess { return }
        let head = try head()
        try publish(try auditCommit(action, records: records, reason: reason, erasure: erasure, request: request,
                                    answers: answers, on: head),
                    expected: head)
    }

    /// The commit on `parent` that adds one entry to the log, written but
    /// not yet on the branch (a change publishes it together with itself).
    func auditCommit(_ action: String, records: [RecordID], reason: String? = nil, erasure: ErasureFigures? = nil,
                     request: SubjectRequest? = nil, answers: [String]? = nil, on parent: ObjectID) throws
        -> PendingCommit
    {
        let now = Date()
        let tree = try repo.commit(parent).tree
        // Files are named by the UTC day: a laptop that changes time zone
        // must not start an earlier-named file after a later one.
        let (path, existing) = try currentAuditFile(
            day: String(ISO8601DateFormatter().string(from: now).prefix(10)), tree: tree)
        let (previous, sequence) = try chainTip(todays: existing, tree: tree)
        let entry = AuditEntry(
            sequence: sequence, time: ISO8601DateFormatter().string(from: now), person: person.name,
            slot: person.slotID, action: action, records: records.map(\.hex),
            host: Self.hostName, previous: previous, reason: reason, erasure: erasure, request: request,
            answers: answers?.isEmpty == false ? answers : nil)
        let stored = try Self.sealAudit(entry, key: key)
        guard let pending = try writeCommit(
            operation: "audit", records: [:], files: [path: existing + stored + [0x0A]],
            summary: ChangeSummary(event: .accessLog, about: [action]), parent: parent,
            trailers: [Self.auditTipTrailer + "\(sequence) \(Hash.blake2b(stored))"])
        else { throw VaultError.io(Message("audit.entry_changed_nothing")) }
        return pending
    }

    /// A file stops growing at this size and the day goes on in its next
    /// part: each entry rewrites its file, so the cost of one entry (and what
    /// git stores for it) stays bounded however busy the day.
    static let auditPartBytes = 64 * 1024

    /// The file today's next entry goes to, audit/YYYY-MM/DD-NNN.log, and
    /// what it holds so far.
    private func currentAuditFile(day: String, tree: ObjectID) throws -> (String, [UInt8]) {
        let dir = "audit/\(day.prefix(7))"
        let prefix = "\(day.suffix(2))-"
        var last: (part: Int, blob: ObjectID)?
        if let d = try repo.entry(at: dir, inTree: tree), d.kind == .tree {
            for e in try repo.treeEntries(d.id) where e.kind == .blob && e.name.hasPrefix(prefix) && e.name.hasSuffix(".log") {
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

    static let hostName: String = {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        return String(cString: host)
    }()

    /// The hash of the last line and the next sequence number. A new day
    /// continues the chain from the last line of the newest earlier file.
    private func chainTip(todays: [UInt8], tree: ObjectID) throws -> (String, Int) {
        var last = todays.split(separator: 0x0A).last
        if last == nil, let newest = try auditFiles(inTree: tree).last {
            last = try repo.readBlob(newest.blob).split(separator: 0x0A).last
        }
        guard let last else { return ("", 1) }
        return (Hash.blake2b(Array(last)), try decodeAudit(Array(last)).sequence + 1)
    }

    /// The log's files, oldest first: a month file of the old layout before
    /// that month's day files.
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

    /// An entry as its line in the log: base64 of the sealed, padded JSON.
    static func sealAudit(_ entry: AuditEntry, key: VaultKey) throws -> [UInt8] {
        let json = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        let sealed = try SealedText.seal(json, context: auditContext, key: key, purpose: .audit)
        return Array(Data(sealed).base64EncodedString().utf8)
    }

    func decodeAudit(_ line: [UInt8], file: String = "audit/") throws -> AuditEntry {
        guard let box = Data(base64Encoded: Data(line)) else {
            throw VaultError.integrity(file: file, reason: Message("audit.line_not_base64"))
        }
        do {
            let plain = try SealedText.open(Array(box), context: Self.auditContext, key: key, purpose: .audit)
            return try JSONDecoder().decode(AuditEntry.self, from: Data(plain.utf8))
        } catch let e as CryptoError {
            throw VaultError.integrity(file: file, reason: Message("audit.entry_crypto", parts: ["detail": e.message]))
        } catch is DecodingError {
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
        var out = [AuditEntry]()
        for f in try auditFiles(inTree: try repo.commit(try head()).tree) {
            for line in try repo.readBlob(f.blob).split(separator: 0x0A) {
                out.append(try decodeAudit(Array(line), file: f.path))
            }
        }
        return out
    }
}
