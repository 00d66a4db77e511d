import DangolCrypto
import DangolGit
import Foundation

/// The access log: who did what to which record, when, from which machine.
/// Entries hold record ids only, never personal data, so they survive the
/// erasure of the records they mention. Each entry is sealed under the audit
/// subkey and carries the hash of the line before it, so a removed, edited or
/// reordered entry breaks the chain. One file a month, audit/YYYY-MM.log, one
/// base64 line per entry; appended by a commit of its own.
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
}

extension Vault {
    static let auditContext = Array("dangol-audit-v1".utf8)

    /// Appends one entry to this month's log, as its own commit.
    public func audit(_ action: String, records: [RecordID]) throws {
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        try appendAudit(action, records: records)
    }

    /// The same, for a caller that already holds the write lock.
    func appendAudit(_ action: String, records: [RecordID], reason: String? = nil, erasure: ErasureFigures? = nil) throws {
        let head = try head()
        let month = String(Dates.today().prefix(7))
        let path = "audit/\(month).log"
        let existing = try repo.entry(at: path, inTree: try repo.commit(head).tree).map { try repo.readBlob($0.id) } ?? []
        let lines = existing.split(separator: 0x0A)
        let (previous, sequence) = try chainTip(lines: lines, month: month, head: head)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let entry = AuditEntry(
            sequence: sequence, time: ISO8601DateFormatter().string(from: Date()), person: person.name,
            slot: person.slotID, action: action, records: records.map(\.hex),
            host: String(cString: host), previous: previous, reason: reason, erasure: erasure)
        let json = try JSONEncoder().encode(entry)
        let sealed = try Array(json).withUnsafeBytes { try AEAD.seal($0, ad: Self.auditContext, key: key.subkey(.audit)) }
        let line = Array(Data(sealed).base64EncodedString().utf8) + [0x0A]
        _ = try commit(operation: "audit", records: [:], files: [path: existing + line],
                       summary: "access log: \(action)", expectedHead: head)
    }

    /// The hash of the last line and the next sequence number. A new month
    /// continues the chain from the previous month's last line.
    private func chainTip(lines: [ArraySlice<UInt8>], month: String, head: ObjectID) throws -> (String, Int) {
        if let last = lines.last {
            return (Hash.blake2b(Array(last)), try decodeAudit(Array(last)).sequence + 1)
        }
        let tree = try repo.commit(head).tree
        guard let dir = try repo.entry(at: "audit", inTree: tree), dir.kind == .tree else { return ("", 1) }
        let months = try repo.treeEntries(dir.id).map(\.name).filter { $0 < "\(month).log" }.sorted()
        guard let prior = months.last, let e = try repo.entry(at: "audit/\(prior)", inTree: tree) else { return ("", 1) }
        guard let last = try repo.readBlob(e.id).split(separator: 0x0A).last else { return ("", 1) }
        return (Hash.blake2b(Array(last)), try decodeAudit(Array(last)).sequence + 1)
    }

    func decodeAudit(_ line: [UInt8]) throws -> AuditEntry {
        guard let box = Data(base64Encoded: Data(line)) else {
            throw VaultError.integrity(file: "audit/", reason: "an access-log line is not base64")
        }
        do {
            let plain = try AEAD.open(Array(box), ad: Self.auditContext, key: key.subkey(.audit))
            return try JSONDecoder().decode(AuditEntry.self, from: Data(plain.copyBytes()))
        } catch let e as CryptoError {
            throw VaultError.integrity(file: "audit/", reason: "an access-log entry: \(e.description)")
        }
    }

    /// The access log for a person allowed to read it: the owner only.
    public func accessLog() throws -> [AuditEntry] {
        guard person.role == .owner else { throw VaultError.usage("only the owner can read the access log") }
        return try auditEntries()
    }

    /// Every entry, oldest first.
    public func auditEntries() throws -> [AuditEntry] {
        let tree = try repo.commit(try head()).tree
        guard let dir = try repo.entry(at: "audit", inTree: tree), dir.kind == .tree else { return [] }
        var out = [AuditEntry]()
        for f in try repo.treeEntries(dir.id).sorted(by: { $0.name < $1.name }) where f.kind == .blob {
            for line in try repo.readBlob(f.id).split(separator: 0x0A) { out.append(try decodeAudit(Array(line))) }
        }
        return out
    }
}
