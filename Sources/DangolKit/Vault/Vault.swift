import DangolCrypto
import DangolGit
import DangolTemplates
import DangolText
import Foundation

/// The person who unlocked the vault; their name authors every commit.
public struct Person: Sendable, Equatable {
    public let name: String
    public let role: KeySlot.Role
    public let slotID: String

    /// Commits need an email; a made-up address naming the key slot (never
    /// anything personal) lets `log` tell people with the same name apart.
    public var email: String { "\(slotID)@dangol.invalid" }
}

/// An unlocked vault. Everything it reads comes from the branch head in the
/// object database; the working tree is only a mirror for the owner to see.
public final class Vault {
    public static let branch = "refs/heads/main"
    static let mirrorMarker = "dangol-mirror"

    public let path: String
    let repo: Repository
    /// Replaced when opening upgrades an older format.
    public internal(set) var metadata: VaultMetadata
    let key: VaultKey
    public let person: Person
    /// The unlocking person's key pair, when their passphrase opened a slot
    /// of version 2 (not with the agent or the recovery code).
    var personKey: PersonKey?
    /// Whether this process holds the unlocking person's secret key.
    public var holdsPersonKey: Bool { personKey != nil }
    /// What opening found that the key did not write (Integrity.swift): no
    /// change is made while there is any.
    public internal(set) var integrityProblems: [IntegrityProblem] = []
    /// Key slots that are refused or were not made with this key.
    public internal(set) var slotWarnings: [IntegrityProblem] = []
    /// Why an upgrade due at this open could not be made (it is tried again).
    public internal(set) var upgradeFailure: Error?
    /// When the working tree and index follow a commit (see Mirror.swift).
    public var mirrorUpdate: MirrorUpdate = .inline
    /// When commits say they were made: now, unless a generator of made-up
    /// history (dangol-synth) spreads them over the past. The CLI never
    /// sets it.
    public var commitClock: (() -> Date)?
    /// A commit was made whose mirror update is still to do.
    public internal(set) var mirrorPending = false
    var mirror: Mirror { Mirror(repo: repo) }

    /// Packs the loose objects when a dangol command would have after
    /// returning (Repository.packIfWorthIt), for a program that makes many
    /// changes in one process: dangol-synth, so that generated history has
    /// the shape the same history made through dangol has.
    /// A vault kept in format 1 is packed as dangol packed it then: every
    /// object whole (the before of the ten-year benchmark).
    public func packAsUsed() throws {
        _ = try repo.packIfWorthIt(deltas: !accessLogOnBranch, apart: [Self.auditRef])
    }

    init(path: String, repo: Repository, metadata: VaultMetadata, key: VaultKey, person: Person) {
        self.path = path
        self.repo = repo
        self.metadata = metadata
        self.key = key
        self.person = person
    }

    /// Creates a vault at `path` (which must not exist, or be an empty
    /// directory) owned by `owner`. Returns it unlocked, with the recovery code
    /// that the caller must show once and then forget.
    public static func create(
        at path: String, owner: String, passphrase: SecureBytes, kdf: KDFParameters, salonWords: [String] = []
    ) throws -> (Vault, recoveryCode: SecureBytes) {
        try create(at: path, owner: owner, passphrase: passphrase, kdf: kdf, salonWords: salonWords,
                   format: VaultMetadata.currentFormat)
    }

    /// `format` 1 or 2 only for the tests of older formats and their upgrade.
    static func create(
        at path: String, owner: String, passphrase: SecureBytes, kdf: KDFParameters, salonWords: [String],
        format: Int
    ) throws -> (Vault, recoveryCode: SecureBytes) {
        let owner = owner.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
        guard !owner.isEmpty, owner.utf8.count <= KeySlot.maxNameBytes, !owner.contains("<"), !owner.contains(">"),
              !owner.contains("\n")
        else { throw VaultError.usage(Message("vault.bad_owner", ["max": arg(KeySlot.maxNameBytes)])) }
        try kdf.validateOrUsage()
        guard kdf == .level(.test) || kdf.atLeast(.level(.moderate)) == kdf else {
            throw VaultError.usage(Message("init.below_floor"))
        }
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: path), !existing.isEmpty {
            throw VaultError.usage(Message("vault.init_not_empty", ["path": path]))
        }
        try PassphrasePolicy.check(passphrase, ownWords: [owner, "dangol", "단골"] + salonWords)

        let createdDirectory = !fm.fileExists(atPath: path)
        let repo = try Repository.create(at: path)
        do {
            return try populate(repo, path: path, owner: owner, passphrase: passphrase, kdf: kdf, format: format)
        } catch {
            // Leave nothing half-made: the directory goes back to how it was.
            if createdDirectory {
                try? fm.removeItem(atPath: path)
            } else {
                for item in (try? fm.contentsOfDirectory(atPath: path)) ?? [] {
                    try? fm.removeItem(atPath: (path as NSString).appendingPathComponent(item))
                }
            }
            throw error
        }
    }

    private static func populate(_ repo: Repository, path: String, owner: String, passphrase: SecureBytes,
                                 kdf: KDFParameters, format: Int) throws -> (Vault, recoveryCode: SecureBytes) {
        let key = try VaultKey.generate()
        var metadata = VaultMetadata.new(kdf: kdf)
        metadata.format = format
        var files: [String: [UInt8]] = [VaultMetadata.fileName: try metadata.encoded(key: key)]

        let ownerID = Random.bytes(8)
        // A vault of an older format (its tests) gets the slot that format had.
        let ownerSlot = format < VaultMetadata.currentFormat
            ? try KeySlot.create(kind: .person, role: .owner, name: owner, secret: try Passphrase.forNewSlot(passphrase),
                                 parameters: metadata.slotParameters, key: key, slotID: ownerID)
            : try KeySlot.createPerson(
                role: .owner, name: owner, secret: try Passphrase.forNewSlot(passphrase),
                parameters: metadata.slotParameters, key: key, slotID: ownerID, trusted: [])
        files[Slots.path(ownerID)] = ownerSlot.encoded()
        // The recovery code has 160 random bits, so the KDF adds little; it
        // still gets the floor every slot gets (test vaults the minimum).
        let code = try RecoveryCode.generate()
        let recoveryID = Random.bytes(8)
        let recoverySlot = try KeySlot.create(kind: .recovery, role: .none, name: "recovery", secret: code,
                                              parameters: metadata.slotParameters, key: key, slotID: recoveryID)
        files[Slots.path(recoveryID)] = recoverySlot.encoded()
        for t in Templates.all { files["templates/\(t.name)"] = t.bytes }
        files[".gitattributes"] = Array(Textconv.gitattributes.utf8)

        let person = Person(name: owner, role: .owner, slotID: hex(ownerID))
        let vault = Vault(path: path, repo: repo, metadata: metadata, key: key, person: person)
        _ = try vault.commitUnlogged(
            operation: "init", files: files, summary: ChangeSummary(event: .vaultCreated), expectedHead: nil)
        try vault.repairWiring()
        return (vault, code)
    }

    /// The commit the access log's ref points to (nil before its first entry).
    public func auditHeadID() throws -> String? { try repo.resolve(Self.auditRef)?.hex }

    /// The commit the branch points to.
    func head() throws -> ObjectID {
        guard let h = try repo.resolve(Self.branch) else {
            throw VaultError.integrity(file: "refs/heads/main", reason: Message("vault.no_commits"))
        }
        return h
    }

    var gitDirectory: String { repo.gitDirectory }
}

extension KDFParameters {
    func validateOrUsage() throws {
        do { try validate() } catch let e as CryptoError { throw VaultError.usage(e.message) }
    }
}
