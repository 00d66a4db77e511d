import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// One key slot file and what it holds.
struct SlotFile {
    let id: [UInt8]
    let slot: KeySlot
    var path: String { Slots.path(id) }
}

/// The key slots of one tree: those that parse, and those that do not
/// (a damaged file, or one asking for an Argon2id cost above the cap, as a
/// slot planted to stall an unlock would), each named with its reason. A
/// bad slot never makes the others unusable.
struct SlotSet {
    var usable: [SlotFile] = []
    var refused: [(file: String, reason: Message)] = []

    var persons: [SlotFile] { usable.filter { $0.slot.kind == .person } }
    var recovery: SlotFile? { usable.first { $0.slot.kind == .recovery } }
    func slot(_ id: [UInt8]) -> SlotFile? { usable.first { $0.id == id } }
}

/// Key slots live at keys/<16 hex>.slot, one per person plus the recovery
/// slot. The slot id is random and bound into the slot's associated data.
enum Slots {
    static func path(_ id: [UInt8]) -> String { "keys/\(hex(id)).slot" }

    /// At most this many people hold a key: a salon's few, and a bound on
    /// what an unlock may try.
    static let maxPeople = 8

    static func all(in repo: Repository, tree: ObjectID) throws -> SlotSet {
        guard let dir = try repo.entry(at: "keys", inTree: tree), dir.kind == .tree else {
            throw VaultError.integrity(file: "keys/", reason: Message("slots.none"))
        }
        var set = SlotSet()
        for e in try repo.treeEntries(dir.id) where e.kind == .blob && e.name.hasSuffix(".slot") {
            guard let id = unhex(String(e.name.dropLast(5))), id.count == 8 else {
                set.refused.append(("keys/\(e.name)", Message("slot.bad_name")))
                continue
            }
            do {
                set.usable.append(SlotFile(id: id, slot: try KeySlot.decode(try repo.readBlob(e.id))))
            } catch let error as CryptoError {
                set.refused.append(("keys/\(e.name)", error.message))
            }
        }
        return set
    }
}

/// A vault that is open but not unlocked: its metadata and key slots are
/// readable, nothing else.
public final class LockedVault {
    public let path: String
    let repo: Repository
    public let metadata: VaultMetadata
    let slots: SlotSet
    /// Whether unlocking may repair the mirror and the git wiring (textconv,
    /// called by git in the middle of a diff, must not write anything).
    var maintenance = true
    /// Whether unlocking brings a vault of an older format to the current
    /// one. Only a generator of format-1 vaults (dangol-synth --layout
    /// branch, for the migration's tests and the before/after benchmark)
    /// turns it off, and then writes format 1 (Audit/BranchLog.swift).
    public var migrates = true

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
        _ = try repo.packIfWorthIt(apart: [Vault.auditRef])
    }

    /// Packs every loose object now and merges the packs into one (`dangol
    /// gc`). Needs no key: objects are moved as they are.
    public func packObjects(timeout: TimeInterval = WriteLock.defaultTimeout) throws -> RepackReport {
        let lock = try WriteLock(gitDirectory: repo.gitDirectory, timeout: timeout)
        defer { withExtendedLifetime(lock) {} }
        var report = try repo.packLooseObjects(apart: [Vault.auditRef])
        report.packsMerged = try repo.mergePacks()
        return report
    }

    private init(path: String, repo: Repository, metadata: VaultMetadata, slots: SlotSet) {
        self.path = path
        self.repo = repo
        self.metadata = metadata
        self.slots = slots
    }

    /// The names of the people who hold a slot, owner first.
    public var people: [String] { personSlots(user: nil).map(\.slot.name) }

    /// Slot files that cannot be used, each with its reason: an unlock
    /// never tries them, and says so.
    public var refusedSlots: [(file: String, reason: Message)] { slots.refused }

    /// The slots an unlock tries, in order: cheapest Argon2id cost first (a
    /// planted slot asking for the most goes last), then owners, then by
    /// name; at most `Slots.maxPeople` of them, each within the cost cap
    /// (enforced while parsing), so no slot file can stall an unlock.
    private func personSlots(user: String?) -> [SlotFile] {
        func cost(_ s: KeySlot) -> Double { Double(s.parameters.opsLimit) * Double(s.parameters.memLimit) }
        return slots.persons.filter { user == nil || $0.slot.name == user }
            .sorted {
                (cost($0.slot), $0.slot.role == .owner ? 0 : 1, $0.slot.name)
                    < (cost($1.slot), $1.slot.role == .owner ? 0 : 1, $1.slot.name)
            }
            .prefix(Slots.maxPeople).map { $0 }
    }

    /// Tries the passphrase on the person slots (only `user`'s if given).
    /// Each try costs one Argon2id run.
    public func unlock(passphrase: SecureBytes, user: String? = nil) throws -> Vault {
        let candidates = personSlots(user: user)
        if let user, candidates.isEmpty { throw VaultError.notFound(Message("person.none", ["person": user])) }
        let forms = try Passphrase.forms(passphrase)
        for file in candidates {
            for form in forms {
                let slot = file.slot
                let key: VaultKey
                var pair: PersonKey?
                do {
                    if slot.format == 2 {
                        let p = try slot.openPersonKey(secret: form, slotID: file.id)
                        pair = p
                        key = try slot.openVaultKey(with: p, slotID: file.id)
                    } else {
                        key = try slot.unwrap(secret: form, slotID: file.id)
                    }
                } catch CryptoError.unauthenticated {
                    continue
                } catch let e as CryptoError {
                    // The passphrase was right, and what it opened is wrong.
                    throw VaultError.integrity(file: file.path, reason: e.message)
                }
                // A slot written again on open (an upgrade) takes the NFC form.
                let person = Person(name: slot.name, role: slot.role, slotID: hex(file.id))
                return try opened(
                    key: key, person: person, passphrase: try Passphrase.forNewSlot(passphrase), personKey: pair)
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
        guard let file = slots.recovery else {
            throw VaultError.notFound(Message("recovery.no_slot"))
        }
        let key: VaultKey
        do { key = try file.slot.unwrap(secret: code, slotID: file.id) } catch CryptoError.unauthenticated {
            throw VaultError.wrongPassphrase
        }
        let owner = personSlots(user: nil).first { $0.slot.role == .owner }?.slot.name ?? "owner"
        return try opened(key: key, person: Person(name: owner, role: .owner, slotID: hex(file.id)))
    }

    /// The vault, checked and brought up to date (Vault/Integrity.swift):
    /// the head made by dangol, dangol.json as the key wrote it, the slots
    /// the key's own, an older format upgraded.
    func opened(key: VaultKey, person: Person, passphrase: SecureBytes? = nil, personKey: PersonKey? = nil) throws
        -> Vault
    {
        let vault = Vault(path: path, repo: repo, metadata: metadata, key: key, person: person)
        vault.personKey = personKey
        try vault.verifyOnOpen(slots: slots, upgrade: maintenance && migrates, passphrase: passphrase)
        if maintenance {
            try vault.mirror.repairIfStale()
            try vault.repairWiring()
            // A change a crash left without its access-log entry gets it;
            // not on a head made outside dangol, which gets nothing.
            if vault.integrityProblems.isEmpty { vault.recoverAccessLogIfIdle() }
        }
        return vault
    }
}
