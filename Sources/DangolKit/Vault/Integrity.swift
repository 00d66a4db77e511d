import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// Something in the vault that was not written by someone holding its key,
/// found when the vault was opened.
public struct IntegrityProblem: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let reason: Message
    public var error: VaultError { .integrity(file: file, reason: reason) }
    public var message: Message { error.message }
    public var description: String { message.description }
    /// A commit made outside dangol, on the branch or the access log's ref.
    public var isOutsideCommit: Bool {
        file.hasPrefix("commit ") || file.hasPrefix(Vault.auditRef + " commit ")
    }
}

extension Vault {
    /// What opening with the key checks: dangol.json's MAC (a failure
    /// blocks every change: `integrityProblems`), and each key slot, which
    /// must parse within the cost cap and, for a person's slot of version 2,
    /// carry a MAC under this key (a failure is a warning: `slotWarnings`).
    /// An older format is upgraded, and the unlocking person's slot brought
    /// up to date, when `upgrade` and nothing is wrong.
    func verifyOnOpen(slots: SlotSet, upgrade: Bool, passphrase: SecureBytes?) throws {
        // Every commit dangol makes seals its summary to its tree: a head
        // whose summary does not open was made by someone without the key.
        let top = try head()
        if (try? summary(of: top)) == nil {
            let c = try outsideCommit(top)
            integrityProblems.append(
                IntegrityProblem(
                    file: "commit \(c.id)",
                    reason: Message("commit.outside", ["author": c.author, "date": c.date])))
        }
        // Nor on a commit of the access log's ref that dangol did not write
        // (an unreadable log is for the first append, and check, to name).
        integrityProblems += (try? outsideLogProblems()) ?? []
        slotWarnings = slots.refused.map { IntegrityProblem(file: $0.file, reason: $0.reason) }
        for f in slots.persons where f.slot.format == 2 && !f.slot.verifies(under: key, slotID: f.id) {
            slotWarnings.append(IntegrityProblem(file: f.path, reason: Message("slot.not_ours")))
        }
        let bytes = try vaultFile(VaultMetadata.fileName) ?? []
        if metadata.format >= VaultMetadata.currentFormat {
            if !VaultMetadata.verify(bytes, key: key) {
                integrityProblems.append(
                    IntegrityProblem(file: VaultMetadata.fileName, reason: Message("settings.tampered")))
            }
        } else if upgrade {
            // A file without a MAC is taken as it is only from a head that
            // dangol made (its summary opens): not one somebody put there to
            // have an older format's unprotected settings adopted.
            if (try? summary(of: try head())) == nil {
                integrityProblems.append(
                    IntegrityProblem(file: VaultMetadata.fileName, reason: Message("settings.unverified_upgrade")))
            } else if integrityProblems.isEmpty {
                // The access log's move is made, or the open fails, as
                // before format 3: every writer from here on appends to the
                // log's ref, which a vault of format 1 does not have.
                if metadata.format == 1 { try upgradeFormat(to: 2, passphrase: passphrase, slots: slots) }
                tryUpgrade { try upgradeFormat(passphrase: passphrase, slots: slots) }
            }
            return
        }
        guard upgrade, integrityProblems.isEmpty, let passphrase, let own = unlockedSlotID,
            let file = slots.slot(own), file.slot.kind == .person
        else { return }
        if file.slot.format == 1 || file.slot.trusted != trustedOwners(slots, for: file) {
            tryUpgrade { try refreshOwnSlot(file, passphrase: passphrase) }
        }
    }

    /// An upgrade is done when it can be: one that cannot (a full disk, an
    /// erasure waiting to be finished, another writer) leaves the vault as
    /// it was, readable, and is tried again at the next open.
    private func tryUpgrade(_ body: () throws -> Void) {
        do { try body() } catch { upgradeFailure = error }
    }

    /// The owners a person's slot trusts to seal them a new vault key: every
    /// owner whose version 2 slot this key wrote, and whoever sealed the key
    /// the slot holds now (so that it keeps opening).
    func trustedOwners(_ slots: SlotSet, for file: SlotFile) -> [KeySlot.Trusted] {
        var out = trustedOwners(slots, forNew: file.id)
        if file.slot.format == 2, file.slot.sender != file.id, !out.contains(where: { $0.slotID == file.slot.sender }),
            let kept = file.slot.trusted.first(where: { $0.slotID == file.slot.sender })
        {
            out.append(kept)
        }
        return Array(out.sorted { $0.slotID.lexicographicallyPrecedes($1.slotID) }.prefix(KeySlot.maxTrusted))
    }

