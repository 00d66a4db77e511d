import Foundation

/// `--json` output: each command's answer is one of the Encodable shapes in
/// this folder, with one name per concept across commands (JSON.md):
/// `id` a customer record id, `records` a list of them, `person` who,
/// `time` an instant (ISO-8601 with the local offset), `date` a calendar
/// day, `commit` a commit id, `field` a field's path in a record.
public enum JSONOutput {
    /// Pretty, keys sorted, a newline at the end.
    public static func text(_ value: some Encodable) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
    }
}

/// A value that is written as `null` when absent rather than left out, so
/// every key of a shape is there for a script to read.
@propertyWrapper
public struct Nullable<T: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: T?

    public init(wrappedValue: T?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let v = wrappedValue { try c.encode(v) } else { try c.encodeNil() }
    }
}
