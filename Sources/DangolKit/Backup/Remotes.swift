import DangolGit
import DangolText
import Foundation

/// One remote as `dangol remote list` shows it.
public struct RemoteStatus: Sendable {
    public let name: String
    public let url: String
    public let autoPush: Bool
    public let lastPush: String?
    /// Commits of the branch not yet at the remote, as far as dangol knows
    /// (from its last push); nil when never pushed or after a rewrite.
    public let ahead: Int?
    public let behind: Int?
    /// A rewrite (erasure, passwd, rekey, user remove) happened since the last push: the
    /// next push forces the refs it moved.
    public let rewrittenSince: [String]
    public let autoPushFailure: Message?
}

/// What `dangol push` did.
public struct PushReport: Sendable {
    public let remote: String
    public let url: String
    public let pushed: [String]
    /// Forced refs and the operations that rewrote them.
    public let forced: [(ref: String, because: [String])]
    public let deleted: [String]
    /// For a path remote after a forced push: what its purge did.
    public let remotePurged: RemotePurge?
}

/// The purge of a path remote after a forced push, and its verification.
public struct RemotePurge: Sendable {
    public let objectsRemoved: Int
    /// File versions of the old history (records, slots, log) that the new one lacks.
    public let versionsGone: Int
    /// How many of them are still found there (0 when the purge worked).
    public let remnantsFound: Int
}

/// Remote names go into .git/config and messages: plain words only.
enum RemoteName {
    static func validate(_ name: String) throws {
        let ok =
            !name.isEmpty && name.count <= 40
            && name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "-_".unicodeScalars.contains($0)
            }
            && name.unicodeScalars.allSatisfy(\.isASCII) && !name.hasPrefix("-")
        guard ok else {
            throw VaultError.usage(Message("remote.bad_name", ["remote": name]))
        }
    }
}

extension LockedVault {
    /// The refs a backup carries: the branch, tags and notes, and the access
    /// log's ref (refs/dangol/audit). The index cache is a file, not a ref;
    /// refs/remotes/, the commits `dangol reject` set aside
    /// (refs/dangol/rejected/) and anything else local stay home.
    static let pushedPrefixes = ["refs/heads/", "refs/notes/", "refs/tags/", "refs/dangol/"]

    static func isPushed(_ ref: String) -> Bool {
        pushedPrefixes.contains { ref.hasPrefix($0) } && !ref.hasPrefix(Vault.rejectedPrefix)
    }

    /// Adds a remote: a local path (a bare repository is created there if
    /// there is none) or ssh://user@host[:port]/path.
    public func addRemote(name: String, url raw: String) throws -> String {
        try RemoteName.validate(name)
        if try repo.remotes().contains(where: { $0.name == name }) {
            throw VaultError.usage(Message("remote.exists", ["remote": name]))
        }
        let url: String
        if raw.hasPrefix("ssh://") {
            guard let u = SSHURL(raw) else {
                throw VaultError.usage(Message("remote.bad_ssh_url", ["url": raw]))
            }
            guard u.user != nil else {
                throw VaultError.usage(Message("remote.ssh_needs_user", ["host": u.host]))
            }
            url = raw
        } else if raw.contains("://") || raw.contains("@") && raw.contains(":") {
            throw VaultError.usage(Message("remote.unsupported_url", ["url": raw]))
        } else {
            url = Self.absolute(raw)
            if url == (path as NSString).standardizingPath || url.hasPrefix((path as NSString).standardizingPath + "/")
            {
                throw VaultError.usage(Message("remote.inside_vault"))
            }
            do { try Repository.createBare(at: url) } catch let e as GitError {
                throw VaultError.remote(Message("remote.cannot_create", ["url": url, "detail": e.message]))
            }
        }
        try repo.addRemote(name: name, url: url)
        // A new remote has seen every rewrite so far: there is nothing of the
        // old histories there to overwrite.
        let seen = RewriteLog.load(repo).latest
        try RemoteStates.update(repo) { $0.remotes[name] = RemoteStates.State(rewritesSeen: seen) }
        return url
    }

    public func removeRemote(name: String) throws {
        guard try repo.remotes().contains(where: { $0.name == name }) else {
            throw VaultError.notFound(Message("remote.no_such", ["remote": name]))
        }
        try repo.removeRemote(name: name)
        try RemoteStates.update(repo) { $0.remotes[name] = nil }
    }

    /// Changes on the branch since `base` (all of them when nil): commits
    /// other than access-log entries, which a reader makes too and which
    /// are not what "3 changes behind" means to the owner.
    func changes(from head: ObjectID, since base: ObjectID?) throws -> Int {
        var n = 0
        try repo.walkFirstParents(from: head) { c in
            if c == base { return false }
            if CommitMessage.parse(try repo.commit(c).message).operation != "audit" { n += 1 }
            return true
        }
        return n
    }

