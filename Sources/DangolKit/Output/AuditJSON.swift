import DangolText
import Foundation

/// One access-log entry (`audit --json`).
public struct AuditEntryJSON: Encodable, Sendable {
    public let sequence: Int
    public let time: String
    public let person: String
    public let action: String
    public let records: [String]
    public let host: String
    @Nullable public var reason: String?
    @Nullable public var receipt: ReceiptJSON?
    /// Written after a crash for a change found without its entry.
    public let recovered: Bool

    public init(_ e: AuditEntry) {
        sequence = e.sequence
        time = LocalTime.iso(stored: e.time)
        person = e.person
        action = e.action
        records = e.records
        host = e.host
        reason = e.reason
        receipt = ErasureReceipt(entry: e).map(ReceiptJSON.init)
        recovered = e.recovered == true
    }
}

/// An erasure receipt (`erase --json`, `retention --erase --json`, and
/// inside an `audit --json` entry).
public struct ReceiptJSON: Encodable, Sendable {
    public let erasure: String
    public let time: String
    public let person: String
    public let reason: String
    public let records: [String]
    public let commitsRewritten: Int
    public let commitsDropped: Int
    public let objectsRemoved: Int
    public let remnantsFound: Int
    public let objectsScanned: Int
    public let verified: Bool
    @Nullable public var head: String?
    public let resumed: Bool

    enum CodingKeys: String, CodingKey {
        case erasure, time, person, reason, records, verified, head, resumed
        case commitsRewritten = "commits_rewritten"
        case commitsDropped = "commits_dropped"
        case objectsRemoved = "objects_removed"
        case remnantsFound = "remnants_found"
        case objectsScanned = "objects_scanned"
    }

    public init(_ r: ErasureReceipt) {
        erasure = r.figures.erasure
        time = LocalTime.iso(stored: r.date)
        person = r.person
        reason = r.reason
        records = r.records.map(\.hex)
        commitsRewritten = r.figures.commitsRewritten
        commitsDropped = r.figures.commitsDropped
        objectsRemoved = r.figures.objectsRemoved
        remnantsFound = r.figures.remnantsFound
        objectsScanned = r.figures.objectsScanned
        verified = r.verified
        head = r.head.isEmpty ? nil : r.head
        resumed = r.resumed
    }
}

/// `audit verify --json`.
public struct AuditVerificationJSON: Encodable, Sendable {
    public struct Problem: Encodable, Sendable {
        public let file: String
        @Nullable public var sequence: Int?
        @Nullable public var line: Int?
        public let problem: String
    }

    public let entries: Int
    public let files: Int
    public let tipsChecked: Int
    public let recovered: Int
    public let problems: [Problem]

    enum CodingKeys: String, CodingKey {
        case entries, files, problems, recovered
        case tipsChecked = "tips_checked"
    }

    public init(_ v: AuditVerification) {
        entries = v.entries
        files = v.files
        tipsChecked = v.tipsChecked
        recovered = v.recovered
        problems = v.problems.map {
            Problem(file: $0.file, sequence: $0.sequence, line: $0.line, problem: $0.problem.description)
        }
    }
}

/// One person's month in `audit review --json`.
public struct ReviewJSON: Encodable, Sendable {
    public struct Day: Encodable, Sendable {
        public let date: String
        public let customers: Int
    }

    public let person: String
    public let reads: Int
    public let changes: Int
    public let exports: Int
    public let erasures: Int
    public let customers: Int
    public let outsideHours: Int
    public let unusualDays: [Day]
    /// Runs of many searches in a short time (Audit/Review.swift).
    public let searchBursts: [Burst]

    public struct Burst: Encodable, Sendable {
        public let start: String
        public let searches: Int
    }

    enum CodingKeys: String, CodingKey {
        case person, reads, changes, exports, erasures, customers
        case outsideHours = "outside_hours"
        case unusualDays = "unusual_days"
        case searchBursts = "search_bursts"
    }

    public init(_ p: AuditReview.PersonSummary) {
        person = p.person
        reads = p.reads
        changes = p.changes
        exports = p.exports
        erasures = p.erasures
        customers = p.customers
        outsideHours = p.outsideHours
        unusualDays = p.unusualDays.map { Day(date: $0.day, customers: $0.customers) }
        searchBursts = p.searchBursts.map { Burst(start: $0.start, searches: $0.searches) }
    }
}
