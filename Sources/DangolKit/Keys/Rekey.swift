import DangolCrypto
import DangolGit
import DangolText
import Foundation

extension Vault {
    /// Replaces the vault key, for everyone who holds one. Every record
    /// version in the whole history is decrypted and sealed again under a
    /// new random key, every commit's summary, every access-log entry (the
    /// log's hash chain is rebuilt over the new lines) and dangol.json's MAC
    /// too, in one rewrite; every old key slot leaves the history. Each
    /// person's slot comes back with the new key sealed to their public key
    /// by the owner's secret key: their passphrase, untouched, opens it, and
    /// theirs is not needed. A new recovery slot's code is returned to be
    /// shown once. The old objects are purged. Copies made before stay
    /// readable with the old key, and nothing made after is.
    /// `passphrase` is needed only when the owner unlocked without it (the
    /// agent): the owner's secret key is under it.
    public func rekey(passphrase: SecureBytes?, progress: (Message) -> Void = { _ in }) throws
        -> (report: KeyRewriteReport, recoveryCode: SecureBytes, people: [String])
    {
        guard person.role == .owner, person.slotID != recoverySlotID, let ownerID = unlockedSlotID else {
            throw VaultError.usage(Message("rekey.owner_only"))
        }
        if pendingErasure { throw VaultError.usage(Message("rekey.erasure_pending")) }
        try refuseIfTampered()
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let slots = try headSlots()
        guard let own = slots.slot(ownerID), own.slot.format == 2 else {
            throw VaultError.usage(Message("rekey.own_slot_old"))
        }
        let pair = try personKey ?? ownerKeyPair(own, passphrase: passphrase)
        let people = slots.persons.sorted { ($0.id != ownerID ? 1 : 0, $0.slot.name) < ($1.id != ownerID ? 1 : 0, $1.slot.name) }
        for f in people where f.id != ownerID {
            let name = ["name": f.slot.name, "owner": person.name]
            // Only a slot this key wrote gets the new key: a public key put in
            // by someone without it would be an eavesdropper's.
            guard f.slot.format == 2 else { throw VaultError.usage(Message("rekey.not_upgraded", name)) }
            guard f.slot.verifies(under: key, slotID: f.id) else {
                throw VaultError.integrity(file: f.path, reason: Message("rekey.slot_not_ours", name))
            }
            guard f.slot.trusts(ownerID, slotID: f.id) else {
                throw VaultError.usage(Message("rekey.not_trusted", name))
            }
        }

        try recoverAccessLog()
        let end = try auditEnd()
        let newKey = try VaultKey.generate()
        let reseal = Resealer(old: key, new: newKey)
        // The log's chain is rebuilt in its own order before anything that
        // names a line of it (a change's tip) is sealed again.
        for line in try auditLines() { _ = try reseal.auditLine(line.bytes[...], file: line.place) }
        progress(Message("rekey.step.resealing"))
        let result = try repo.rewriteEveryCommit(
            transforming: ["records/", "audit/", VaultMetadata.fileName], removing: ["keys"],
            transform: { path, bytes in try reseal.blob(path, bytes) },
            transformMessage: { _, message, newTree, oldTree in try reseal.message(message, old: oldTree, new: newTree)
            })

        var files = [String: [UInt8]]()
        for f in people { files[f.path] = try f.slot.resealed(newKey, from: ownerID, sender: pair, slotID: f.id).encoded() }
        let code = try RecoveryCode.generate()
        let recoveryID = Random.bytes(8)
        files[Slots.path(recoveryID)] = try KeySlot.create(
            kind: .recovery, role: .none, name: "recovery", secret: code, parameters: metadata.slotParameters,
            key: newKey, slotID: recoveryID
        ).encoded()
        // Fragments of old ciphertexts: the scan must find none after the purge.
        let needles = try reseal.sampleOldCiphertexts(repo, result.oldBlobs)
        progress(Message("rekey.step.purging"))
        let report = try switchToRewritten(
            references: result.references, commitsRewritten: result.commitsRewritten, operation: "rekey",
            removedBlobs: result.oldBlobs, needles: needles,
            everyFileChanged: true
        ) { parent in
            try looseCommit(
                operation: "rekey", parent: parent, files: files, summary: ChangeSummary(event: .newVaultKey),
                key: newKey, after: reseal.tip(end.tip))
        }
        let rekeyed = Vault(path: path, repo: repo, metadata: metadata, key: newKey, person: person)
        rekeyed.mirrorUpdate = .inline
        let newEnd = try rekeyed.auditEnd()
        try rekeyed.publishEntry(try rekeyed.writeEntry("rekey", records: [], after: newEnd), over: newEnd)
        return (report, code, people.map(\.slot.name))
    }

    private func ownerKeyPair(_ own: SlotFile, passphrase: SecureBytes?) throws -> PersonKey {
        guard let passphrase else { throw VaultError.usage(Message("rekey.needs_passphrase")) }
        for form in try Passphrase.forms(passphrase) {
            if let pair = try? own.slot.openPersonKey(secret: form, slotID: own.id) { return pair }
        }
        throw VaultError.wrongPassphrase
    }

    var unlockedSlotID: [UInt8]? { unhex(person.slotID) }
}

/// Opens what the old key sealed and seals it under the new one. Access-log
/// lines are memoised (each version of a format-1 day file repeats the lines
/// of the one before) and their chain rebuilt: each entry's `previous`
/// becomes the hash of the new line before it. The whole log is sealed again
/// first, in its order; the rewrite then finds every line it meets (a log
/// commit's, a file version's) known, and every tip a commit names (its
/// `Dangol-Audit-After`, format 1's `Dangol-Audit-Tip`) mapped to the new hash.
final class Resealer {
    let old: VaultKey
    let new: VaultKey
    private var lines: [ArraySlice<UInt8>: [UInt8]] = [:]
    private var hashes: [String: String] = [:]

