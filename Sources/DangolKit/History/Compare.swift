import Foundation

/// Two versions of one record, and the field changes between them.
public struct RecordComparison {
    public let record: RecordID
    public let fromLabel: String
    public let toLabel: String
    public let old: Customer?
    public let new: Customer?
    public let changes: [FieldChange]

    public func json(reveal: Bool) -> [String: Any] {
        ["record": record.hex, "from": fromLabel, "to": toLabel,
         "changes": changes.map { c in
             ["path": c.path, "change": c.kind.rawValue,
              "old": c.old.map { FieldChange.maskIfPhone(c.path, $0, reveal: reveal) } as Any,
              "new": c.new.map { FieldChange.maskIfPhone(c.path, $0, reveal: reveal) } as Any]
         }]
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
            guard let last = versions.last else { throw VaultError.notFound("customer \(id.short) has no history") }
            let before = versions.dropLast().last
            return RecordComparison(
                record: id, fromLabel: before.map { String($0.commit.prefix(12)) } ?? "(none)",
                toLabel: "\(last.commit.prefix(12)) by \(last.author)", old: before?.customer, new: last.customer,
                changes: try FieldDiff.between(before?.customer, last.customer))
        }
        let from = try revision(revisions[0])
        let to = try revisions.count > 1 ? revision(revisions[1]) : try head().hex
        let old = try read(id, at: from), new = try read(id, at: to)
        if old == nil && new == nil { throw VaultError.notFound("customer \(id.short) exists at neither revision") }
        return RecordComparison(record: id, fromLabel: String(from.prefix(12)), toLabel: String(to.prefix(12)),
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
            return RecordComparison(record: id, fromLabel: start.map { String($0.prefix(12)) } ?? "(none)",
                                    toLabel: String(end.prefix(12)), old: old, new: new,
                                    changes: try FieldDiff.between(old, new))
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
