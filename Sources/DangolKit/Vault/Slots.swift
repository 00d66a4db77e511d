import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// Key slots live at keys/<16 hex>.slot, one per person plus the recovery
/// slot. The slot id is random and bound into the slot's associated data.
enum Slots {
    static func path(_ id: [UInt8]) -> String { "keys/\(hex(id)).slot" }

    static func all(in repo: Repository, tree: ObjectID) throws -> [(id: [UInt8], slot: KeySlot)] {
        guard let dir = try repo.entry(at: "keys", inTree: tree), dir.kind == .tree else {
            throw VaultError.integrity(file: "keys/", reason: Message("slots.none"))
        }
        var out = [(id: [UInt8], slot: KeySlot)]()
        for e in try repo.treeEntries(dir.id) where e.kind == .blob && e.name.hasSuffix(".slot") {
            guard let id = unhex(String(e.name.dropLast(5))), id.count == 8 else { continue }
            do {
                out.append((id, try KeySlot.decode(try repo.readBlob(e.id))))
            } catch let error as CryptoError {
                throw VaultError.integrity(file: "keys/\(e.name)", reason: error.message)
            }
        }
        return out
    }
}

/// A vault that is open but not unlocked: its metadata and key slots are
/// readable, nothing else.
public final class LockedVault {
    public let path: String
    let repo: Repository
    public let metadata: VaultMetadata
    let slots: [(id: [UInt8], slot: KeySlot)]
    /// Whether unlocking may repair the mirror and the git wiring (textconv,
    /// called by git in the middle of a diff, must not write anything).
    var maintenance = true

    /// Opens the vault at exactly `path`.
    public static func open(at path: String) throws -> LockedVault {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw VaultError.notAVault(Message("vault.none.no_directory", ["path": path]))
        }
        guard FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(".git")) else {
            throw VaultError.notAVault(Message("vault.none.not_git", ["path": path]))
        }
        let repo = try Repository.open(at: path)
        guard let head = try repo.resolve(Vault.branch) else {
            throw VaultError.notAVault(Message("vault.none.no_history", ["path": path]))
        }
        let tree = try repo.commit(head).tree
        guard let meta = try repo.entry(at: VaultMetadata.fileName, inTree: tree) else {
            throw VaultError.notAVault(Message("vault.none.no_metadata", ["path": path, "file": VaultMetadata.fileName]))
        }
        let metadata = try VaultMetadata.decode(try repo.readBlob(meta.id))
        return LockedVault(path: path, repo: repo, metadata: metadata, slots: try Slots.all(in: repo, tree: tree))
    }

    /// Brings the working tree and index level with the head (the work a
    /// deferred mirror update leaves to `dangol mirror`). Needs no key.
    public func syncMirror(timeout: TimeInterval = WriteLock.defaultTimeout) throws {
        let lock = try WriteLock(gitDirectory: repo.gitDirectory, timeout: timeout)
        defer { withExtendedLifetime(lock) {} }
        guard let head = try repo.resolve(Vault.branch) else { return }
        try Mirror(repo: repo).bringUpToDate(head: head)
        // Housekeeping while the lock is held anyway, after the command that
        // made the change has returned (see Repository.packLooseObjects).
        _ = try repo.packIfWorthIt()
    }

    /// Packs every loose object now and merges the packs into one (`dangol
    /// gc`). Needs no key: objects are moved as they are.
    public func packObjects(timeout: TimeInterval = WriteLock.defaultTimeout) throws -> RepackReport {
        let lock = try WriteLock(gitDirectory: repo.gitDirectory, timeout: timeout)
        defer { withExtendedLifetime(lock) {} }
        var report = try repo.packLooseObjects()
        report.packsMerged = try repo.mergePacks()
        return report
    }

    private init(path: String, repo: Repository, metadata: VaultMetadata, slots: [(id: [UInt8], slot: KeySlot)]) {
        self.path = path
        self.repo = repo
        self.metadata = metadata
        self.slots = slots
    }

    /// The names of the people who hold a slot, owner first.
    public var people: [String] { personSlots(user: nil).map(\.slot.name) }

    private func personSlots(user: String?) -> [(id: [UInt8], slot: KeySlot)] {
        slots.filter { $0.slot.kind == .person && (user == nil || $0.slot.name == user) }
            .sorted { ($0.slot.role == .owner ? 0 : 1, $0.slot.name) < ($1.slot.role == .owner ? 0 : 1, $1.slot.name) }
    }

    /// Tries the passphrase on the person slots (only `user`'s if given).
    /// Each try costs one Argon2id run, so the owner's slot goes first.
    public func unlock(passphrase: SecureBytes, user: String? = nil) throws -> Vault {
        let candidates = personSlots(user: user)
        if let user, candidates.isEmpty { throw VaultError.notFound(Message("person.none", ["person": user])) }
        let forms = try Passphrase.forms(passphrase)
        for (id, slot) in candidates {
            for form in forms {
                do {
                    let key = try slot.unwrap(secret: form, slotID: id)
                    return try opened(key: key, person: Person(name: slot.name, role: slot.role, slotID: hex(id)))
                } catch CryptoError.unauthenticated {
                    continue
                }
            }
        }
        throw VaultError.wrongPassphrase
    }

    /// Opens with the recovery code printed at init; acts as the owner.
    public func unlock(recoveryCode: SecureBytes) throws -> Vault {
        let code: SecureBytes
        do { code = try RecoveryCode.normalize(recoveryCode) } catch let e as CryptoError {
            throw VaultError.usage(Message("recovery.malformed"))
        }
        guard let (id, slot) = slots.first(where: { $0.slot.kind == .recovery }) else {
            throw VaultError.notFound(Message("recovery.no_slot"))
        }
        let key: VaultKey
        do { key = try slot.unwrap(secret: code, slotID: id) } catch CryptoError.unauthenticated {
            throw VaultError.wrongPassphrase
        }
        let owner = personSlots(user: nil).first { $0.slot.role == .owner }?.slot.name ?? "owner"
        return try opened(key: key, person: Person(name: owner, role: .owner, slotID: hex(id)))
    }

    private func opened(key: VaultKey, person: Person) throws -> Vault {
        let vault = Vault(path: path, repo: repo, metadata: metadata, key: key, person: person)
        if maintenance {
            try vault.mirror.repairIfStale()
            try vault.repairWiring()
        }
        return vault
    }
}