    private func trustedOwners(_ slots: SlotSet, forNew id: [UInt8]) -> [KeySlot.Trusted] {
        slots.persons.filter { $0.id != id && $0.slot.role == .owner && $0.slot.verifies(under: key, slotID: $0.id) }
            .map { KeySlot.Trusted(slotID: $0.id, publicKey: $0.slot.publicKey) }
            .sorted { $0.slotID.lexicographicallyPrecedes($1.slotID) }
    }

    /// Format 2 to 3 (a format-1 vault has had its access log moved first:
    /// Audit/Migration.swift): dangol.json gets its MAC, and the unlocking
    /// person's slot its key pair; other people's slots follow when each of
    /// them next unlocks with their passphrase (only they can wrap a key
    /// pair under it). One commit, with its access-log entry. The caller
    /// holds the write lock.
    func upgradeToFormat3(passphrase: SecureBytes?, slots: SlotSet) throws {
        let head = try head()
        var meta = metadata
        meta.format = VaultMetadata.currentFormat
        var files: [String: [UInt8]?] = [VaultMetadata.fileName: try meta.encoded(key: key)]
        if let passphrase, let own = unlockedSlotID, let file = slots.slot(own), file.slot.kind == .person {
            files[file.path] = try personSlot(for: file, passphrase: passphrase, slots: slots).encoded()
        }
        try commitLogged(
            operation: "upgrade", records: [:], files: files, summary: ChangeSummary(event: .formatUpgraded, about: [arg(meta.format)]),
            expectedHead: head, logAction: "upgrade")
        metadata = meta
    }

    /// The unlocking person's slot written as version 2 with their key pair
    /// (a version 1 slot), or with the owners it trusts brought up to date.
    private func refreshOwnSlot(_ file: SlotFile, passphrase: SecureBytes) throws {
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let head = try head()
        let current = try Slots.all(in: repo, tree: try repo.commit(head).tree)
        guard let now = current.slot(file.id), now.slot == file.slot else { return }
        try commitLogged(
            operation: "upgrade", records: [:],
            files: [file.path: try personSlot(for: file, passphrase: passphrase, slots: current).encoded()],
            summary: ChangeSummary(event: .keySlotUpgraded), expectedHead: head, logAction: "upgrade")
    }

    /// A version 2 slot for the person of `file`, under `passphrase`, at
    /// least at the vault's floor cost (its own, if higher, unless `reset`),
    /// sealed by themselves; their key pair is kept when this process holds it.
    func personSlot(for file: SlotFile, passphrase: SecureBytes, slots: SlotSet, reset: Bool = false) throws -> KeySlot {
        let floor = metadata.slotParameters
        let parameters = !reset && file.slot.parameters.atLeast(floor) == file.slot.parameters ? file.slot.parameters : floor
        let own = file.id == unlockedSlotID
        let pair = try (own ? personKey : nil) ?? PersonKey.generate()
        // The unlocking person's new pair is the one this process holds now
        // (a rekey later in the same process seals with it).
        if own { personKey = pair }
        return try KeySlot.createPerson(
            role: file.slot.role, name: file.slot.name, secret: passphrase, parameters: parameters, key: key,
            slotID: file.id, trusted: trustedOwners(slots, for: file), personKey: pair)
    }

    /// A version 2 slot for a new person.
    func newPersonSlot(id: [UInt8], role: KeySlot.Role, name: String, passphrase: SecureBytes, slots: SlotSet) throws
        -> KeySlot
    {
        try KeySlot.createPerson(
            role: role, name: name, secret: passphrase, parameters: metadata.slotParameters, key: key, slotID: id,
            trusted: trustedOwners(slots, forNew: id))
    }

    /// Refuses a change while something was found that the key did not write.
    func refuseIfTampered() throws {
        if let first = integrityProblems.first { throw first.error }
    }
}
