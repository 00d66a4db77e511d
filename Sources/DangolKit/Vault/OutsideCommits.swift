import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// A commit on the branch that dangol did not make: its sealed summary is
/// missing or does not open on its tree, so whoever made it did not hold the
/// vault key (plain git, a script, a tamperer). Named as git shows it.
public struct OutsideCommit: Sendable, Equatable {
    public let id: String
    public let authorName: String
    public let authorEmail: String
    /// git's own rendering: "2026-12-04 19:00:12 +0900".
    public let date: String
    /// The files it changed against its first parent.
    public let changed: [String]
    /// Who accepted it, when, if the owner did (`dangol accept`).
    public var acceptedIn: String?

    public var author: String { "\(authorName) <\(authorEmail)>" }

    /// "made outside dangol, by … on …, changing n files".
    public var message: Message {
        Message("commit.outside_short", ["author": author, "date": date, "files": arg(changed.count)], count: changed.count)
    }
}

/// What `accept` and `reject` did.
public struct OutsideResolution: Sendable {
    public let commits: [OutsideCommit]
    /// The newest commit dangol made under them.
    public let lastGood: String
    /// `accept`: dangol.json was put back as dangol last wrote it.
    public var settingsRestored = false
    /// `reject`: where the set-aside commits are kept (nil when dropped).
    public var keptAt: String?
    /// `reject --drop`: old objects deleted.
    public var objectsRemoved = 0
    /// Erased customers whose record file the commits put back.
    public var erasedPutBack: [RecordID] = []
}

extension Vault {
    static let acceptedTrailer = "Dangol-Accepted: "
    static let rejectedPrefix = "refs/dangol/rejected/"

    /// Whether dangol (or someone with the key) made this commit: its
    /// summary opens on its tree, and a format 3 dangol.json in it carries
    /// the key's MAC.
    func madeWithKey(_ commit: ObjectID) -> Bool {
        guard (try? summary(of: commit)) != nil, let info = try? repo.commit(commit) else { return false }
        guard let entry = try? repo.entry(at: VaultMetadata.fileName, inTree: info.tree),
            let bytes = try? repo.readBlob(entry.id), let meta = try? VaultMetadata.decode(bytes)
        else { return true }
        return meta.format < VaultMetadata.currentFormat || VaultMetadata.verify(bytes, key: key)
    }

    /// The commit as git shows its author and date.
    func outsideCommit(_ id: ObjectID) throws -> OutsideCommit {
        let c = try repo.commit(id)
        let zone = TimeZone(secondsFromGMT: c.timeZoneOffsetMinutes * 60) ?? .current
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        let base = try c.parents.first.map { try repo.commit($0).tree }
        return OutsideCommit(
            id: id.hex, authorName: c.authorName, authorEmail: c.authorEmail, date: f.string(from: c.time),
            changed: try repo.changedPaths(from: base, to: c.tree), acceptedIn: nil)
    }

    /// The commits at the top of the branch that dangol did not make, newest
    /// first, and the newest commit under them that it did.
    public func outsideCommitsAtHead() throws -> (commits: [OutsideCommit], lastGood: ObjectID?) {
        var out = [OutsideCommit]()
        var good: ObjectID?
        try repo.walkFirstParents(from: try head()) { id in
            if madeWithKey(id) {
                good = id
                return false
            }
            out.append(try outsideCommit(id))
            return true
        }
        return (out, good)
    }

    /// Every commit of every branch and tag that dangol did not make, the
    /// accepted ones with the commit that accepted them (`check --history`,
    /// `audit verify`). The root commit is dangol's `init`.
    public func outsideCommitsInHistory() throws -> [OutsideCommit] {
        let commits = try repo.commits(reachableFrom: ["refs/heads/", "refs/tags/"])
        var accepted = [String: String]()
        var out = [OutsideCommit]()
        for c in commits {
            if madeWithKey(c) {
                for t in CommitMessage.parse(try repo.commit(c).message).trailers where t.hasPrefix(Self.acceptedTrailer) {
                    accepted[String(t.dropFirst(Self.acceptedTrailer.count))] = c.hex
                }
            } else if let o = try? outsideCommit(c) {
                // (One git cannot read is check's own finding.)
                out.append(o)
            }
        }
        return out.map { var o = $0; o.acceptedIn = accepted[o.id]; return o }
    }

