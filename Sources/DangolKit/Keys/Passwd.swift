import DangolCrypto
import DangolGit
import DangolText
import Foundation

extension Vault {
    /// Changes the unlocking person's passphrase. Only their key slot is
    /// written again (same slot id, same vault key: every record file stays
    /// byte for byte; their key pair too when this process holds it, else a
    /// new one); the old slot leaves every commit of the history and its
    /// objects are purged, so the old passphrase opens no copy made from the
    /// vault from now on. Copies made before keep the old slot.
    public func changePassphrase(to new: SecureBytes, progress: (Message) -> Void = { _ in }) throws
        -> KeyRewriteReport
    {
        guard person.slotID != recoverySlotID, let slotID = unhex(person.slotID) else {
            throw VaultError.usage(Message("passwd.not_recovery"))
        }
        try refuseIfTampered()
        try PassphrasePolicy.check(new, ownWords: [person.name, "dangol", "단골"])
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let path = Slots.path(slotID)
        let headTree = try repo.commit(try head()).tree
        guard try repo.entry(at: path, inTree: headTree) != nil else {
            throw VaultError.integrity(file: path, reason: Message("passwd.slot_not_at_head"))
        }
        let slots = try headSlots()
        guard let file = slots.slot(slotID) else {
            throw VaultError.integrity(file: path, reason: Message("passwd.slot_not_parsed"))
        }
        let slot = try personSlot(for: file, passphrase: try Passphrase.forNewSlot(new), slots: slots, reset: true)

        try recoverAccessLog()
        let end = try auditEnd()
        progress(Message("passwd.step.rewriting"))
        let scrub = MessageScrub(erased: [], key: key)
        let result = try repo.rewriteHistory(removing: [path], leaving: [Self.auditRef]) {
            _, message, newTree, oldTree in
            try scrub.scrub(message, oldTree: oldTree, newTree: newTree)
        }
        progress(Message("passwd.step.purging"))
        // The wrapped key (nonce, ciphertext, tag) is what an old passphrase
        // would open: those bytes must be nowhere.
        let wrapped = file.slot.nonce + file.slot.wrappedKey
        let report = try switchToRewritten(
            references: result.references, commitsRewritten: result.commitsRewritten, operation: "passwd",
            removedBlobs: result.removedBlobs, needles: [wrapped]
        ) { parent in
            try looseCommit(
                operation: "passwd", parent: parent, files: [path: slot.encoded()],
                summary: ChangeSummary(event: .passphraseChanged), key: key, after: end.tip)
        }
        try publishEntry(try writeEntry("passwd", records: [], after: end), over: end)
        return report
    }

    /// The recovery slot's id, when the vault has one.
    var recoverySlotID: String? { (try? headSlots())?.recovery.map { hex($0.id) } }
}
