// DangolKit is the vault: records, keys, history, and the rules that keep a
// salon's customer data safe. It speaks Swift types; libgit2 and libsodium sit
// behind DangolGit and DangolCrypto.
import DangolCrypto
import DangolGit
@_exported import DangolText
import Foundation

/// Every failure the CLI can report. Each case belongs to one category, and
/// each category has its own exit code (see `ExitCategory`). What it says is
/// a `Message`, rendered in the reader's language where it is printed.
public enum VaultError: Error, CustomStringConvertible {
    case usage(Message)
    case wrongPassphrase
    case noPassphrase(Message)
    case notFound(Message)
    case ambiguous(query: String, candidates: [RecordID])
    case integrity(file: String, reason: Message)
    case conflict(Message)
    case invalidInput(Message)
    case weakPassphrase(Message)
    case notAVault(Message)
    case io(Message)
    /// A backup remote could not be reached or refused.
    case remote(Message)
    /// The person who unlocked may not do this (a staff key, see Vault/Roles.swift).
    case notAllowed(Message)

    public var message: Message {
        switch self {
        case .usage(let m), .noPassphrase(let m), .notFound(let m), .conflict(let m), .invalidInput(let m),
             .notAVault(let m), .io(let m), .remote(let m), .notAllowed(let m):
            return m
        case .wrongPassphrase: return Message("error.wrong_passphrase")
        case .ambiguous(let q, let c): return Message("error.ambiguous", ["query": q, "n": arg(c.count)])
        case .integrity(let file, let reason): return Message("error.integrity", ["file": file], parts: ["reason": reason])
        case .weakPassphrase(let m): return Message("error.weak_passphrase", parts: ["reason": m])
        }
    }

    public var description: String { message.description }

    public var category: ExitCategory {
        switch self {
        case .usage, .noPassphrase, .weakPassphrase: return .usage
        case .wrongPassphrase: return .wrongPassphrase
        case .notFound, .notAVault: return .notFound
        case .ambiguous: return .usage
        case .integrity: return .integrity
        case .conflict: return .conflict
        case .invalidInput: return .invalidInput
        case .io: return .failure
        case .remote: return .remote
        case .notAllowed: return .notAllowed
        }
    }
}

/// Exit codes, documented in `dangol --help` and README. Distinct per kind
/// of failure so scripts can tell them apart.
public enum ExitCategory: Int32, CaseIterable, Sendable {
    case failure = 1
    case usage = 2
    case wrongPassphrase = 3
    case notFound = 4
    case integrity = 5
    case conflict = 6
    case remote = 7
    case invalidInput = 8
    case notAllowed = 9

    /// What the code means, in the reader's language.
    public var meaning: String { Catalogue.text("exit.\(rawValue)") }

    /// The category of any error dangol can meet.
    public static func of(_ error: Error) -> ExitCategory {
        switch error {
        case let e as VaultError: return e.category
        case let e as ValidationFailure: _ = e; return .invalidInput
        case let e as GitError where e.result == .locked || e.result == .modified || e.result == .exists:
            return .conflict
        case is CryptoError: return .integrity
        default: return .failure
        }
    }
}

/// A write the disk refused: full, over quota, read-only or failing. libgit2
/// and Foundation each word these their own way ("unknown error", "Error
/// Domain=NSPOSIXErrorDomain Code=28"); the user needs one plain sentence.
public enum DiskFault: Equatable, Sendable {
    case full
    case readOnly
    case failing

    public var message: Message {
        switch self {
        case .full: return Message("disk.full")
        case .readOnly: return Message("disk.read_only")
        case .failing: return Message("disk.failing")
        }
    }

    /// The fault behind `error`, when it is one.
    public static func of(_ error: Error) -> DiskFault? {
        switch error {
        case let e as GitError: return of(errno: e.systemError) ?? of(message: e.message)
        case let e as FileError: return of(errno: e.code)
        case let e as VaultError:
            if case .io(let m) = e { return of(message: m.text(.en)) }
            return nil
        default:
            let e = error as NSError
            if e.domain == NSPOSIXErrorDomain, let fault = of(errno: Int32(e.code)) { return fault }
            if let underlying = e.userInfo[NSUnderlyingErrorKey] as? Error { return of(underlying) }
            return nil
        }
    }

    /// Which call failed on which file: Foundation's own wording names no file.
    public static func detail(_ error: Error) -> Message {
        if error is GitError || error is VaultError || error is FileError { return Message.of(error) }
        if let path = (error as? CocoaError)?.filePath { return Message("disk.writing", ["path": path]) }
        return .verbatim((error as NSError).localizedDescription)
    }

    static func of(errno code: Int32) -> DiskFault? {
        switch code {
        case ENOSPC, EDQUOT: return .full
        case EROFS: return .readOnly
        case EIO: return .failing
        default: return nil
        }
    }

    static func of(message: String) -> DiskFault? {
        for code in [ENOSPC, EDQUOT, EROFS, EIO] where message.contains(String(cString: strerror(code))) {
            return of(errno: code)
        }
        return nil
    }
}
