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

    static func opened(_ v: Vault) -> Vault {
        v.mirrorUpdate = mode == .none ? .deferred : mode
        vault = v
        return v
    }

    /// Starts `dangol mirror` for a vault with a pending mirror update. It
    /// needs no key, and its environment carries no passphrase. If it cannot
    /// start, the next command repairs the mirror itself.
    static func finish() {
        guard let v = vault, v.mirrorPending, let exe = ProcessIdentity.executablePath else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["mirror", "--vault", v.path]
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DANGOL_") }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
    }
}
