import DangolGit
import DangolText
import Foundation

/// Pushing after every change, to the remotes the vault's settings name.
///
/// The push runs in a child process started after the command has saved
/// its change (as the working-tree mirror does), so a slow or absent remote
/// never delays or fails the save. The child needs no key: what it sends is
/// already encrypted. libgit2 1.5 has no connect timeout, so the child
/// waits for the push on another thread for `timeout` seconds and gives
/// up (recording why) when it does not come back; the next command then
/// says that the backup is behind.
extension LockedVault {
    public static let autoPushTimeout: TimeInterval = 5

    public var autoPushRemotes: [String] { metadata.settings.autoPush ?? [] }

    /// Pushes to each auto-push remote, each within `timeout`; failures are
    /// recorded, never thrown. Returns the remotes that failed.
    @discardableResult
    public func autoPush(settings: TransportSettings, timeout: TimeInterval = autoPushTimeout) -> [String: Message] {
        var failures = [String: Message]()
        let configured = Set(((try? repo.remotes()) ?? []).map(\.name))
        for name in autoPushRemotes where configured.contains(name) {
            let done = DispatchSemaphore(value: 0)
            let outcome = Outcome()
            let path = self.path
            Thread.detachNewThread {
                // Its own handle: libgit2 objects are not shared across threads.
                do {
                    let v = try LockedVault.open(at: path)
                    _ = try v.push(remote: name, settings: settings, allowForce: false)
                } catch {
                    outcome.error = .of(error)
                }
                done.signal()
            }
            let message: Message?
            if done.wait(timeout: .now() + timeout) == .timedOut {
                message = Message("push.auto_timeout", ["seconds": arg(Int(timeout))])
            } else {
                message = outcome.error
            }
            if let message {
                failures[name] = message
                try? RemoteStates.update(repo) { all in
                    var s = all.remotes[name] ?? RemoteStates.State()
                    s.autoPushFailure = nil
                    s.autoPushProblem = message
                    s.autoPushFailedAt = ISO8601DateFormatter().string(from: Date())
                    all.remotes[name] = s
                }
            }
        }
        return failures
    }

    /// One line per auto-push remote whose last automatic push failed and
    /// that lacks commits: `backup "usb" is 3 changes behind (last push …)`.
    public func backupNotes() -> [Message] {
        guard !autoPushRemotes.isEmpty, let statuses = try? remoteStatuses() else { return [] }
        return statuses.compactMap { s in
            guard s.autoPush, s.autoPushFailure != nil else { return nil }
            let last = s.lastPush.map { Message("push.last_push", ["time": LocalTime.text(stored: $0)]) }
                ?? Message("push.never_pushed")
            if !s.rewrittenSince.isEmpty {
                return Message("push.note_rewritten", ["remote": s.name, "operations": s.rewrittenSince.joined(separator: ", ")],
                               parts: ["last": last])
            }
            guard let n = s.ahead, n > 0 else { return nil }
            return Message("push.note_behind", ["remote": s.name, "n": arg(n)], count: n, parts: ["last": last])
        }
    }

    private final class Outcome: @unchecked Sendable { var error: Message? }
}

extension Vault {
    /// Turns pushing after every change on or off for a remote (a setting
    /// in dangol.json, committed like any change of the vault's rules).
    public func setAutoPush(_ name: String, on: Bool) throws {
        guard try repo.remotes().contains(where: { $0.name == name }) else {
            throw VaultError.notFound(Message("remote.no_such", ["remote": name]))
        }
        var meta = metadata
        var list = Set(meta.settings.autoPush ?? [])
        if on { list.insert(name) } else { list.remove(name) }
        meta.settings.autoPush = list.isEmpty ? nil : list.sorted()
        guard meta != metadata else { return }
        try commitFiles(
            operation: "settings", files: [VaultMetadata.fileName: try meta.encoded(key: key)],
            summary: ChangeSummary(event: on ? .autoPushOn : .autoPushOff))

    }
}
