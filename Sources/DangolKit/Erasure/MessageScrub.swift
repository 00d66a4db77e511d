import DangolCrypto
import DangolGit
import Foundation

/// Takes erased customers out of commit messages while the history is
/// rewritten: their ids leave the subject and the `Dangol-Record` trailers,
/// their part of the encrypted summary goes, and the summary is sealed again
/// to the commit's new tree (it is bound to the tree, which has changed).
/// Every other line of the message stays as it was.
struct MessageScrub {
    let erased: Set<RecordID>
    let key: VaultKey
    private let fullIDs: [String]
    private let fullIDBytes: [[UInt8]]
    private let shortIDs: Set<String>
    static let placeholder = "[erased]"

    init(erased: Set<RecordID>, key: VaultKey) {
        self.erased = erased
        self.key = key
        fullIDs = erased.map(\.hex)
        fullIDBytes = fullIDs.map { Array($0.utf8) }
        shortIDs = Set(erased.map(\.short))
    }

    func scrub(_ message: String, oldTree: ObjectID, newTree: ObjectID) throws -> String {
        // A commit rewritten only because an ancestor was: its tree, and so
        // its summary, are unchanged, and its message names no erased id.
        // Byte searches: Foundation's String search costs more than the rest
        // of the rewrite of a commit.
        let bytes = Array(message.utf8)
        let namesErased = fullIDBytes.contains { Self.find($0, in: bytes) != nil }
        if oldTree == newTree && !namesErased { return message }
        // Most rewritten commits never touched an erased record (only their
        // tree changed): only the summary is sealed again, found without
        // splitting the message.
        if !namesErased { return try resealOnly(bytes, oldTree: oldTree, newTree: newTree) }
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return message }
        let parsed = CommitMessage.parse(message)
        let dangolShaped = !parsed.records.isEmpty || parsed.sealedSummary != nil
        var out = [String]()
        for (i, line) in lines.enumerated() {
            if i == 0 { continue }
            if line.hasPrefix(CommitMessage.recordTrailer),
                let id = RecordID(hex: String(line.dropFirst(CommitMessage.recordTrailer.count))), erased.contains(id)
            {
                continue
            }
            if line.hasPrefix(CommitMessage.summaryPrefix) {
                if let resealed = try reseal(parsed, oldTree: oldTree, newTree: newTree) {
                    out.append(Self.summaryLine(resealed, after: parsed.auditAfter))
                }
                continue
            }
            out.append(replacingIDs(line))
        }
        if dangolShaped {
            let remaining = parsed.records.filter { !erased.contains($0) }
            let rebuilt = CommitMessage(operation: parsed.operation, records: remaining, sealedSummary: nil)
            lines[0] = String(rebuilt.text.split(separator: "\n", maxSplits: 1).first ?? Substring(parsed.operation))
        } else {
            lines[0] = replacingIDs(lines[0])
        }
        return ([lines[0]] + out).joined(separator: "\n")
    }

    private func resealOnly(_ message: [UInt8], oldTree: ObjectID, newTree: ObjectID) throws -> String {
        guard let start = Self.find(Self.summaryMarker, in: message) else {
            return String(decoding: message, as: UTF8.self)
        }
        let end = message[(start + 1)...].firstIndex(of: 0x0A) ?? message.count
        // The summary's seal version, its base64 and (from format 2) the tip
        // it is bound to, read where they lie: an erasure of an early
        // customer reseals tens of thousands of summaries.
        let versionAt = start + Self.summaryMarker.count
        guard versionAt + 1 < end, message[versionAt + 1] == UInt8(ascii: ".") else {
            return String(decoding: message, as: UTF8.self)
        }
        var summary = CommitMessage(
            operation: "", records: [], sealedSummary: Data(base64Encoded: Data(message[(versionAt + 2)..<end])).map(Array.init),
            auditAfter: Self.auditAfter(in: message))
        summary.summaryVersion = Int(message[versionAt]) - Int(UInt8(ascii: "0"))
        var out = Array(message[..<start])
        if let resealed = try reseal(summary, oldTree: oldTree, newTree: newTree) {
            out += Array(("\n" + Self.summaryLine(resealed, after: summary.auditAfter)).utf8)
        }
        out += message[end...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The tip a message's `Dangol-Audit-After` names, nil without one.
    static func auditAfter(in message: [UInt8]) -> AuditTip? {
        guard let at = find(afterMarker, in: message) else { return nil }
        let from = at + afterMarker.count
        let end = message[from...].firstIndex(of: 0x0A) ?? message.count
        return AuditTip(text: Substring(String(decoding: message[from..<end], as: UTF8.self)))
    }

    static let summaryMarker = Array(("\n" + CommitMessage.summaryPrefix).utf8)
    static let afterMarker = Array(("\n" + CommitMessage.auditAfterTrailer).utf8)

    static func summaryLine(_ sealed: [UInt8], after: AuditTip?) -> String {
        CommitMessage.summaryPrefix + "\(after == nil ? 1 : 2)." + Data(sealed).base64EncodedString()
    }

    /// The first index of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// An annotated tag's message or a note, without the erased ids (whole
    /// ids only: a short one in free text could be anything); nil when it
    /// names none.
    func scrubText(_ bytes: [UInt8]) -> [UInt8]? {
        guard fullIDBytes.contains(where: { Self.find($0, in: bytes) != nil }) else { return nil }
        var out = bytes
        let placeholder = Array(Self.placeholder.utf8)
        for id in fullIDBytes {
            while let at = Self.find(id, in: out) { out.replaceSubrange(at..<(at + id.count), with: placeholder) }
        }
        return out
    }

    private func replacingIDs(_ text: String) -> String {
        var t = text
        for id in fullIDs where t.contains(id) { t = t.replacingOccurrences(of: id, with: Self.placeholder) }
        return t
    }

    /// The summary opened under the old tree, cleaned, sealed under the new
    /// one (bound to the same access-log tip: the log is not rewritten). A
    /// summary that does not open (written under another key) cannot be
    /// cleaned, so it is left out rather than carried over unread.
    private func reseal(_ message: CommitMessage, oldTree: ObjectID, newTree: ObjectID) throws -> [UInt8]? {
        guard let text = try? message.openSummary(tree: oldTree, key: key) else { return nil }
        let cleaned: String
        switch StoredSummary(opened: text) {
        case .structured(let summary): cleaned = try summary.erasing(shortIDs).encoded()
        case .text(let old): cleaned = cleanSummary(old)
        }
        return try CommitMessage.seal(cleaned, tree: newTree, after: message.auditAfter, key: key)
    }

    /// Summaries written as English text (before they were data) read
    /// "1a2b3c4d: phone changed; 5e6f7a8b: new customer", maybe after
    /// "restored from <commit>: ". Parts about an erased customer go; any
    /// other mention of one becomes "[erased]".

    func cleanSummary(_ text: String) -> String {
        var prefix = ""
        var body = text
        if body.hasPrefix("restored from "), let r = body.range(of: ": ") {
            prefix = String(body[..<r.upperBound])
            body = String(body[r.upperBound...])
        }
        let parts = body.components(separatedBy: "; ").filter { part in
            !shortIDs.contains { part.hasPrefix($0 + ":") }
        }
        var cleaned = parts.isEmpty ? "changes to an erased customer removed" : parts.joined(separator: "; ")
        for id in fullIDs + shortIDs where cleaned.contains(id) {
            cleaned = cleaned.replacingOccurrences(of: id, with: Self.placeholder)
        }
        return prefix + cleaned
    }
}
