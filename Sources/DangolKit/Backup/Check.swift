import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// One thing `dangol check` found wrong, named by the file it concerns.
/// restic's checker is the model: findings are values, the command decides
/// how to print them and which exit code they mean.
public struct CheckFinding: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// git cannot give back an object history names (missing, or its
        /// bytes no longer hash to its id).
        case unreadableObject = "unreadable-object"
        /// A record file that does not decrypt (tampered, truncated, moved).
        case damagedRecord = "damaged-record"
        /// A record that decrypts but is not a valid customer document.
        case invalidRecord = "invalid-record"
        /// A file under records/ that is not named like a record.
        case strayFile = "stray-file"
        /// An access-log entry that does not open.
        case accessLog = "access-log"
        /// dangol.json changed without the vault key.
        case settings = "settings"
        /// A commit made without the vault key (its summary does not open).
        case outsideCommit = "outside-commit"
        /// A key slot refused (damaged, or asking for more than the cost
        /// cap) or not made with this vault's key.
        case keySlot = "key-slot"
    }

    public let kind: Kind
    /// The record file (records/ab/cd/<id>.rec), or what else is concerned.
    public let file: String
    /// The oldest commit seen holding this version (history checks).
    public let commit: String?
    public let reason: Message
    /// A command that repairs it, when there is one.
    public let repair: Message?

    public var message: Message {
        guard let commit else { return Message("check.finding", ["file": file], parts: ["reason": reason]) }
        return Message("check.finding_in_commit", ["file": file, "commit": String(commit.prefix(12))], parts: ["reason": reason])
    }

    public var description: String { message.description }
}

public struct CheckReport: Sendable {
    public let head: String
    public var commits = 0
    /// Record files at the head, or distinct record versions in history.
    public var records = 0
    public var findings: [CheckFinding] = []
    /// Records whose birthday still holds a year the vault does not keep
    /// (not a fault: minimal collection asks to drop them; head check only).
    public var birthdaysWithYear = 0
    /// Commits made outside dangol that the owner accepted: listed, not wrong.
    public var accepted: [CheckFinding] = []
}

extension Vault {
    /// Verifies the vault. At the head: every record decrypts and fits the
    /// schema, the access log opens. With `history`, every version of every
    /// record any branch or tag ever held, each distinct blob read once and
    /// decrypted on all cores, and every commit's sealed summary.
    /// `progress(done, total)` hears about record versions as they pass.
    public func check(history: Bool, progress: (Int, Int) -> Void = { _, _ in }) throws -> CheckReport {
        var report = CheckReport(head: try head().hex)
        // With the history, each commit made outside dangol is listed below
        // (the access log's with the log's own findings).
        for p in integrityProblems where !(history && p.isOutsideCommit) {
            report.findings.append(
                CheckFinding(
                    kind: p.isOutsideCommit ? .outsideCommit : .settings, file: p.file, commit: nil, reason: p.reason,
                    repair: p.isOutsideCommit ? Self.acceptOrReject : nil))
        }
        for w in slotWarnings {
            report.findings.append(CheckFinding(kind: .keySlot, file: w.file, commit: nil, reason: w.reason, repair: nil))
        }
        if history {
            try checkHistory(&report, progress: progress)
        } else {
            let (checked, problems, withYear) = try checkRecords()
            report.records = checked
            report.birthdaysWithYear = withYear
            report.commits = 1
            report.findings += problems.map { finding($0, commit: nil) }
        }
        if history {
            // The log's whole check, as `audit verify` makes it: lines, the
            // tips the changes name (a tail cut while they stay), the
            // commits of its ref that dangol did not write.
            for p in try checkAccessLog().problems {
                report.findings.append(
                    CheckFinding(kind: .accessLog, file: p.file, commit: nil, reason: p.problem, repair: nil))
            }
        } else {
            do { _ = try auditEntries() } catch let e as VaultError {
                report.findings.append(
                    CheckFinding(
                        kind: .accessLog, file: "audit/", commit: nil, reason: e.message,
                        repair: nil))
            }
        }
        return report
    }

