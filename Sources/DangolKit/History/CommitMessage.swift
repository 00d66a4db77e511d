import DangolCrypto
import DangolGit
import Foundation

/// Where the access log stood when a commit was made: the sequence number
/// of its newest entry and the hash of that entry's line (section 4 of
/// SECURITY.md), or sequence 0 before the first entry.
public struct AuditTip: Equatable, Hashable, Sendable {
    public var sequence: Int
    /// BLAKE2b-256 of the line as stored, hex; "" when `sequence` is 0.
    public var hash: String

    public static let start = AuditTip(sequence: 0, hash: "")

    /// "12 9f3c…" (or "0"), as the `Dangol-Audit-After` trailer writes it.
    var text: String { sequence == 0 ? "0" : "\(sequence) \(hash)" }

    init(sequence: Int, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }

    init?(text: Substring) {
        let parts = text.split(separator: " ")
        guard let n = parts.first.flatMap({ Int($0) }), n >= 0 else { return nil }
        if n == 0 {
            guard parts.count == 1 else { return nil }
            self = .start
        } else {
            guard parts.count == 2, parts[1].count == 64, unhex(String(parts[1])) != nil else { return nil }
            self.init(sequence: n, hash: String(parts[1]))
        }
    }

    /// Sequence (8 bytes, little-endian) and the 32 raw bytes of the hash
    /// (zeros for the start): what a v2 summary's associated data binds.
    var bytes: [UInt8] {
        withUnsafeBytes(of: UInt64(sequence).littleEndian, Array.init)
            + (unhex(hash) ?? [UInt8](repeating: 0, count: 32))
    }
}

/// Commit messages carry the operation and record ids, nothing else in
/// clear: no name, no phone, not even a field name. The human summary
/// ("phone changed, visit added") travels in the same message, encrypted
/// and bound to the commit's tree, as a `Dangol-Summary` trailer. Since
/// format 2 the summary is bound to the access log's tip as well, which the
/// commit names in clear in `Dangol-Audit-After`: a log cut short while the
/// commit stays is told by the commit, and the trailer cannot be edited to
/// hide it without the key (the summary would no longer open).
public struct CommitMessage: Equatable, Sendable {
    public var operation: String
    public var records: [RecordID]
    public var sealedSummary: [UInt8]?
    /// Extra clear trailers (`Dangol-Restored-From: <commit>`): ids only.
    public var trailers: [String] = []
    /// The access-log tip this commit follows; nil in commits of format 1,
    /// whose summary (v1) is bound to the tree only.
    public var auditAfter: AuditTip?
    /// The summary's version as found (1 or 2); what `text` writes follows
    /// from `auditAfter`.
    var summaryVersion: Int

    static let recordTrailer = "Dangol-Record: "
    /// Followed by the version (1: tree only; 2: tree and access-log tip),
    /// a dot and base64.
    static let summaryPrefix = "Dangol-Summary: v"
    static let auditAfterTrailer = "Dangol-Audit-After: "
    /// More ids than this in one commit are listed only in trailers.
    static let idsInSubject = 3

    public init(operation: String, records: [RecordID], sealedSummary: [UInt8]?, trailers: [String] = [],
                auditAfter: AuditTip? = nil) {
        self.operation = operation
        self.records = records
        self.sealedSummary = sealedSummary
        self.trailers = trailers
        self.auditAfter = auditAfter
        summaryVersion = auditAfter == nil ? 1 : 2
    }

    public var text: String {
        var subject = operation
        if !records.isEmpty {
            subject += records.count <= Self.idsInSubject
                ? " " + records.map(\.hex).joined(separator: " ") : " \(records.count) records"
        }
        var lines = [subject, ""]
        lines += records.map { Self.recordTrailer + $0.hex }
        lines += trailers
        if let auditAfter { lines.append(Self.auditAfterTrailer + auditAfter.text) }
        if let s = sealedSummary {
            lines.append(Self.summaryPrefix + "\(auditAfter == nil ? 1 : 2)." + Data(s).base64EncodedString())
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func parse(_ message: String) -> CommitMessage {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        let op = lines.first.map { String($0.split(separator: " ").first ?? "") } ?? ""
        var ids = [RecordID]()
        var sealed: [UInt8]?
        var version = 0
        var after: AuditTip?
        var extra = [String]()
        for line in lines.dropFirst() {
            if line.hasPrefix(recordTrailer), let id = RecordID(hex: String(line.dropFirst(recordTrailer.count))) {
                ids.append(id)
            } else if line.hasPrefix(summaryPrefix), let dot = line.firstIndex(of: ".") {
                version = Int(line[line.index(line.startIndex, offsetBy: summaryPrefix.count)..<dot]) ?? 0
                sealed = Data(base64Encoded: String(line[line.index(after: dot)...])).map(Array.init)
            } else if line.hasPrefix(auditAfterTrailer) {
                after = AuditTip(text: line.dropFirst(auditAfterTrailer.count))
            } else if line.hasPrefix("Dangol-") {
                extra.append(String(line))
            }
        }
        var parsed = CommitMessage(
            operation: op, records: ids, sealedSummary: sealed, trailers: extra, auditAfter: after)
        if sealed != nil { parsed.summaryVersion = version }
        return parsed
    }

    /// The associated data of a summary: it opens only on the tree it
    /// describes and, from format 2, after the access-log tip it names.
    static func summaryContext(tree: ObjectID, after: AuditTip? = nil) -> [UInt8] {
        guard let after else { return Array("dangol-summary-v1".utf8) + tree.bytes }
        return Array("dangol-summary-v2".utf8) + tree.bytes + after.bytes
    }

    /// Seals a summary for a commit of `tree` made after `after`.
    static func seal(_ summary: String, tree: ObjectID, after: AuditTip?, key: VaultKey, padded: Bool = true) throws
        -> [UInt8]
    {
        try SealedText.seal(
            summary, context: summaryContext(tree: tree, after: after), key: key, purpose: .summaries, padded: padded)
    }

    /// Opens this message's summary on `tree`; nil when it has none.
    func openSummary(tree: ObjectID, key: VaultKey) throws -> String? {
        guard let sealedSummary else { return nil }
        // A v2 summary whose tip trailer went (or a v1 given one) was edited.
        guard summaryVersion == (auditAfter == nil ? 1 : 2) else { throw CryptoError.unauthenticated }
        return try SealedText.open(
            sealedSummary, context: Self.summaryContext(tree: tree, after: auditAfter), key: key,
            purpose: .summaries)
    }
}
