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
    public var files: Int
    public var tipsChecked: Int
    public var problems: [AuditProblem]
}

extension Vault {
    /// Checks the whole access log: every line opens under the audit key
    /// (an edited line does not), sequence numbers run on without a gap (a
    /// removed line or file leaves one), each line names the hash of the one
    /// before (a reordered line does not), and every tip that an access-log
    /// commit of the branch's history recorded is still there, unchanged
    /// (a log cut short at its end loses them).
    public func verifyAccessLog() throws -> AuditVerification {
        try requireOwner(to: "verify the access log")
        let head = try head()
        let files = try auditFiles(inTree: try repo.commit(head).tree)
        var problems = [AuditProblem]()
        var hashes = [Int: String]()
        var expected = 1
        var previousHash = ""
        var count = 0
        for f in files {
            for (n, raw) in try repo.readBlob(f.blob).split(separator: 0x0A).enumerated() {
                let line = Array(raw)
                let hash = Hash.blake2b(line)
                defer { previousHash = hash }
                count += 1
                guard let e = try? decodeAudit(line, file: f.path) else {
                    problems.append(
                        AuditProblem(
                            file: f.path, sequence: expected, line: n + 1,
                            problem: "the entry does not decrypt: it was edited or damaged"))
                    expected += 1
                    continue
                }
                hashes[e.sequence] = hash
                if e.sequence > expected {
                    let gap =
                        e.sequence == expected + 1
                        ? "entry #\(expected) is" : "entries #\(expected)–#\(e.sequence - 1) are"
                    problems.append(
                        AuditProblem(
                            file: f.path, sequence: e.sequence, line: n + 1,
                            problem: "\(gap) missing before it: removed"
                                + (n == 0 ? " (or a whole file of the log before this one)" : "")))
                } else if e.sequence < expected {
                    problems.append(
                        AuditProblem(
                            file: f.path, sequence: e.sequence, line: n + 1,
                            problem: "out of order: entry #\(expected) was expected here (entries moved or repeated)"))
                } else if e.previous != previousHash {
                    problems.append(
                        AuditProblem(
                            file: f.path, sequence: e.sequence, line: n + 1,
                            problem: "does not follow the line before it: an entry before it was replaced or moved"))
                }
                expected = max(expected, e.sequence) + 1
            }
        }
        let last = expected - 1
        var tips = 0
        var reportedCut = false
        for commit in try repo.commits(from: head, messageContains: "\n" + Self.auditTipTrailer, orLacks: "") {
            for t in CommitMessage.parse(try repo.commit(commit).message).trailers
            where t.hasPrefix(Self.auditTipTrailer) {
                let parts = t.dropFirst(Self.auditTipTrailer.count).split(separator: " ")
                guard parts.count == 2, let seq = Int(parts[0]) else { continue }
                tips += 1
                if seq > last {
                    // Newest commits come first: one report names the furthest cut.
                    if !reportedCut {
                        problems.append(
                            AuditProblem(
                                file: "commit \(commit.hex)", sequence: seq, line: nil,
                                problem: "this commit wrote entry #\(seq), but the log ends at #\(last): "
                                    + "its newest entries (or its newest file) were removed"))
                        reportedCut = true
                    }
                } else if let h = hashes[seq], h != String(parts[1]) {
                    problems.append(
                        AuditProblem(
                            file: "commit \(commit.hex)", sequence: seq, line: nil,
                            problem: "entry #\(seq) differs from the one this commit wrote"))
                }
            }
        }
        // A commit made without the key may have changed the log with the
        // rest; each one not accepted by the owner is named, as git shows it.
        for o in try outsideCommitsInHistory() where o.acceptedIn == nil {
            problems.append(
                AuditProblem(
                    file: "commit \(o.id)", sequence: nil, line: nil,
                    problem: Catalogue.text(
                        "commit.outside_short", ["author": o.author, "date": o.date, "files": String(o.changed.count)],
                        count: o.changed.count)))
        }
        return AuditVerification(entries: count, files: files.count, tipsChecked: tips, problems: problems)
    }
}
