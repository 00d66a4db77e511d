// DangolKit is the vault: records, keys, history, and the rules that keep a
// salon's customer data safe. It speaks Swift types; libgit2 and libsodium sit
// behind DangolGit and DangolCrypto.
import DangolCrypto
import DangolGit

/// Every failure the CLI can report. Each case belongs to one category, and
/// each category has its own exit code (see `ExitCategory`).
public enum VaultError: Error, CustomStringConvertible {
    case usage(String)
    case wrongPassphrase
    case noPassphrase(String)
    case notFound(String)
    case ambiguous(query: String, candidates: [RecordID])
    case integrity(file: String, reason: String)
    case conflict(String)
    case invalidInput(String)
    case weakPassphrase(String)
    case notAVault(String)
    case io(String)
    /// A backup remote could not be reached or refused.
    case remote(String)
    /// The person who unlocked may not do this (a staff key, see Vault/Roles.swift).
    case notAllowed(String)

    public var description: String {
        switch self {
        case .usage(let m): return m
        case .wrongPassphrase: return "wrong passphrase: no key slot of this vault opens with it"
        case .noPassphrase(let m): return m
        case .notFound(let m): return m
        case .ambiguous(let q, let c): return "\"\(q)\" matches \(c.count) customers; give more of the id or the number"
        case .integrity(let file, let reason): return "\(file): \(reason)"
        case .conflict(let m): return m
        case .invalidInput(let m): return m
        case .weakPassphrase(let m): return "passphrase refused: \(m)"
        case .notAVault(let m): return m
        case .io(let m): return m
        case .remote(let m): return m
        case .notAllowed(let m): return m
        }
    }

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

    public var meaning: String {
        switch self {
        case .failure: return "any other failure (I/O, libgit2, out of memory)"
        case .usage: return "usage error: bad arguments, no passphrase source, refused passphrase"
        case .wrongPassphrase: return "wrong passphrase"
        case .notFound: return "no such vault, customer or revision"
        case .integrity: return "integrity failure: a damaged, tampered or unreadable file"
        case .conflict: return "another writer holds the vault, or changed it meanwhile"
        case .remote: return "a backup remote failed"
        case .invalidInput: return "invalid record data (schema, date, phone, forbidden field)"
        case .notAllowed: return "not allowed: the person who unlocked has a staff key and this needs the owner"
        }
    }

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
