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
    private let shortIDs: [String]
    static let placeholder = "[erased]"

    init(erased: Set<RecordID>, key: VaultKey) {
        self.erased = erased
        self.key = key
        fullIDs = erased.map(\.hex)
        shortIDs = erased.map(\.short)
    }

    func scrub(_ message: String, oldTree: ObjectID, newTree: ObjectID) throws -> String {
        // A commit rewritten only because an ancestor was: its tree, and so
        // its summary, are unchanged, and its message names no erased id.
        if oldTree == newTree && !fullIDs.contains(where: { message.contains($0) }) { return message }
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
            if line.hasPrefix(CommitMessage.summaryTrailer) {
                if let resealed = try reseal(String(line.dropFirst(CommitMessage.summaryTrailer.count)), oldTree: oldTree,
                                             newTree: newTree)
                {
                    out.append(CommitMessage.summaryTrailer + resealed)
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

    private func replacingIDs(_ text: String) -> String {
        var t = text
        for id in fullIDs where t.contains(id) { t = t.replacingOccurrences(of: id, with: Self.placeholder) }
        return t
    }

    /// The summary opened under the old tree, cleaned, sealed under the new
    /// one. A summary that does not open (written under another key) cannot
    /// be cleaned, so it is left out rather than carried over unread.
    private func reseal(_ base64: String, oldTree: ObjectID, newTree: ObjectID) throws -> String? {
        guard let box = Data(base64Encoded: base64).map(Array.init),
              let text = try? SealedText.open(box, context: CommitMessage.summaryContext(tree: oldTree), key: key,
                                              purpose: .summaries)
        else { return nil }
        let cleaned = cleanSummary(text)
        let sealed = try SealedText.seal(cleaned, context: CommitMessage.summaryContext(tree: newTree), key: key,
                                         purpose: .summaries)
        return Data(sealed).base64EncodedString()
    }

    /// Summaries read "1a2b3c4d: phone changed; 5e6f7a8b: new customer",
    /// maybe after "restored from <commit>: ". Parts about an erased
    /// customer go; any other mention of one becomes "[erased]".
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
