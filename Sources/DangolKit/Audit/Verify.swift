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
        try requireOwner(to: Message("role.do.verify_audit"))
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
                            problem: Message("audit.problem.does_not_decrypt")))
                    expected += 1
                    continue
                }
                hashes[e.sequence] = hash
                if e.sequence > expected {
                    let gap =
                        e.sequence == expected + 1
                        ? Message("audit.problem.entry_missing", ["n": arg(expected)])
                        : Message("audit.problem.entries_missing", ["from": arg(expected), "to": arg(e.sequence - 1)])
                    problems.append(
                        AuditProblem(
                            file: f.path, sequence: e.sequence, line: n + 1,
                            problem: n == 0 ? Message("audit.problem.or_file_before", parts: ["gap": gap]) : gap))
                } else if e.sequence < expected {
                    problems.append(
                        AuditProblem(
                            file: f.path, sequence: e.sequence, line: n + 1,
                            problem: Message("audit.problem.out_of_order", ["n": arg(expected)])))
                } else if e.previous != previousHash {
                    problems.append(
                        AuditProblem(
                            file: f.path, sequence: e.sequence, line: n + 1,
                            problem: Message("audit.problem.does_not_follow")))
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
                                problem: Message("audit.problem.cut_short", ["n": arg(seq), "last": arg(last)])))
                        reportedCut = true
                    }
                } else if let h = hashes[seq], h != String(parts[1]) {
                    problems.append(
                        AuditProblem(
                            file: "commit \(commit.hex)", sequence: seq, line: nil,
                            problem: Message("audit.problem.differs", ["n": arg(seq)])))

                }
            }
        }
        // A commit made without the key may have changed the log with the
        // rest; each one not accepted by the owner is named, as git shows it.
        for o in try outsideCommitsInHistory() where o.acceptedIn == nil {
            problems.append(
                AuditProblem(
                    file: "commit \(o.id)", sequence: nil, line: nil,
                    problem: o.message))
        }
        return AuditVerification(entries: count, files: files.count, tipsChecked: tips, problems: problems)
    }
}
