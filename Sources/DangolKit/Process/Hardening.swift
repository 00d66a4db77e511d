import DangolText
import Foundation
internal import CHardening

/// Safe start-up, as pass does it: files dangol creates are private to the
/// user (umask 077), and the process cannot dump core or print a crash
/// report, so a crash never writes decrypted records or the vault key out.
public enum ProcessHardening {
    public static func apply() {
        umask(0o077)
        // The Swift runtime catches these to print a crash report on standard
        // error: each register and the 16 bytes of memory it points to, read
        // from the dying process, where a key or a decrypted record may sit,
        // into whatever log stderr goes to. dangol dies at once instead.
        for sig in [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV] { signal(sig, SIG_DFL) }
        if dangol_disable_core_dumps() != 0 {
            let why = Catalogue.text("hardening.core_dumps", ["detail": String(cString: strerror(errno))])
            FileHandle.standardError.write(Data("dangol: warning: \(why)\n".utf8))
        }
    }
}