    /// The owner keeps what was committed outside dangol on top of the branch,
    /// having looked at it: `commit` must be the head. One `accept` commit
    /// names each commit accepted and has its access-log entry; a dangol.json
    /// they changed is put back as dangol last wrote it (settings change only
    /// through dangol). Changes are made again from then on. A commit put on
    /// the access log's ref is not accepted: only dangol writes the log.
    public func accept(_ commit: String) throws -> OutsideResolution {
        try requireOwner(to: Message("role.do.accept"))
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let head = try head()
        if let onLog = try outsideLogCommitsAtTip().commits.first {
            throw VaultError.usage(Message("accept.log_commit", ["commit": onLog.hex]))
        }
        let (commits, lastGood) = try outsideCommitsAtHead()
        guard !commits.isEmpty else { throw VaultError.usage(Message("accept.nothing")) }
        guard let lastGood else { throw VaultError.integrity(file: "refs/heads/main", reason: Message("reject.no_good")) }
        guard commit.count >= 7, head.hex.hasPrefix(commit.lowercased()) else {
            throw VaultError.usage(Message("accept.not_head", ["commit": commit, "head": head.hex]))
        }
        // An erased customer does not come back by being accepted.
        if let back = try erasedPutBack(commits).first {
            throw VaultError.integrity(
                file: back.path, reason: Message("accept.erased_back", ["id": back.hex]))
        }
        // Any dangol.json other than the one dangol last wrote goes back
        // (one of an older format too: its format decides where the log is).
        var files = [String: [UInt8]?]()
        let settings = try vaultFile(VaultMetadata.fileName) ?? []
        let good = try repo.entry(at: VaultMetadata.fileName, inTree: try repo.commit(lastGood).tree)
            .map { try repo.readBlob($0.id) }
        if let good, settings != good, !VaultMetadata.verify(settings, key: key) {
            files[VaultMetadata.fileName] = good
            metadata = try VaultMetadata.decode(good)
        }
        integrityProblems = []
        let ids = commits.map(\.id)
        guard try commitLogged(
            operation: "accept", records: [:], files: files,
            summary: ChangeSummary(event: .outsideAccepted, about: ids.map { String($0.prefix(12)) }), expectedHead: head,
            trailers: ids.map { Self.acceptedTrailer + $0 }, logReason: ids.joined(separator: " "), allowUnchanged: true)
            != nil
        else { throw VaultError.io(Message("accept.not_written")) }
        var r = OutsideResolution(commits: commits, lastGood: lastGood.hex)
        r.settingsRestored = !files.isEmpty
        return r
    }

    /// The owner goes back to the last commits dangol made, on the branch and
    /// on the access log's ref: each moves there, and the commits above are
    /// kept, not lost, under refs/dangol/rejected/ (never pushed), unless
    /// `drop` or they put back an erased customer: then they and every
    /// object only they held are deleted. The access log says so.
    public func reject(drop: Bool = false) throws -> OutsideResolution {
        try requireOwner(to: Message("role.do.reject"))
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let head = try head()
        let (commits, lastGood) = try outsideCommitsAtHead()
        let log = try outsideLogCommitsAtTip()
        guard !commits.isEmpty || !log.commits.isEmpty else { throw VaultError.usage(Message("accept.nothing")) }
        if !commits.isEmpty && lastGood == nil {
            throw VaultError.integrity(file: "refs/heads/main", reason: Message("reject.no_good"))
        }
        // An erased customer put back is not kept, not even aside.
        let erased = try erasedPutBack(commits)
        let drop = drop || !erased.isEmpty
        let aside = Self.rejectedPrefix + hex(Random.bytes(4)) + "-"
        var r = OutsideResolution(
            commits: commits + (try log.commits.map { try outsideCommit($0) }), lastGood: (lastGood ?? head).hex)
        if let tip = log.commits.first {
            let kept = drop ? nil : aside + "audit-" + String(tip.hex.prefix(12))
            try rejectLogCommits(log.commits, lastGood: log.lastGood, keptAt: kept)
            r.keptAt = kept
        }
        if let lastGood, !commits.isEmpty {
            let kept = drop ? nil : aside + String(head.hex.prefix(12))
            if let kept { try repo.updateReference(kept, to: head, expected: nil, logMessage: "dangol: reject") }
            WriteLock.removeStaleGitLocks(gitDirectory)
            do {
                try repo.updateReference(Self.branch, to: lastGood, expected: head, logMessage: "dangol: reject")
            } catch let e as GitError where [.modified, .exists, .locked].contains(e.result) {
                throw VaultError.conflict(Message("reject.changed_meanwhile", ["detail": e.message]))
            }
            unlink(IndexCache.path(repo))
            let changed = try repo.changedPaths(from: try repo.commit(head).tree, to: try repo.commit(lastGood).tree)
            var workdir = [String: ObjectID?]()
            for p in changed { workdir[p] = .some(try repo.entry(at: p, inTree: try repo.commit(lastGood).tree)?.id) }
            try? repo.syncWorkdir(workdir)
            try? mirror.record(lastGood)
            r.keptAt = kept
            metadata = try formatAtHead().0
        }
        integrityProblems = []
        r.erasedPutBack = erased
        if drop {
            // Nothing references them now: gone, as an erasure's leftovers go.
            try repo.dropHistoryTrails()
            r.objectsRemoved = try repo.purgeUnreachable().objectsRemoved
        }
        try appendAudit("reject", records: [], reason: r.commits.map(\.id).joined(separator: " "))
        return r
    }

    /// Records the commits put back whose customer the access log says was
    /// erased (a record file restored from an old copy).
    func erasedPutBack(_ commits: [OutsideCommit]) throws -> [RecordID] {
        guard !commits.isEmpty else { return [] }
        // Entries that do not open (a line put on the log without the key)
        // are `audit verify`'s to name; the erasures are in those that do.
        let entries = decodeAuditResults(try auditLines()).compactMap { try? $0.get() }
        let erased = Set(entries.filter { $0.action == "erase" }.flatMap(\.records))
        guard !erased.isEmpty else { return [] }
        let ids = Set(commits.flatMap(\.changed).compactMap { RecordID(path: $0) }.filter { erased.contains($0.hex) })
        let tree = try repo.commit(try head()).tree
        return try ids.filter { try repo.entry(at: $0.path, inTree: tree) != nil }.sorted { $0.hex < $1.hex }
    }
}
