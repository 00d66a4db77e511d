import Foundation
internal import CHardening

/// Safe start-up, as pass does it: files dangol creates are private to the
/// user (umask 077), and the process cannot dump core, so a crash never
/// writes decrypted records or the vault key to disk.
public enum ProcessHardening {
    public static func apply() {
        umask(0o077)
        if dangol_disable_core_dumps() != 0 {
            FileHandle.standardError.write(Data("dangol: warning: could not disable core dumps: \(String(cString: strerror(errno)))\n".utf8))
        }
    }
}
