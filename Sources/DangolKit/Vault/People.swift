import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// The people who hold a key to the vault: one person key slot each.
public struct PersonSlot: Sendable, Equatable {
    public var name: String
    public var role: KeySlot.Role
    public var slotID: String
}

/// What removing a person did to the history.
public struct PersonRemoval: Sendable {
    public var commitsRewritten: Int
    public var objectsRemoved: Int
    public var objectsScanned: Int
    /// Old versions of the slot still found after the purge (0 when it worked).
    public var remnantsFound: Int
}

extension Vault {
    /// Every person slot at the head, owner first.
    public func people() throws -> [PersonSlot] {
        let persons = try headSlots().persons.map { PersonSlot(name: $0.slot.name, role: $0.slot.role, slotID: hex($0.id)) }
        return persons.sorted { ($0.role == .owner ? 0 : 1, $0.name) < ($1.role == .owner ? 0 : 1, $1.name) }
    }

    /// The key slots at the head.
    func headSlots() throws -> SlotSet { try Slots.all(in: repo, tree: try repo.commit(try head()).tree) }

    /// Gives a new person their own slot: a key pair under their passphrase,
    /// the same vault key sealed to it (so the cryptography cannot tell them
    /// from the owner: roles are kept by the program, see Roles.swift).
    public func addPerson(name raw: String, role: KeySlot.Role, passphrase: SecureBytes) throws {
        try requireOwner(to: Message("role.do.add_people"))
        let name = raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= KeySlot.maxNameBytes, !name.contains("<"), !name.contains(">"),
            !name.contains("\n")
        else {
            throw VaultError.usage(Message("person.bad_name", ["max": arg(KeySlot.maxNameBytes)]))
        }
        guard role == .owner || role == .staff else { throw VaultError.usage(Message("person.bad_role")) }
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let slots = try headSlots()
        if slots.persons.contains(where: { $0.slot.name == name }) {
            throw VaultError.conflict(Message("person.exists", ["person": name]))
        }
        guard slots.persons.count < Slots.maxPeople else {
            throw VaultError.usage(Message("user.too_many", ["n": arg(Slots.maxPeople)]))
        }
        try PassphrasePolicy.check(passphrase, ownWords: [name, person.name, "dangol", "단골"])
        let id = Random.bytes(8)
        // Their key pair under their passphrase; the owners whose slots this
        // key wrote are the ones they trust to seal them a new vault key.
        let slot = try newPersonSlot(id: id, role: role, name: name, passphrase: try Passphrase.forNewSlot(passphrase), slots: slots)
        try commitLogged(
            operation: "user", records: [:], files: [Slots.path(id): slot.encoded()],
            summary: ChangeSummary(event: .personAdded, about: [role == .owner ? "owner" : "staff"]), expectedHead: try head(),
            logAction: "user-add", logReason: "\(name) (\(role == .owner ? "owner" : "staff"))")
    }

    /// Removes a person's slot from the head and from every version of the
    /// history (as an erasure removes a record), then deletes the old
    /// objects and looks for them: an old slot left in history would still
    /// open the vault with the removed person's passphrase. Like `passwd`
    /// and `rekey` it is a rewrite the remotes hear of, so the next push
    /// forces it (and purges a path remote). What they may have copied
    /// before cannot be taken back: hence `dangol rekey` afterwards.
    public func removePerson(name: String, progress: (Message) -> Void = { _ in }) throws -> PersonRemoval {
        try requireOwner(to: Message("role.do.remove_people"))
        try refuseIfTampered()
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        if pendingErasure { throw VaultError.usage(Message("rekey.erasure_pending")) }
        let everyone = try people()
        guard let gone = everyone.first(where: { $0.name == name }), let id = unhex(gone.slotID) else {
            throw VaultError.notFound(Message("person.none", ["person": name]))
        }
        if gone.role == .owner && everyone.filter({ $0.role == .owner }).count == 1 {
            throw VaultError.usage(Message("person.only_owner", ["person": name]))
        }
        let path = Slots.path(id)
        progress(Message("person.step.rewriting"))
        // Summaries are sealed to their commit's tree; the trees change, so
        // they are sealed again (nothing is erased from the messages). The
        // commit that added the slot changed nothing else, and goes.
        let scrub = MessageScrub(erased: [], key: key)
        let result = try repo.rewriteHistory(removing: [path], leaving: [Self.auditRef]) {
            _, message, newTree, oldTree in
            try scrub.scrub(message, oldTree: oldTree, newTree: newTree)
        }
        // Every version of the slot: the wrapped key is what the removed
        // passphrase would open, and it must be nowhere after the purge.
        let needles = try Resealer.sample(repo, result.removedBlobs)
        progress(Message("erase.step.purging"))
        let report = try switchToRewritten(
            references: result.references, commitsRewritten: result.commitsRewritten, operation: "user-remove",
            removedBlobs: result.removedBlobs, needles: needles
        ) { parent in (parent, [path: nil]) }
        try appendAudit("user-remove", records: [], reason: "\(name) (\(gone.role == .owner ? "owner" : "staff"))")
        return PersonRemoval(
            commitsRewritten: report.commitsRewritten, objectsRemoved: report.objectsRemoved,
            objectsScanned: report.objectsScanned, remnantsFound: report.remnantsFound)
    }
}
