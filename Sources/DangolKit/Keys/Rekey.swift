import DangolCrypto
import DangolGit
import DangolText
import Foundation

extension Vault {
    /// Replaces the vault key. Every record version in the whole history is
    /// decrypted and sealed again under a new random key, every commit's
    /// summary and every access-log entry too (the log's hash chain is
    /// rebuilt over the new lines), in one rewrite; every old key slot
    /// leaves the history and new ones are written: the owner's (from
    /// `passphrase`, which must open it today) and a new recovery slot,
    /// whose code is returned to be shown once. The old objects are purged.
    /// Copies made before stay readable with the old key.
    public func rekey(passphrase: SecureBytes, progress: (Message) -> Void = { _ in }) throws
        -> (report: KeyRewriteReport, recoveryCode: SecureBytes)
    {
        guard person.role == .owner, person.slotID != recoverySlotID, let ownerID = unlockedSlotID else {
            throw VaultError.usage(Message("rekey.owner_only"))
        }
        if pendingErasure { throw VaultError.usage(Message("rekey.erasure_pending")) }
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        let slots = try Slots.all(in: repo, tree: try repo.commit(try head()).tree)
        let others = slots.filter { $0.slot.kind == .person && $0.id != ownerID }
        guard others.isEmpty else {
            throw VaultError.usage(Message("rekey.others_hold_slots", ["n": arg(others.count)], count: others.count))
        }
        guard let own = slots.first(where: { $0.id == ownerID }),
            try Passphrase.forms(passphrase).contains(where: { (try? own.slot.unwrap(secret: $0, slotID: ownerID)) != nil })
        else { throw VaultError.wrongPassphrase }

        let newKey = try VaultKey.generate()
        let reseal = Resealer(old: key, new: newKey)
        progress(Message("rekey.step.resealing"))
        let result = try repo.rewriteEveryCommit(
            transforming: ["records/", "audit/"], removing: ["keys"],
            transform: { path, bytes in try reseal.blob(path, bytes) },
            transformMessage: { _, message, newTree, oldTree in try reseal.message(message, old: oldTree, new: newTree)
            })

        let kdf = metadata.kdfParameters
        let ownerSlot = try KeySlot.create(
            kind: .person, role: .owner, name: person.name, secret: try Passphrase.forNewSlot(passphrase),
            parameters: kdf, key: newKey, slotID: ownerID)
        let code = try RecoveryCode.generate()
        let recoveryID = Random.bytes(8)
        let recoverySlot = try KeySlot.create(
            kind: .recovery, role: .none, name: "recovery", secret: code,
            parameters: kdf == .level(.test) ? kdf : .level(.interactive),
            key: newKey, slotID: recoveryID)
        // Fragments of old ciphertexts: the scan must find none after the purge.
        let needles = try reseal.sampleOldCiphertexts(repo, result.oldBlobs)
        progress(Message("rekey.step.purging"))
        let report = try switchToRewritten(
            references: result.references, commitsRewritten: result.commitsRewritten, operation: "rekey",
            removedBlobs: result.oldBlobs, needles: needles,
            everyFileChanged: true
        ) { parent in
            try looseCommit(
                operation: "rekey", parent: parent,
                files: [Slots.path(ownerID): ownerSlot.encoded(), Slots.path(recoveryID): recoverySlot.encoded()],
                summary: ChangeSummary(event: .newVaultKey), key: newKey)
        }
        let rekeyed = Vault(path: path, repo: repo, metadata: metadata, key: newKey, person: person)
        rekeyed.mirrorUpdate = .inline
        try rekeyed.appendAudit("rekey", records: [])
        return (report, code)
    }

    var unlockedSlotID: [UInt8]? { unhex(person.slotID) }
}

/// Opens what the old key sealed and seals it under the new one. Access-log
/// lines are memoised (each version of a month's log repeats the lines of
/// the one before) and their chain rebuilt: each entry's `previous` becomes
/// the hash of the new line before it. The rewrite runs parents first, so a
/// month's log is re-sealed before the next month links to its last line.
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

    private func auditLine(_ line: ArraySlice<UInt8>, file: String) throws -> [UInt8] {
        if let known = lines[line] { return known }
        let damaged = VaultError.integrity(file: file, reason: Message("rekey.audit_does_not_open"))

        guard let box = Data(base64Encoded: Data(line)),
            let plain = try? AEAD.open(Array(box), ad: Vault.auditContext, key: old.subkey(.audit)),
            var entry = try? JSONDecoder().decode(AuditEntry.self, from: Data(plain.copyBytes()))
        else { throw damaged }
        if !entry.previous.isEmpty { entry.previous = hashes[entry.previous] ?? entry.previous }
        let json = try JSONEncoder().encode(entry)
        let sealed = try Array(json).withUnsafeBytes {
            try AEAD.seal($0, ad: Vault.auditContext, key: new.subkey(.audit))
        }
        let newLine = Array(Data(sealed).base64EncodedString().utf8)
        lines[line] = newLine
        hashes[Hash.blake2b(Array(line))] = Hash.blake2b(newLine)
        return newLine
    }

    /// The sealed summary, opened on the old tree and sealed to the new one.
    func message(_ message: String, old oldTree: ObjectID, new newTree: ObjectID) throws -> String {
        var out = [Substring]()
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(CommitMessage.summaryTrailer),
                let box = Data(base64Encoded: String(line.dropFirst(CommitMessage.summaryTrailer.count)))
            else {
                out.append(line)
                continue
            }
            let text = try SealedText.open(
                Array(box), context: CommitMessage.summaryContext(tree: oldTree), key: old,
                purpose: .summaries)
            let sealed = try SealedText.seal(
                text, context: CommitMessage.summaryContext(tree: newTree), key: new,
                purpose: .summaries)
            out.append(Substring(CommitMessage.summaryTrailer + Data(sealed).base64EncodedString()))
        }
        return out.joined(separator: "\n")
    }

    /// 32 bytes from the middle of each old record and log blob.
    func sampleOldCiphertexts(_ repo: Repository, _ ids: Set<ObjectID>) throws -> [[UInt8]] {
        try ids.compactMap { id in
            let b = try repo.readBlob(id)
            guard b.count >= 64 else { return nil }
            let mid = b.count / 2 - 16
            return Array(b[mid..<(mid + 32)])
        }
    }
}