    private func checkHistory(_ report: inout CheckReport, progress: (Int, Int) -> Void) throws {
        let commits = try repo.commits(reachableFrom: ["refs/heads/", "refs/tags/"])
        report.commits = commits.count
        for c in commits { if let f = checkReadable(c) { report.findings.append(f) } }
        for o in try outsideCommitsInHistory() {
            let said = o.message
            if let by = o.acceptedIn {
                report.accepted.append(
                    CheckFinding(
                        kind: .outsideCommit, file: "commit \(o.id)", commit: nil,
                        reason: Message.list([said, Message("commit.accepted_in", ["commit": String(by.prefix(12))])],
                                             separator: "; "),
                        repair: nil))
            } else {
                report.findings.append(
                    CheckFinding(
                        kind: .outsideCommit, file: "commit \(o.id)", commit: nil, reason: said,
                        repair: Self.acceptOrReject))
            }
        }
        let (files, missing) = try repo.distinctFiles(under: "records", in: commits)
        for m in missing {
            report.findings.append(
                CheckFinding(
                    kind: .unreadableObject, file: m.path.isEmpty ? "commit \(m.id.hex)" : m.path, commit: m.commit.hex,
                    reason: Message("check.object_unreadable", ["object": m.id.hex, "detail": m.message]),
                    repair: Self.restoreFromBackup))
        }
        var versions = [(file: FileVersion, id: RecordID)]()
        for f in files {
            if let id = RecordID(path: f.path) {
                versions.append((f, id))
            } else {
                report.findings.append(
                    CheckFinding(
                        kind: .strayFile, file: f.path, commit: f.commit.hex,
                        reason: Message("check.stray_file"), repair: nil))
            }
        }
        report.records = versions.count
        let extra = extraFields
        // libgit2 reads stay on this thread; decryption fans out, one stripe
        // and one guarded scratch buffer per core, a block at a time so
        // memory holds one block of ciphertexts however long the history.
        let stripes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let scratches = try (0..<stripes).map { _ in try RecordFile.Scratch() }
        progress(0, versions.count)
        for from in stride(from: 0, to: versions.count, by: RecordStore.segmentRecords) {
            let block = Array(versions[from..<min(from + RecordStore.segmentRecords, versions.count)])
            var blobs = [[UInt8]?]()
            for v in block {
                do { blobs.append(try repo.readBlob(v.file.blob)) } catch {
                    blobs.append(nil)
                    report.findings.append(
                        CheckFinding(
                            kind: .unreadableObject, file: v.file.path, commit: v.file.commit.hex,
                            reason: Message(
                                "check.object_unreadable",
                                ["object": v.file.blob.hex, "detail": (error as? GitError)?.message ?? "\(error)"]),
                            repair: Self.restoreFromBackup))
                }
            }
            var results = [CheckFinding?](repeating: nil, count: block.count)
            results.withUnsafeMutableBufferPointer { out in
                let out = out
                DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                    for k in stride(from: stripe, to: block.count, by: stripes) {
                        guard let bytes = blobs[k] else { continue }
                        out[k] = self.checkVersion(
                            bytes, block[k].id, commit: block[k].file.commit,
                            scratch: scratches[stripe], extraFields: extra)
                    }
                }
            }
            report.findings += results.compactMap { $0 }
            progress(min(from + block.count, versions.count), versions.count)
        }
    }

    private func checkVersion(
        _ bytes: [UInt8], _ id: RecordID, commit: ObjectID, scratch: RecordFile.Scratch,
        extraFields: Set<String>
    ) -> CheckFinding? {
        do {
            var c = try decrypt(bytes, id: id, scratch: scratch)
            try Schema.validate(&c, extraFields: extraFields)
            return nil
        } catch let f as ValidationFailure {
            return CheckFinding(
                kind: .invalidRecord, file: id.path, commit: commit.hex,
                reason: Message("check.breaks_schema", parts: ["detail": f.message]), repair: nil)
        } catch let e as VaultError {
            return finding(e, commit: commit.hex)
        } catch {
            return CheckFinding(
                kind: .damagedRecord, file: id.path, commit: commit.hex, reason: .of(error),
                repair: nil)
        }
    }

    private func checkReadable(_ commit: ObjectID) -> CheckFinding? {
        do { _ = try repo.commit(commit) } catch {
            return CheckFinding(
                kind: .unreadableObject, file: "commit \(commit.hex)", commit: commit.hex,
                reason: .verbatim((error as? GitError)?.message ?? "\(error)"), repair: Self.restoreFromBackup)
        }
        return nil
    }

    private func finding(_ e: VaultError, commit: String?) -> CheckFinding {
        guard case .integrity(let file, let reason) = e else {
            return CheckFinding(kind: .damagedRecord, file: "vault", commit: commit, reason: e.message, repair: nil)
        }
        if reason.key == "check.breaks_schema" {
            let repair = RecordID(path: file).map { Message.verbatim("dangol edit \($0.hex)") }
            return CheckFinding(kind: .invalidRecord, file: file, commit: commit, reason: reason, repair: repair)
        }
        // A damaged file at the head comes back from its previous version.
        let repair = commit == nil ? RecordID(path: file).map { Message("check.repair.restore", ["id": $0.hex]) } : nil
        return CheckFinding(kind: .damagedRecord, file: file, commit: commit, reason: reason, repair: repair)
    }

    static let restoreFromBackup = Message("check.repair.from_backup")
    static let acceptOrReject = Message("check.repair.accept_or_reject")
}
