import DangolText
import Foundation

/// One change in `log --json`. `commit`, `author`, `date`, `records` and
/// `summary` are the contract scripts rely on; `person` and `time` say the
/// same as `author` and `date` in the shared vocabulary. `summary` is the
/// text in the reader's language; `changes` the same as data (null for a
/// summary written as text by an older dangol).
public struct LogEntryJSON: Encodable, Sendable {
    public let commit: String
    public let person: String
    public let author: String
    public let time: String
    public let date: String
    public let operation: String
    public let records: [String]
    @Nullable public var summary: String?
    @Nullable public var changes: ChangeSummary?

    public init(_ e: LogEntry) {
        commit = e.commit
        person = e.author
        author = e.author
        time = LocalTime.iso(e.date)
        date = time
        operation = e.operation
        records = e.records.map(\.hex)
        summary = e.summary?.text(.current)
        changes = e.summary?.structured
    }
}

/// One record's changes between two versions (`diff --json`).
public struct ComparisonJSON: Encodable, Sendable {
    public struct Change: Encodable, Sendable {
        public let field: String
        public let change: String
        @Nullable public var old: String?
        @Nullable public var new: String?
    }

    public let id: String
    @Nullable public var from: String?
    public let to: String
    @Nullable public var person: String?
    public let changes: [Change]

    public init(_ c: RecordComparison, reveal: Bool) {
        id = c.record.hex
        from = c.from
        to = c.to
        person = c.author
        changes = c.changes.map { ch in
            Change(field: ch.path, change: ch.kind.rawValue,
                   old: ch.old.map { FieldChange.maskIfPhone(ch.path, $0, reveal: reveal) },
                   new: ch.new.map { FieldChange.maskIfPhone(ch.path, $0, reveal: reveal) })
        }
    }
}

/// Who last changed one field (`blame --json`).
public struct BlameJSON: Encodable, Sendable {
    public let field: String
    public let value: String
    public let commit: String
    public let person: String
    public let time: String

    public init(_ line: BlameLine, shownValue: String) {
        field = line.path
        value = shownValue
        commit = line.commit
        person = line.author
        time = LocalTime.iso(line.date)
    }
}

/// `export --format json`: what the customer gets.
public struct ExportJSON: Encodable, Sendable {
    public struct Change: Encodable, Sendable {
        public let time: String
        public let person: String
        @Nullable public var summary: String?
    }

    public let exported: String
    public let id: String
    public let record: JSONRecord
    public let history: [Change]
}