    init(old: VaultKey, new: VaultKey) {
        self.old = old
        self.new = new
    }

    func blob(_ path: String, _ bytes: [UInt8]) throws -> [UInt8] {
        // Its MAC under the new key; a version without one (an older
        // format), or one the old key did not write, stays as it is.
        if path == VaultMetadata.fileName { return VaultMetadata.remac(bytes, from: old, to: new) ?? bytes }
        if let id = RecordID(path: path) {
            do {
                var plain = try RecordFile.open(bytes, id: id.bytes, key: old).copyBytes()
                defer { wipe(&plain) }
                return try RecordFile.seal(plaintext: plain, id: id.bytes, key: new)
            } catch let e as CryptoError {
                throw VaultError.integrity(file: path, reason: Message("rekey.record_does_not_open", parts: ["detail": e.message]))
            }
        }
        guard path.hasPrefix("audit/") else { return bytes }
        var out = [UInt8]()
        for line in bytes.split(separator: 0x0A) {
            out += try auditLine(line, file: path) + [0x0A]
        }
        return out
    }

    func auditLine(_ line: ArraySlice<UInt8>, file: String) throws -> [UInt8] {
        if let known = lines[line] { return known }
        let damaged = VaultError.integrity(file: file, reason: Message("rekey.audit_does_not_open"))
        guard let box = Data(base64Encoded: Data(line)),
            let plain = try? SealedText.open(Array(box), context: Vault.auditContext, key: old, purpose: .audit),
            var entry = try? JSONDecoder().decode(AuditEntry.self, from: Data(plain.utf8))
        else { throw damaged }
        if !entry.previous.isEmpty { entry.previous = hashes[entry.previous] ?? entry.previous }
        let newLine = try Vault.sealAudit(entry, key: new)
        lines[line] = newLine
        hashes[Hash.blake2b(Array(line))] = Hash.blake2b(newLine)
        return newLine
    }

    /// A tip as it reads once the log is sealed again.
    func tip(_ old: AuditTip) -> AuditTip {
        AuditTip(sequence: old.sequence, hash: hashes[old.hash] ?? old.hash)
    }

    /// The sealed summary, opened on the old tree and sealed to the new one;
    /// the tips a message names and the entry a log commit holds, mapped.
    func message(_ message: String, old oldTree: ObjectID, new newTree: ObjectID) throws -> String {
        let parsed = CommitMessage.parse(message)
        var out = [Substring]()
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(Vault.auditEntryTrailer) {
                // Every line of the log was sealed again before the rewrite
                // (a damaged one stopped it); one this key never sealed is
                // on a commit set aside (refs/dangol/rejected/), kept as it is.
                let entry = line.dropFirst(Vault.auditEntryTrailer.count)
                guard let resealed = try? auditLine(Array(entry.utf8)[...], file: Vault.auditRef) else {
                    out.append(line)
                    continue
                }
                out.append(Substring(Vault.auditEntryTrailer + String(decoding: resealed, as: UTF8.self)))
            } else if line.hasPrefix(CommitMessage.auditAfterTrailer), let after = parsed.auditAfter {
                out.append(Substring(CommitMessage.auditAfterTrailer + tip(after).text))
            } else if line.hasPrefix(Vault.auditTipTrailer) {
                let parts = line.dropFirst(Vault.auditTipTrailer.count).split(separator: " ")
                out.append(parts.count == 2
                    ? Substring(Vault.auditTipTrailer + "\(parts[0]) \(hashes[String(parts[1])] ?? String(parts[1]))")
                    : line)
            } else if line.hasPrefix(CommitMessage.summaryPrefix) {
                // One that does not open was not sealed by this key (a
                // commit made outside dangol, accepted or set aside): as it is.
                guard let text = try? parsed.openSummary(tree: oldTree, key: old) else {
                    out.append(line)
                    continue
                }
                let after = parsed.auditAfter.map(tip)
                let sealed = try CommitMessage.seal(text, tree: newTree, after: after, key: new)
                out.append(Substring(CommitMessage.summaryPrefix + "\(after == nil ? 1 : 2)."
                    + Data(sealed).base64EncodedString()))
            } else {
                out.append(line)
            }
        }
        return out.joined(separator: "\n")
    }

    /// 32 bytes from the middle of each old record and log blob.
    func sampleOldCiphertexts(_ repo: Repository, _ ids: Set<ObjectID>) throws -> [[UInt8]] {
        try Self.sample(repo, ids)
    }

    /// 32 bytes from the middle of each blob: what the remnant scan looks
    /// for besides the ids (read while the blobs still exist).
    static func sample(_ repo: Repository, _ ids: Set<ObjectID>) throws -> [[UInt8]] {
        try ids.compactMap { id in
            let b = try repo.readBlob(id)
            // dangol.json is text the new version repeats but for its MAC:
            // the old MAC is what must be gone.
            if let (_, tag) = VaultMetadata.splitMAC(b) { return Array(Data(tag).base64EncodedString().utf8) }
            // A person's slot keeps its passphrase part through a rekey; the
            // old vault key is in its sealed box (a recovery slot's, in its
            // wrapped key).
            if let slot = try? KeySlot.decode(b) { return slot.format == 2 ? slot.box : slot.wrappedKey }
            guard b.count >= 64 else { return nil }
            let mid = b.count / 2 - 16
            return Array(b[mid..<(mid + 32)])
        }
    }
}
