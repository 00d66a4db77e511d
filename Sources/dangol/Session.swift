import DangolKit
import Foundation

/// The vault this run unlocked, so that after the command has done its work
/// the working-tree mirror can be handed to a background `dangol mirror`.
enum Session {
    nonisolated(unsafe) static var vault: Vault?

    /// DANGOL_MIRROR=inline updates the working tree and index before the
    /// command returns (for scripts that run git right after); the default
    /// leaves it to a detached `dangol mirror`, so a change in a large vault
    /// returns as soon as it is committed.
    static var mode: MirrorUpdate {
        ProcessInfo.processInfo.environment["DANGOL_MIRROR"].flatMap(MirrorUpdate.init(rawValue:)) ?? .deferred
    }

    /// The head and the access log's ref when the vault was opened: a
    /// change moves both, a read the log's ref.
    nonisolated(unsafe) static var headAtOpen: String?
    nonisolated(unsafe) static var auditAtOpen: String?

    static func opened(_ v: Vault) -> Vault {
        v.mirrorUpdate = mode == .none ? .deferred : mode
        vault = v
        headAtOpen = try? v.headID()
        auditAtOpen = (try? v.auditHeadID()) ?? nil
        return v
    }

    /// Starts `dangol mirror` for a vault with a pending mirror update. It
    /// needs no key, and its environment carries no passphrase. If it cannot
    /// start, the next command repairs the mirror itself.
    static func finish() {
        startMirror()
        autoPush()
    }

    /// After a change or a read (the access log is part of the backup), to
    /// the remotes the vault pushes to automatically.
    /// DANGOL_AUTOPUSH=inline pushes before returning (tests, scripts); by
    /// default a detached `dangol push --auto` does it. Either way each push
    /// has AutoPush's short timeout and a failure only leaves a note for the
    /// next command: the change is already saved.
    static func autoPush() {
        guard let v = vault, let before = headAtOpen,
              (try? v.headID()) != before || ((try? v.auditHeadID()) ?? nil) != auditAtOpen,
              let locked = try? LockedVault.open(at: v.path), !locked.autoPushRemotes.isEmpty
        else { return }
        if ProcessInfo.processInfo.environment["DANGOL_AUTOPUSH"] == "inline" {
            locked.autoPush(settings: Transport.settings())
            return
        }
        guard let exe = ProcessIdentity.executablePath else { return }
        detached(exe, ["push", "--auto", "--vault", v.path])
    }

    private static func detached(_ exe: String, _ args: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DANGOL_") }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
    }

    private static func startMirror() {
        guard let v = vault, v.mirrorPending, let exe = ProcessIdentity.executablePath else { return }
        detached(exe, ["mirror", "--vault", v.path])
    }
}
