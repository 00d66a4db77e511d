import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// One place where the access log is not what was written.
public struct AuditProblem: Equatable, Sendable, CustomStringConvertible {
    /// The log file (audit/2026-11/25.log), or the commit for a cut-short log.
    public var file: String
    /// The entry's sequence number where one is known.
    public var sequence: Int?
    /// The line of the file (1-based), where one is known.
    public var line: Int?
    public var problem: Message

    public var message: Message {
        let place: Message
        switch (line, sequence) {
        case let (line?, sequence?): place = Message("audit.place.line_entry", ["file": file, "line": arg(line), "n": arg(sequence)])
        case let (line?, nil): place = Message("audit.place.line", ["file": file, "line": arg(line)])
        case let (nil, sequence?): place = Message("audit.place.entry", ["file": file, "n": arg(sequence)])
        case (nil, nil): place = .verbatim(file)
        }
        return Message("audit.problem", parts: ["place": place, "problem": problem])
    }

    public var description: String { message.description }
}

public struct AuditVerification: Sendable {
    public var entries: Int
    /// Files of the log (format 1's, and those a migrated log carries over).
    public var files: Int
    public var tipsChecked: Int
    /// Entries written after the fact for changes a crash left without one.
    public var recovered: Int
    public var problems: [AuditProblem]
}

extension Vault {
    /// Checks the whole access log: every line opens under the audit key
    /// (an edited line does not), sequence numbers run on without a gap (a
    /// removed line or file leaves one), each line names the hash of the one
    /// before (a reordered line does not), and every tip the branch's
    /// history names is still there, unchanged: each change of format 2
    /// names, sealed into its summary, the entry it followed, and format 1's
    /// access-log commits the entry they added. A log cut short at its end
    /// while later changes stay loses entries they name.
    public func verifyAccessLog() throws -> AuditVerification {
        try requireOwner(to: Message("role.do.verify_audit"))
        var v = try checkAccessLog()
        // A commit made without the key may have changed the log with the
        // rest; each one not accepted by the owner is named, as git shows it.
        for o in try outsideCommitsInHistory() where o.acceptedIn == nil {
            v.problems.append(AuditProblem(file: "commit \(o.id)", sequence: nil, line: nil, problem: o.message))
        }
        return v
    }

    /// The log's own checks (`audit verify` and `check --history`): its
    /// lines, the tips the branch names, and the commits of its ref that
    /// dangol did not write.
    func checkAccessLog() throws -> AuditVerification {
        var outside = [ObjectID]()
        let lines = try auditLines(outside: &outside)
        var problems = [AuditProblem]()
        var hashes = [Int: String]()
        var expected = 1
        var previousHash = ""
        var recovered = 0
        for (l, decoded) in zip(lines, decodeAuditResults(lines)) {
            let hash = Hash.blake2b(l.bytes)
            defer { previousHash = hash }
            guard let e = try? decoded.get() else {
                problems.append(
                    AuditProblem(
                        file: l.place, sequence: expected, line: l.line,
                        problem: Message("audit.problem.does_not_decrypt")))
                expected += 1
                continue
            }
            if e.recovered == true { recovered += 1 }
            hashes[e.sequence] = hash
            if e.sequence > expected {
                let gap =
                    e.sequence == expected + 1
                    ? Message("audit.problem.entry_missing", ["n": arg(expected)])
                    : Message("audit.problem.entries_missing", ["from": arg(expected), "to": arg(e.sequence - 1)])
                problems.append(
                    AuditProblem(
                        file: l.place, sequence: e.sequence, line: l.line,
                        problem: l.line == 1 ? Message("audit.problem.or_file_before", parts: ["gap": gap]) : gap))
            } else if e.sequence < expected {
                problems.append(
                    AuditProblem(
                        file: l.place, sequence: e.sequence, line: l.line,
                        problem: Message("audit.problem.out_of_order", ["n": arg(expected)])))
            } else if e.previous != previousHash {
                problems.append(
                    AuditProblem(
                        file: l.place, sequence: e.sequence, line: l.line,
                        problem: Message("audit.problem.does_not_follow")))
            }
            expected = max(expected, e.sequence) + 1
        }
        let (tips, tipProblems) = try checkTips(last: expected - 1, hashes: hashes)
        problems += tipProblems
        for id in outside {
            problems.append(
                AuditProblem(
                    file: "\(Self.auditRef) commit \(id.hex)", sequence: nil, line: nil,
                    problem: try outsideCommit(id).message))
        }
        let files = Set(lines.filter { $0.line != nil }.map(\.place)).count
        return AuditVerification(
            entries: lines.count, files: files, tipsChecked: tips, recovered: recovered, problems: problems)
    }

    /// The tips the branch's commits name, against the log as it is.
    private func checkTips(last: Int, hashes: [Int: String]) throws -> (Int, [AuditProblem]) {
        var problems = [AuditProblem]()
        var tips = 0
        var reportedCut = false
        // Newest commits come first: one report names the furthest cut.
        func cut(_ commit: ObjectID, _ seq: Int, _ key: String) {
            guard !reportedCut else { return }
            problems.append(
                AuditProblem(
                    file: "commit \(commit.hex)", sequence: seq, line: nil,
                    problem: Message(key, ["n": arg(seq), "last": arg(last)])))
            reportedCut = true
        }
        func differs(_ commit: ObjectID, _ seq: Int, _ key: String) {
            problems.append(
                AuditProblem(file: "commit \(commit.hex)", sequence: seq, line: nil, problem: Message(key, ["n": arg(seq)])))
        }
        for commit in try repo.commits(from: try head(), messageContains: "\nDangol-Audit-", orLacks: "") {
            let info = try repo.commit(commit)
            let message = CommitMessage.parse(info.message)
            if let after = message.auditAfter {
                tips += 1
                // A tip whose summary does not open was written without the
                // key (edited to agree with a cut log, say): the commit is
                // named as made outside dangol, its claim not taken.
                guard (try? message.openSummary(tree: info.tree, key: key)) != nil else { continue }
                if after.sequence > last {
                    cut(commit, after.sequence, "audit.problem.cut_short_follows")
                } else if after.sequence > 0, hashes[after.sequence] != after.hash {
                    differs(commit, after.sequence, "audit.problem.differs_follows")
                }
            }
            for t in message.trailers where t.hasPrefix(Self.auditTipTrailer) {
                let parts = t.dropFirst(Self.auditTipTrailer.count).split(separator: " ")
                guard parts.count == 2, let seq = Int(parts[0]) else { continue }
                tips += 1
                if seq > last {
                    cut(commit, seq, "audit.problem.cut_short")
                } else if let h = hashes[seq], h != String(parts[1]) {
                    differs(commit, seq, "audit.problem.differs")
                }
            }
        }
        return (tips, problems)
    }
}
