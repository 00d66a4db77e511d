import Foundation

/// For each field of a record: who last changed it, when, in which commit.
public struct BlameLine: Sendable {
    public let path: String
    public let value: String
    public let commit: String
    public let author: String
    public let date: Date
}

extension Vault {
    /// Walks the record's versions oldest first; a leaf is attributed to the
    /// version where its value last became what it is now. Versions are
    /// compared struct by struct and only changed elements are flattened, so
    /// a long history costs in proportion to what changed, not to its size.
    public func blame(_ id: RecordID) throws -> [BlameLine] {
        let versions = try versions(of: id)
        guard let current = versions.last, let now = current.customer else {
            throw VaultError.notFound(Message("customer.not_at_head", ["id": id.short]))
        }
        var owner: [String: RecordVersion] = [:]
        var previous: Customer?
        for v in versions {
            guard let c = v.customer else {
                owner = [:]
                previous = nil
                continue
            }
            for path in try BlameDiff.changedLeaves(previous, c) { owner[path] = v }
            previous = c
        }
        return try FieldDiff.leaves(now).map { path, value in
            let v = owner[path] ?? current
            return BlameLine(path: path, value: value, commit: v.commit, author: v.author, date: v.date)
        }
    }

    /// Brings back the record as it was at `revision`, as a new commit that
    /// says it is a restore and from where. The old version must pass today's
    /// schema: restoring never brings back what the rules now refuse.
    @discardableResult
    public func restore(_ id: RecordID, from revision: String) throws -> Bool {
        let commit = try self.revision(revision)
        guard let old = try read(id, at: commit) else {
            throw VaultError.notFound(Message("customer.not_at_revision", ["id": id.short, "commit": String(commit.prefix(12))]))

        }
        let made = try change(operation: "restore", trailers: ["Dangol-Restored-From: \(commit)"]) { tx in
            tx.restoredFrom = String(commit.prefix(12))

            try tx.put(old, id: id)
        }
        return made != nil
    }
}

/// The leaf paths that differ between two versions of a customer.
enum BlameDiff {
    static func changedLeaves(_ old: Customer?, _ new: Customer) throws -> [String] {
        guard let old else { return try FieldDiff.leaves(new).map(\.path) }
        var out = [String]()
        let scalars: [(String, String?, String?)] = [
            ("name", old.name, new.name), ("phone", old.phone, new.phone), ("email", old.email, new.email),
            ("birthday", old.birthday, new.birthday), ("note", old.note, new.note),
            ("created", old.created, new.created), ("schema", "\(old.schema)", "\(new.schema)"),
        ]
        for (path, a, b) in scalars where a != b { out.append(path) }
        for key in Set(old.extra.keys).union(new.extra.keys) where old.extra[key] != new.extra[key] { out.append(key) }
        out += try elements(old.allergies, new.allergies, "allergies")
        out += try elements(old.visits, new.visits, "visits")
        out += try elements(old.consents, new.consents, "consents")
        return out
    }

    /// Only elements that differ are flattened and compared leaf by leaf.
    static func elements<T: Codable & Equatable>(_ a: [T], _ b: [T], _ name: String) throws -> [String] {
        var out = [String]()
        for i in b.indices where i >= a.count || a[i] != b[i] {
            let newLeaves = try leaves(b[i], prefix: "\(name)[\(i)]")
            let oldLeaves = i < a.count ? try leaves(a[i], prefix: "\(name)[\(i)]") : [:]
            out += newLeaves.filter { oldLeaves[$0.key] != $0.value }.map(\.key)
        }
        return out
    }

    static func leaves<T: Encodable>(_ value: T, prefix: String) throws -> [String: String] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let json = try JSONSerialization.jsonObject(with: try e.encode(value), options: [.fragmentsAllowed])
        var out: [String: String] = [:]
        func walk(_ v: Any, _ path: String) {
            if let o = v as? [String: Any] {
                for (k, x) in o { walk(x, "\(path).\(k)") }
            } else if let l = v as? [Any] {
                for (i, x) in l.enumerated() { walk(x, "\(path)[\(i)]") }
            } else if let r = FieldDiff.render(v) {
                out[path] = r
            }
        }
        walk(json, prefix)
        return out
    }
}
