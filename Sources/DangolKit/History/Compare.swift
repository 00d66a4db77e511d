import DangolText
import Foundation

/// Two versions of one record, and the field changes between them.
public struct RecordComparison {
    public let record: RecordID
    /// The commit of the older version, nil when there was none.
    public let from: String?
    /// The commit of the newer version.
    public let to: String
    /// Who made `to`, when the comparison is of the record's last change.
    public let author: String?
    public let old: Customer?
    public let new: Customer?
    public let changes: [FieldChange]

    public var fromLabel: String { from.map { String($0.prefix(12)) } ?? Catalogue.text("compare.no_version") }
    public var toLabel: String {
        let commit = String(to.prefix(12))
        return author.map { Catalogue.text("compare.commit_by", ["commit": commit, "person": $0]) } ?? commit
    }

    /// A unified line diff of the two pretty-printed documents.
    public func unified(reveal: Bool) throws -> String {
        func lines(_ c: Customer?) throws -> [String] {
            guard var c else { return [] }
            if !reveal, let p = c.phone { c.phone = Phone.masked(p) }
            return String(decoding: try c.encoded(), as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return LineDiff.unified(try lines(old), try lines(new), from: fromLabel, to: toLabel)
    }
}

extension FieldChange {
    /// Phone numbers stay masked (010-****-5678) unless the user reveals them.
    public static func maskIfPhone(_ path: String, _ value: String, reveal: Bool) -> String {
        path == "phone" && !reveal ? Phone.masked(value) : value
    }

    /// `phone: 010-****-5678 → 010-****-0000`, `+ visits[+1]: {…}`.
    public func line(reveal: Bool) -> String {
        let o = old.map { Self.maskIfPhone(path, $0, reveal: reveal) } ?? ""
        let n = new.map { Self.maskIfPhone(path, $0, reveal: reveal) } ?? ""
        switch kind {
        case .added: return "+ \(path): \(n)"
        case .removed: return "- \(path): \(o)"
        case .changed: return "~ \(path): \(o) → \(n)"
        }
    }
}

extension Vault {
    /// One record between revisions: none given means its last change; one
    /// means from there to the head; two means between those two.
    public func compare(_ id: RecordID, revisions: [String]) throws -> RecordComparison {
        if revisions.isEmpty {
            let versions = try versions(of: id)
            guard let last = versions.last else {
                throw VaultError.notFound(Message("customer.no_history", ["id": id.short]))
            }
            let before = versions.dropLast().last
            return RecordComparison(
                record: id, from: before?.commit, to: last.commit,
                author: last.author, old: before?.customer, new: last.customer,
                changes: try FieldDiff.between(before?.customer, last.customer))
        }
        let from = try revision(revisions[0])
        let to = try revisions.count > 1 ? revision(revisions[1]) : try head().hex
        let old = try read(id, at: from), new = try read(id, at: to)
        if old == nil && new == nil {
            throw VaultError.notFound(Message("customer.at_neither_revision", ["id": id.short]))
        }
        return RecordComparison(record: id, from: from, to: to, author: nil,
                                old: old, new: new, changes: try FieldDiff.between(old, new))
    }

    /// Every record changed between the start of `from` and the end of `to`
    /// (calendar days, inclusive), including ones created or removed.
    public func compare(range from: String, _ to: String) throws -> [RecordComparison] {
        let dayBefore = Dates.format(Dates.parse(from)!.addingTimeInterval(-86_400))  // from is a valid date
        let start = try lastCommit(onOrBefore: dayBefore)
        guard let end = try lastCommit(onOrBefore: to) else { return [] }
        if let start, start == end { return [] }
        return try changedRecords(from: start, to: end).map { id in
            let old = try start.map { try read(id, at: $0) } ?? nil
            let new = try read(id, at: end)
            return RecordComparison(record: id, from: start, to: end,
                                    author: nil, old: old, new: new, changes: try FieldDiff.between(old, new))

        }
    }
}

/// A small LCS line diff: records are short, so quadratic is fine.
enum LineDiff {
    static func unified(_ a: [String], _ b: [String], from: String, to: String) -> String {
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out = ["--- \(from)", "+++ \(to)"]
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count && j < b.count && a[i] == b[j] {
                out.append(" " + a[i]); i += 1; j += 1
            } else if j < b.count && (i == a.count || lcs[i][j + 1] >= lcs[i + 1][j]) {
                out.append("+" + b[j]); j += 1
            } else {
                out.append("-" + a[i]); i += 1
            }
        }
        return out.joined(separator: "\n")
    }
}
