import Foundation

/// A field-level difference between two versions of a customer document.
/// Paths look like `phone`, `visits[2].note`; elements appended to a list are
/// `visits[+1]`, `visits[+2]`, and removed trailing ones `visits[-1]`.
public struct FieldChange: Equatable, Sendable {
    public enum Kind: String, Sendable { case added, removed, changed }
    public let path: String
    public let kind: Kind
    public let old: String?
    public let new: String?
}

public enum FieldDiff {
    public static func between(_ a: Customer?, _ b: Customer?) throws -> [FieldChange] {
        var out = [FieldChange]()
        // A record created or removed shows field by field, like any change.
        let empty: [String: Any] = [:]
        compare(try json(a) ?? empty, try json(b) ?? empty, path: "", into: &out)
        return out
    }

    /// The document as a JSON tree (nil for a record that does not exist).
    static func json(_ c: Customer?) throws -> Any? {
        guard let c else { return nil }
        return try JSONSerialization.jsonObject(with: Data(try c.encoded()))
    }

    static func compare(_ a: Any?, _ b: Any?, path: String, into out: inout [FieldChange]) {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            for key in Set(x.keys).union(y.keys).sorted() {
                compare(x[key], y[key], path: path.isEmpty ? key : "\(path).\(key)", into: &out)
            }
        case (let x as [Any], let y as [Any]):
            for i in 0..<min(x.count, y.count) { compare(x[i], y[i], path: "\(path)[\(i)]", into: &out) }
            for i in x.count..<max(x.count, y.count) where i < y.count {
                out.append(FieldChange(path: "\(path)[+\(i - x.count + 1)]", kind: .added, old: nil, new: render(y[i])))
            }
            for i in y.count..<max(x.count, y.count) where i < x.count {
                out.append(FieldChange(path: "\(path)[-\(i - y.count + 1)]", kind: .removed, old: render(x[i]), new: nil))
            }
        default:
            let ra = render(a), rb = render(b)
            if ra == rb { return }
            // An empty list or object appearing is no change worth a line.
            if isEmpty(a) && isEmpty(b) { return }
            let kind: FieldChange.Kind = a == nil || a is NSNull ? .added : b == nil || b is NSNull ? .removed : .changed
            out.append(FieldChange(path: path, kind: kind, old: ra, new: rb))
        }
    }

    static func isEmpty(_ v: Any?) -> Bool {
        v == nil || v is NSNull || (v as? [Any])?.isEmpty == true || (v as? [String: Any])?.isEmpty == true
    }

    /// A leaf as text; a whole object or list as compact JSON.
    static func render(_ v: Any?) -> String? {
        guard let v, !(v is NSNull) else { return nil }
        if let s = v as? String { return s }
        if let data = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(v)"
    }

    /// Every leaf of a document by path, for `blame`.
    public static func leaves(_ c: Customer?) throws -> [(path: String, value: String)] {
        var out = [(path: String, value: String)]()
        func walk(_ v: Any, _ path: String) {
            if let o = v as? [String: Any] {
                for k in o.keys.sorted() { walk(o[k]!, path.isEmpty ? k : "\(path).\(k)") }  // key from keys
            } else if let l = v as? [Any] {
                for (i, e) in l.enumerated() { walk(e, "\(path)[\(i)]") }
            } else if let r = render(v) {
                out.append((path, r))
            }
        }
        if let j = try json(c) { walk(j, "") }
        return out
    }
}