    public func remoteStatuses() throws -> [RemoteStatus] {
        let states = RemoteStates.load(repo)
        let log = RewriteLog.load(repo)
        let auto = Set(metadata.settings.autoPush ?? [])
        let head = try repo.resolve(Vault.branch)
        return try repo.remotes().map { r in
            let s = states.remotes[r.name] ?? RemoteStates.State()
            var ahead: Int?, behind: Int?
            if let head, let pushedHex = s.pushed[Vault.branch], let pushed = ObjectID(hex: pushedHex),
                try repo.contains(pushed)
            {
                (ahead, behind) = try repo.aheadBehind(head, pushed)
                if behind == 0 { ahead = try changes(from: head, since: pushed) }
            } else if let head, s.lastPush == nil {
                ahead = try changes(from: head, since: nil)
                behind = 0
            }
            let rewritten = log.rewrites.filter { $0.sequence > s.rewritesSeen }.map(\.operation)
            return RemoteStatus(
                name: r.name, url: r.url, autoPush: auto.contains(r.name), lastPush: s.lastPush,
                ahead: rewritten.isEmpty ? ahead : nil, behind: rewritten.isEmpty ? behind : nil,
                rewrittenSince: rewritten, autoPushFailure: s.autoPushFailureMessage)
        }
    }

    /// The remote a bare `dangol push` means: the only one there is.
    public func defaultRemote() throws -> String {
        let all = try repo.remotes()
        guard !all.isEmpty else {
            throw VaultError.usage(Message("remote.none"))
        }
        guard all.count == 1 else {
            throw VaultError.usage(
                Message("remote.several", ["n": arg(all.count), "remotes": all.map(\.name).joined(separator: ", ")]))
        }
        return all[0].name
    }

    /// Pushes every vault ref. A ref is forced only when a rewrite this
    /// remote has not seen moved it; any other refusal is an error.
    public func push(remote name: String, settings: TransportSettings, allowForce: Bool = true) throws -> PushReport {
        guard let config = try repo.remotes().first(where: { $0.name == name }) else {
            throw VaultError.notFound(Message("remote.no_such", ["remote": name]))
        }
        let lock = try WriteLock(
            gitDirectory: repo.gitDirectory, timeout: WriteLock.defaultTimeout,
            file: "dangol-push.lock", busy: Message("lock.busy_pushing"))
        defer { withExtendedLifetime(lock) {} }
        if !config.url.hasPrefix("ssh://") && !FileManager.default.fileExists(atPath: config.url) {
            // A path remote is created only by remote add: an unplugged disk
            // must not turn into a fresh backup in the mount point.
            throw VaultError.remote(Message("remote.path_missing", ["remote": name, "url": config.url]))
        }
        let remoteLock = try Self.lockPathRemote(config)
        defer { withExtendedLifetime(remoteLock) {} }
        let state = RemoteStates.load(repo).remotes[name] ?? RemoteStates.State()
        let log = RewriteLog.load(repo)
        let unseen = log.rewrites.filter { $0.sequence > state.rewritesSeen }
        let local = try repo.references().filter { Self.isPushed($0.name) }
        var specs = [String]()
        var forced = [(ref: String, because: [String])]()
        for r in local {
            let because = unseen.filter { $0.refs.contains(r.name) }.map(\.operation)
            if because.isEmpty {
                specs.append("\(r.name):\(r.name)")
            } else {
                specs.append("+\(r.name):\(r.name)")
                forced.append((r.name, Array(Set(because)).sorted()))
            }
        }
        if !forced.isEmpty && !allowForce {
            // Overwriting a backup's history is left to a push a person asks for.
            throw VaultError.remote(
                Message("remote.auto_push_no_force",
                        ["remote": name, "operations": Set(forced.flatMap(\.because)).sorted().joined(separator: ", ")]))
        }
        let names = Set(local.map(\.name))
        let deleted = state.pushed.keys.filter { !names.contains($0) }.sorted()
        specs += deleted.map { ":\($0)" }
        do {
            try repo.push(remote: name, refspecs: specs, settings: settings)
        } catch let f as RemoteFailure {
            var detail = f.message
            if case .failed(let m) = f, m.hasSuffix(".") { detail = .verbatim(String(m.dropLast())) }
            let failure = Message("remote.failed", ["remote": name], parts: ["detail": detail])
            throw VaultError.remote(Self.diverged(f) ? Message("remote.failed_diverged", parts: ["failure": failure]) : failure)
        }
        // The purge comes before the rewrites are recorded as seen: a push
        // killed in between forces the (now equal) refs again next time and
        // so purges again, instead of leaving the old history there for good.
        var purged: RemotePurge?
        if !forced.isEmpty && !config.url.hasPrefix("ssh://") {
            let oldTips = forced.compactMap { f in state.pushed[f.ref].flatMap(ObjectID.init(hex:)) }
            CrashPoint.reached("remote-purge")
            purged = try Self.purgeRemote(at: config.url, oldTips: oldTips)
        }
        try RemoteStates.update(repo) { all in
            var s = all.remotes[name] ?? RemoteStates.State()
            s.lastPush = ISO8601DateFormatter().string(from: Date())
            s.pushed = Dictionary(uniqueKeysWithValues: local.map { ($0.name, $0.target.hex) })
            s.rewritesSeen = log.latest
            s.autoPushFailure = nil
            s.autoPushFailedAt = nil
            all.remotes[name] = s
        }
        return PushReport(
            remote: name, url: config.url, pushed: local.map(\.name), forced: forced, deleted: deleted,
            remotePurged: purged)
    }

