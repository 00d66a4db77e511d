import Foundation

/// For each field of a record: who last changed it, when, in which commit.
public struct BlameLine: Sendable {
    public let path: String
    public let value: String
    public let commit: String
    public let author: String
    public let date: Date
}

extension Vault {
    /// Walks the record's versions oldest first; a leaf is attributed to the
    /// version where its value last became what it is now.
    public func blame(_ id: RecordID) throws -> [BlameLine] {
        let versions = try versions(of: id)
        guard let current = versions.last, current.customer != nil else {
            throw VaultError.notFound("customer \(id.short) does not exist at the head")
        }
        var last: [String: String] = [:]
        var owner: [String: RecordVersion] = [:]
        for v in versions {
            let leaves = try FieldDiff.leaves(v.customer)
            var seen = Set<String>()
            for (path, value) in leaves {
                seen.insert(path)
                if last[path] != value {
                    last[path] = value
                    owner[path] = v
                }
            }
            for path in last.keys where !seen.contains(path) {
                last[path] = nil
                owner[path] = nil
            }
        }
        return try FieldDiff.leaves(current.customer).map { path, value in
            let v = owner[path]!  // every current leaf was recorded above
            return BlameLine(path: path, value: value, commit: v.commit, author: v.author, date: v.date)
        }
    }

    /// Brings back the record as it was at `revision`, as a new commit that
    /// says it is a restore and from where. The old version must pass today's
    /// schema: restoring never brings back what the rules now refuse.
    @discardableResult
    public func restore(_ id: RecordID, from revision: String) throws -> Bool {
        let commit = try self.revision(revision)
        guard let old = try read(id, at: commit) else {
            throw VaultError.notFound("customer \(id.short) did not exist at \(commit.prefix(12))")
        }
        let made = try change(operation: "restore", trailers: ["Dangol-Restored-From: \(commit)"]) { tx in
            tx.summaryPrefix = "restored from \(commit.prefix(12))"
            try tx.put(old, id: id)
        }
        return made != nil
    }
}
