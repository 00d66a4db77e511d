import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// What any error says, as a `Message`: dangol's own errors carry one; the
/// layers below (libgit2, libsodium, the system) speak English of their
/// own, so their errors get a frame from the catalogue and keep the
/// library's words only where they are the library's (a libgit2 message,
/// strerror), never as the whole sentence.
extension Message {
    public static func of(_ error: Error) -> Message {
        switch error {
        case let e as VaultError: return e.message
        case let e as ValidationFailure: return e.message
        case let e as CryptoError: return e.message
        case let e as RemoteFailure: return e.message
        case let e as GitError:
            return Message("error.git", ["function": e.function, "code": arg(e.result.rawValue), "detail": e.message])
        case let e as FileError: return Message("error.file", ["path": e.path, "detail": String(cString: strerror(e.code))])
        default: return .verbatim("\(error)")
        }
    }
}

extension CryptoError {
    public var message: Message {
        switch self {
        case .unauthenticated: return Message("crypto.unauthenticated")
        case .truncated(let expected, let got):
            return Message("crypto.truncated", ["expected": expected, "got": arg(got)])
        case .badMagic(let expected): return Message("crypto.bad_magic", ["expected": expected])
        case .unknownVersion(let kind, let version):
            return Message("crypto.unknown_version", ["kind": kind, "version": arg(version)])
        case .recordMoved(let claimed): return Message("crypto.record_moved", ["record": claimed])
        case .kdfParametersRefused(let why): return Message("crypto.kdf_refused", ["detail": why])
        case .sodium(let call): return Message("crypto.sodium", ["call": call])
        case .malformed(let why): return .verbatim(why)
        }
    }
}

extension RemoteFailure {
    public var message: Message {
        switch self {
        case .unknownHost(let h, let f, let k):
            return Message("remote.unknown_host", ["host": h, "fingerprint": f, "known_hosts": k])
        case .changedHostKey(let h, let f, let k, let line):
            return Message("remote.changed_host_key", ["host": h, "fingerprint": f, "known_hosts": k, "line": arg(line)])
        case .revokedHostKey(let h, let f, let k, let line):
            return Message("remote.revoked_host_key", ["host": h, "fingerprint": f, "known_hosts": k, "line": arg(line)])
        case .noHostKey(let h): return Message("remote.no_host_key", ["host": h])
        case .authentication(let h, let tried):
            if tried.isEmpty { return Message("remote.no_ssh_key_found", ["host": h]) }
            return Message("remote.authentication", ["host": h, "tried": tried.joined(separator: ", ")])
        case .rejected(let ref, let status): return Message("remote.rejected", ["ref": ref, "status": status])
        case .failed(let m): return .verbatim(m)
        }
    }
}
