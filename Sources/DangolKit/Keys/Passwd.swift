import DangolCrypto
import DangolGit
import DangolText
import Foundation

extension Vault {
    /// Changes the unlocking person's passphrase. Only their key slot is
    /// written again (same slot id, same vault key: every record file stays
    /// byte for byte); the old slot leaves every commit of the history and
    /// its objects are purged, so the old passphrase opens no copy made from
    /// the vault from now on. Copies made before keep the old slot.
    public func changePassphrase(to new: SecureBytes, progress: (Message) -> Void = { _ in }) throws
        -> KeyRewriteReport
    {
        guard person.slotID != recoverySlotID, let slotID = unhex(person.slotID) else {
            throw VaultError.usage(Message("passwd.not_recovery"))
        }
        try PassphrasePolicy.check(new, ownWords: [person.name, "dangol", "단골"])
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let path = Slots.path(slotID)
        let headTree = try repo.commit(try head()).tree
        guard let old = try repo.entry(at: path, inTree: headTree) else {
            throw VaultError.integrity(file: path, reason: Message("passwd.slot_not_at_head"))
        }
        let oldBytes = try repo.readBlob(old.id)
        let slot = try KeySlot.create(
            kind: .person, role: person.role, name: person.name, secret: try Passphrase.forNewSlot(new),
            parameters: metadata.kdfParameters, key: key, slotID: slotID)

        progress(Message("passwd.step.rewriting"))
        let scrub = MessageScrub(erased: [], key: key)
        let result = try repo.rewriteHistory(removing: [path]) { _, message, newTree, oldTree in
            try scrub.scrub(message, oldTree: oldTree, newTree: newTree)
        }
        progress(Message("passwd.step.purging"))
        // The wrapped key (nonce, ciphertext, tag) is what an old passphrase
        // would open: those bytes must be nowhere.
        let report = try switchToRewritten(
            references: result.references, commitsRewritten: result.commitsRewritten, operation: "passwd",
            removedBlobs: result.removedBlobs, needles: [Array(oldBytes.suffix(72))]
        ) { parent in
            try looseCommit(
                operation: "passwd", parent: parent, files: [path: slot.encoded()],
                summary: ChangeSummary(event: .passphraseChanged), key: key)

        }
        try appendAudit("passwd", records: [])
        return report
    }

    /// The recovery slot's id, when the vault has one.
    var recoverySlotID: String? {
        (try? Slots.all(in: repo, tree: try repo.commit(try head()).tree))?
            .first { $0.slot.kind == .recovery }.map { hex($0.id) }
    }
}
