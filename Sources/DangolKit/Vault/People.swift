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
}

extension Vault {
    /// Every person slot at the head, owner first.
    public func people() throws -> [PersonSlot] {
        try Slots.all(in: repo, tree: try repo.commit(try head()).tree)
            .filter { $0.slot.kind == .person }
            .map { PersonSlot(name: $0.slot.name, role: $0.slot.role, slotID: hex($0.id)) }
            .sorted { ($0.role == .owner ? 0 : 1, $0.name) < ($1.role == .owner ? 0 : 1, $1.name) }
    }

    /// Gives a new person their own slot, wrapping the same vault key under
    /// their passphrase (so the cryptography cannot tell them from the owner:
    /// roles are kept by the program, see Roles.swift).
    public func addPerson(name raw: String, role: KeySlot.Role, passphrase: SecureBytes) throws {
        try requireOwner(to: Message("role.do.add_people"))
        let name = raw.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= KeySlot.maxNameBytes, !name.contains("<"), !name.contains(">"),
            !name.contains("\n")
        else {
            throw VaultError.usage(Message("person.bad_name", ["max": arg(KeySlot.maxNameBytes)]))
        }
        guard role == .owner || role == .staff else { throw VaultError.usage(Message("person.bad_role")) }
        if try people().contains(where: { $0.name == name }) {
            throw VaultError.conflict(Message("person.exists", ["person": name]))
        }
        try PassphrasePolicy.check(passphrase, ownWords: [name, person.name, "dangol", "단골"])
        let id = Random.bytes(8)
        let slot = try KeySlot.create(
            kind: .person, role: role, name: name, secret: try Passphrase.forNewSlot(passphrase),
            parameters: metadata.kdfParameters, key: key, slotID: id)
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        try commitLogged(
            operation: "user", records: [:], files: [Slots.path(id): slot.encoded()],
            summary: ChangeSummary(event: .personAdded, about: [role == .owner ? "owner" : "staff"]), expectedHead: try head(),
            logAction: "user-add", logReason: "\(name) (\(role == .owner ? "owner" : "staff"))")
    }

    /// Removes a person's slot from the head and from every version of the
    /// history (as an erasure removes a record), then deletes the old
    /// objects: an old slot left in history would still open the vault with
    /// the removed person's passphrase. What they may have copied before
    /// cannot be taken back: hence `dangol rekey` afterwards.
    public func removePerson(name: String, progress: (Message) -> Void = { _ in }) throws -> PersonRemoval {
        try requireOwner(to: Message("role.do.remove_people"))
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let everyone = try people()
        guard let gone = everyone.first(where: { $0.name == name }), let id = unhex(gone.slotID) else {
            throw VaultError.notFound(Message("person.none", ["person": name]))
        }
        if gone.role == .owner && everyone.filter({ $0.role == .owner }).count == 1 {
            throw VaultError.usage(Message("person.only_owner", ["person": name]))
        }
        let path = Slots.path(id)
        _ = try commit(
            operation: "user", records: [:], files: [path: nil], summary: ChangeSummary(event: .personRemoved),
            expectedHead: try head())
        try appendAudit("user-remove", records: [], reason: "\(name) (\(gone.role == .owner ? "owner" : "staff"))")
        progress(Message("person.step.rewriting"))
        // Summaries are sealed to their commit's tree; the trees change, so
        // they are sealed again (nothing is erased from the messages).
        let scrub = MessageScrub(erased: [], key: key)
        let result = try repo.rewriteHistory(removing: [path]) { _, message, newTree, oldTree in
            try scrub.scrub(message, oldTree: oldTree, newTree: newTree)
        }
        do {
            try repo.switchReferences(result.references)
        } catch let e as GitError where e.result == .modified || e.result == .locked {
            throw VaultError.conflict(Message("rewrite.references_changed_rewriting", ["detail": e.message]))
        }
        unlink(IndexCache.path(repo))
        try mirror.record(try head())
        progress(Message("erase.step.purging"))

        try repo.dropHistoryTrails()
        let purge = try repo.purgeUnreachable()
        return PersonRemoval(commitsRewritten: result.commitsRewritten, objectsRemoved: purge.objectsRemoved)
    }
}
