import DangolCrypto
import DangolGit
import Foundation

/// One place where the access log is not what was written.
public struct AuditProblem: Equatable, Sendable, CustomStringConvertible {
    /// The log file (audit/2026-11/25.log), or the commit for a cut-short log.
    public var file: String
    /// The entry's sequence number where one is known.
    public var sequence: Int?
    /// The line of the file (1-based), where one is known.
    public var line: Int?
    public var problem: String

    public var description: String {
        var place = file
        if let line { place += " line \(line)" }
        if let sequence { place += " (entry #\(sequence))" }
        return "\(place): \(problem)"
    }
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
        try requireOwner(to: "verify the access log")
        let lines = try auditLines()
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
                        problem: "the entry does not decrypt: it was edited or damaged"))
                expected += 1
                continue
            }
            if e.recovered == true { recovered += 1 }
            hashes[e.sequence] = hash
            if e.sequence > expected {
                let gap =
                    e.sequence == expected + 1
                    ? "entry #\(expected) is" : "entries #\(expected)–#\(e.sequence - 1) are"
                problems.append(
                    AuditProblem(
                        file: l.place, sequence: e.sequence, line: l.line,
                        problem: "\(gap) missing before it: removed"
                            + (l.line == 1 ? " (or a whole file of the log before this one)" : "")))
            } else if e.sequence < expected {
                problems.append(
                    AuditProblem(
                        file: l.place, sequence: e.sequence, line: l.line,
                        problem: "out of order: entry #\(expected) was expected here (entries moved or repeated)"))
            } else if e.previous != previousHash {
                problems.append(
                    AuditProblem(
                        file: l.place, sequence: e.sequence, line: l.line,
                        problem: "does not follow the line before it: an entry before it was replaced or moved"))
            }
            expected = max(expected, e.sequence) + 1
        }
        let (tips, tipProblems) = try checkTips(last: expected - 1, hashes: hashes)
        problems += tipProblems
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
        func cut(_ commit: ObjectID, _ seq: Int, _ what: String) {
            guard !reportedCut else { return }
            problems.append(
                AuditProblem(
                    file: "commit \(commit.hex)", sequence: seq, line: nil,
                    problem: "this commit \(what) entry #\(seq), but the log ends at #\(last): "
                        + "its newest entries (or its newest file) were removed"))
            reportedCut = true
        }
        func differs(_ commit: ObjectID, _ seq: Int, _ what: String) {
            problems.append(
                AuditProblem(
                    file: "commit \(commit.hex)", sequence: seq, line: nil,
                    problem: "entry #\(seq) differs from the one this commit \(what)"))
        }
        for commit in try repo.commits(from: try head(), messageContains: "\nDangol-Audit-", orLacks: "") {
            let info = try repo.commit(commit)
            let message = CommitMessage.parse(info.message)
            if let after = message.auditAfter {
                tips += 1
                guard (try? message.openSummary(tree: info.tree, key: key)) != nil else {
                    problems.append(
                        AuditProblem(
                            file: "commit \(commit.hex)", sequence: nil, line: nil,
                            problem: "its summary does not open with the access-log tip it names: "
                                + "the commit was edited or made outside dangol"))
                    continue
                }
                if after.sequence > last {
                    cut(commit, after.sequence, "follows")
                } else if after.sequence > 0, hashes[after.sequence] != after.hash {
                    differs(commit, after.sequence, "follows")
                }
            }
            for t in message.trailers where t.hasPrefix(Self.auditTipTrailer) {
                let parts = t.dropFirst(Self.auditTipTrailer.count).split(separator: " ")
                guard parts.count == 2, let seq = Int(parts[0]) else { continue }
                tips += 1
                if seq > last {
                    cut(commit, seq, "wrote")
                } else if let h = hashes[seq], h != String(parts[1]) {
                    differs(commit, seq, "wrote")
                }
            }
        }
        return (tips, problems)
    }
}