    /// A path remote is written only by dangol, each push holding
    /// `dangol-push.lock` in it; once we hold that, a `.lock` file of git's
    /// there (a ref, packed-refs) is a killed push's or purge's leftover,
    /// which would fail every later push, and it goes. Nil for ssh remotes.
    static func lockPathRemote(_ remote: RemoteConfig) throws -> WriteLock? {
        guard !remote.url.hasPrefix("ssh://") else { return nil }
        let lock = try WriteLock(
            gitDirectory: remote.url + "/", timeout: WriteLock.defaultTimeout, file: "dangol-push.lock",
            busy: Message("lock.busy_pushing_to", ["url": remote.url]))
        unlink(remote.url + "/packed-refs.lock")
        removeLockFiles(under: remote.url + "/refs")
        return lock
    }

    static func removeLockFiles(under directory: String) {
        guard let walk = FileManager.default.enumerator(atPath: directory) else { return }
        while let rel = walk.nextObject() as? String {
            if rel.hasSuffix(".lock") { unlink(directory + "/" + rel) }
        }
    }

    /// The directories whose old versions a rewrite leaves behind: records
    /// (erase, rekey), key slots (passwd, rekey, user remove), the access log (rekey).
    static let rewrittenDirectories = ["records", "keys", "audit"]

    /// A path remote after a forced push: its reflogs and every object the
    /// new history does not reach are deleted, as in the local vault, and
    /// then it is verified: every file version the old tips held under
    /// `rewrittenDirectories` and the new history does not is looked for.
    static func purgeRemote(at path: String, oldTips: [ObjectID]) throws -> RemotePurge {
        do {
            let bare = try Repository.openBare(at: path)
            let present = try oldTips.filter { try bare.contains($0) }
            let old = try bare.commits(from: present)
            let new = try bare.commits(reachableFrom: pushedPrefixes)
            var gone = Set<ObjectID>()
            for dir in rewrittenDirectories {
                let before = Set(try bare.distinctFiles(under: dir, in: old).files.map(\.blob))
                let after = Set(try bare.distinctFiles(under: dir, in: new).files.map(\.blob))
                gone.formUnion(before.subtracting(after))
            }
            try bare.dropHistoryTrails()
            let removed = try bare.purgeUnreachable().objectsRemoved
            let scan = try bare.scanForRemnants(ids: gone, needles: [])
            return RemotePurge(objectsRemoved: removed, versionsGone: gone.count, remnantsFound: scan.total)
        } catch let e as GitError {
            throw VaultError.remote(Message("remote.purge_failed", ["path": path, "detail": e.message]))
        }
    }

    /// Whether the remote refused because it has commits this vault lacks.
    static func diverged(_ f: RemoteFailure) -> Bool {
        if case .rejected = f { return true }
        // libgit2 says it this way when it sees the remote ahead before sending.
        if case .failed(let m) = f, m.contains("not present locally") { return true }
        return false
    }


    static func absolute(_ raw: String) -> String {
        let expanded = (raw as NSString).expandingTildeInPath
        let abs = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        return (abs as NSString).standardizingPath
    }
}

/// The command line sets these without importing DangolGit.
public typealias TransportSettings = DangolGit.TransportSettings

extension TransportSettings {
    /// ssh keys and known_hosts from $HOME/.ssh, and ssh-agent when it
    /// runs: what a push from the command line or the front desk uses.
    public static func fromEnvironment(acceptNewHostKey: Bool = false) -> TransportSettings {
        let env = ProcessInfo.processInfo.environment
        return TransportSettings(
            sshDirectory: (env["HOME"] ?? NSHomeDirectory()) + "/.ssh", acceptNewHostKey: acceptNewHostKey,
            agentSocket: env["SSH_AUTH_SOCK"].flatMap { $0.isEmpty ? nil : $0 })
    }
}
