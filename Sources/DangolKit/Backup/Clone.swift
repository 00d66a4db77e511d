import DangolGit
import DangolText
import Foundation

/// Restoring a vault from a backup: a new repository, every vault ref
/// fetched (from a path remote: copied, see Repository.copyObjects) straight
/// into place, the working tree checked out. No key is
/// needed for that; the caller unlocks afterwards and runs `check`.
public enum VaultClone {
    public static func clone(url raw: String, to path: String, settings: TransportSettings) throws -> LockedVault {
        let url = raw.hasPrefix("ssh://") ? raw : LockedVault.absolute(raw)
        if raw.hasPrefix("ssh://") {
            guard SSHURL(raw) != nil else {
                throw VaultError.usage(Message("remote.bad_ssh_url", ["url": raw]))
            }
        } else if !FileManager.default.fileExists(atPath: url) {
            throw VaultError.remote(Message("clone.no_backup", ["url": url]))
        }
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: path), !existing.isEmpty {
            throw VaultError.usage(Message("clone.not_empty", ["path": path]))
        }
        let created = !fm.fileExists(atPath: path)
        do {
            let repo = try Repository.create(at: path)
            if raw.hasPrefix("ssh://") {
                try repo.fetch(url: url, refspecs: LockedVault.pushedPrefixes.map { "+\($0)*:\($0)*" }, settings: settings)
            } else {
                // A path remote's packs are copied as they are, every object's
                // id checked on the way; anything there that the refs do not
                // reach (an interrupted push's leftovers) is dropped, and
                // everything they do reach must have arrived.
                try repo.copyObjects(from: url, refs: LockedVault.pushedPrefixes)
                _ = try repo.purgeUnreachable()
            }
            guard try repo.resolve(Vault.branch) != nil else {
                throw VaultError.notAVault(Message("clone.no_vault", ["url": url, "branch": Vault.branch]))
            }
            try repo.setHead(Vault.branch)
            try repo.addRemote(name: "origin", url: url)
            // The backup holds exactly what was fetched: nothing to push yet.
            let refs = try repo.references().filter { r in LockedVault.pushedPrefixes.contains { r.name.hasPrefix($0) }
            }
            try RemoteStates.update(repo) {
                $0.remotes["origin"] = RemoteStates.State(
                    lastPush: nil, pushed: Dictionary(uniqueKeysWithValues: refs.map { ($0.name, $0.target.hex) }))
            }
            let vault = try LockedVault.open(at: path)
            try vault.syncMirror()
            return vault
        } catch {
            if created {
                try? fm.removeItem(atPath: path)
            } else {
                for item in (try? fm.contentsOfDirectory(atPath: path)) ?? [] {
                    try? fm.removeItem(atPath: (path as NSString).appendingPathComponent(item))
                }
            }
            if let f = error as? RemoteFailure { throw VaultError.remote(f.message) }
            if let g = error as? GitError { throw VaultError.remote(Message("clone.failed", ["url": url, "detail": g.message])) }

            throw error
        }
    }
}
