import DangolGit
import Foundation

/// One version of a record: the commit that wrote it and the document (nil
/// when that commit removed the record).
public struct RecordVersion {
    public let commit: String
    public let author: String
    public let date: Date
    public let customer: Customer?
}

extension Vault {
    /// Every version of a record, oldest first, decrypted.
    public func versions(of id: RecordID) throws -> [RecordVersion] {
        // Candidates: commits naming the record, or naming no record at all
        // (made outside dangol); each is then checked by content, and the
        // blob found there is the version (no second lookup).
        var found = [(ObjectID, CommitInfo, ObjectID?)]()
        for c in try repo.commits(from: try head(), messageContains: id.hex, orLacks: CommitMessage.recordTrailer) {
            let info = try repo.commit(c)
            let now = try repo.entry(at: id.path, inTree: info.tree)?.id
            let before = try info.parents.first.map { try repo.entry(at: id.path, inTree: try repo.commit($0).tree)?.id } ?? nil
            if now != before { found.append((c, info, now)) }
        }
        // libgit2 reads stay on this thread; decryption fans out over the cores.
        let ordered = Array(found.reversed())
        let blobs = try ordered.map { try $0.2.map { try repo.readBlob($0) } }
        var docs = [Result<Customer?, Error>?](repeating: nil, count: ordered.count)
        docs.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: ordered.count) { i in
                out[i] = Result { try blobs[i].map { try decrypt($0, id: id) } }
            }
        }
        return try ordered.indices.map { i in
            RecordVersion(commit: ordered[i].0.hex, author: ordered[i].1.authorName, date: ordered[i].1.time,
                          customer: try docs[i]!.get())  // every slot was filled above
        }
    }

    /// A revision expression (HEAD~3, a commit id or prefix) as a commit id.
    public func revision(_ spec: String) throws -> String {
        guard let c = try repo.resolveRevision(spec) else {
            throw VaultError.notFound(Message("revision.none", ["revision": spec]))
        }
        return c.hex
    }

    /// The record as it was at a commit (nil when it did not exist then).
    public func read(_ id: RecordID, at revision: String) throws -> Customer? {
        guard let c = try repo.resolveRevision(revision) else {
            throw VaultError.notFound(Message("revision.none", ["revision": revision]))
        }
        return try read(id, inTree: try repo.commit(c).tree)
    }

    /// Records whose file differs between two revisions.
    public func changedRecords(from old: String?, to new: String) throws -> [RecordID] {
        func tree(_ rev: String?) throws -> ObjectID? {
            guard let rev else { return nil }
            guard let c = try repo.resolveRevision(rev) else { throw VaultError.notFound(Message("revision.none", ["revision": rev])) }
            return try repo.entry(at: "records", inTree: try repo.commit(c).tree)?.id
        }
        return try repo.changedPaths(from: tree(old), to: tree(new), prefix: "records/").compactMap { RecordID(path: $0) }
    }

    /// The newest commit made on or before the end of `day` (YYYY-MM-DD),
    /// or nil when the vault is younger than that.
    public func lastCommit(onOrBefore day: String) throws -> String? {
        var found: String?
        try repo.walkFirstParents(from: try head()) { c in
            if Dates.format(try repo.commit(c).time) <= day {
                found = c.hex
                return false
            }
            return true
        }
        return found
    }
}
