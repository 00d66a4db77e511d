import DangolCrypto
import DangolGit
import Foundation

/// An erasure interrupted by a crash is finished by a later run; in between,
/// the vault stays usable, and every read appends to the access log. Those
/// entries are on top of the old history, which the erasure replaces: they
/// must move with it, or the log would lose them (and `audit verify` would
/// rightly say so).
extension Vault {
    /// Whether every first-parent commit from `start` back to `ancestor`
    /// changed nothing but files under audit/.
    func onlyAccessLogSince(_ ancestor: ObjectID, _ start: ObjectID) throws -> Bool {
        var found = false
        var onlyLog = true
        try repo.walkFirstParents(from: start) { id in
            if id == ancestor {
                found = true
                return false
            }
            let c = try repo.commit(id)
            guard let parent = c.parents.first else {
                onlyLog = false
                return false
            }
            let changed = try repo.changedPaths(from: try repo.commit(parent).tree, to: c.tree)
            if !changed.allSatisfy({ $0.hasPrefix("audit/") }) {
                onlyLog = false
                return false
            }
            return true
        }
        return found && onlyLog
    }

    /// A commit on `base` whose audit/ is that of `source`, with the tip of
    /// the log it now ends with. Written, not yet referenced.
    func carryAccessLog(from source: ObjectID, onto base: ObjectID) throws -> ObjectID {
        let sourceTree = try repo.commit(source).tree
        let baseTree = try repo.commit(base).tree
        let paths = try repo.changedPaths(
            from: try repo.entry(at: "audit", inTree: baseTree)?.id,
            to: try repo.entry(at: "audit", inTree: sourceTree)?.id,
            prefix: "audit/")
        var changes = [String: ObjectID?]()
        for p in paths { changes[p] = .some(try repo.entry(at: p, inTree: sourceTree)?.id) }
        let tree = try repo.editTree(base: baseTree, changes: changes)
        var trailers = [String]()
        if let newest = try auditFiles(inTree: tree).last,
            let last = try repo.readBlob(newest.blob).split(separator: 0x0A).last
        {
            trailers.append(
                Self.auditTipTrailer + "\(try decodeAudit(Array(last)).sequence) \(Hash.blake2b(Array(last)))")
        }
        let sealed = try ChangeSummary(event: .accessLogCarried).seal(tree: tree, key: key)

        let message = CommitMessage(operation: "audit", records: [], sealedSummary: sealed, trailers: trailers)
        return try repo.createCommit(
            tree: tree, parents: [base], authorName: person.name, authorEmail: person.email, message: message.text)
    }
}
