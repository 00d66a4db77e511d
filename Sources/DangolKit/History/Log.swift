import DangolGit
import Foundation

/// One line of `dangol log`: who changed which records when, and what.
public struct LogEntry: Sendable {
    public let commit: String
    public let author: String
    public let date: Date
    public let timeZoneOffsetMinutes: Int
    public let operation: String
    public let records: [RecordID]
    public let summary: StoredSummary?
}


public struct LogFilter: Sendable {
    public var record: RecordID?
    public var author: String?
    /// Inclusive calendar dates, YYYY-MM-DD, in local time.
    public var since: String?
    public var until: String?
    public var limit: Int?
    /// Access-log commits are left out unless asked for (`dangol audit` shows them).
    public var includeAudit = false

    public init(record: RecordID? = nil, author: String? = nil, since: String? = nil, until: String? = nil,
                limit: Int? = nil) {
        self.record = record
        self.author = author
        self.since = since
        self.until = until
        self.limit = limit
    }
}

extension Vault {
    /// The history, newest first, with each commit's summary decrypted.
    public func log(_ filter: LogFilter = LogFilter()) throws -> [LogEntry] {
        var out = [LogEntry]()
        try repo.walkFirstParents(from: try head()) { id in
            let info = try repo.commit(id)
            let day = Dates.format(info.time)
            if let since = filter.since, day < since { return false }  // older commits are older still
            if let until = filter.until, day > until { return true }
            if let a = filter.author, info.authorName != a { return true }
            let message = CommitMessage.parse(info.message)
            if message.operation == "audit" && !filter.includeAudit { return true }
            if let r = filter.record, try !touches(info, r, message: message) { return true }
            out.append(LogEntry(commit: id.hex, author: info.authorName, date: info.time,
                                timeZoneOffsetMinutes: info.timeZoneOffsetMinutes, operation: message.operation,
                                records: message.records, summary: try summary(of: id)))
            return filter.limit.map { out.count < $0 } ?? true
        }
        return out
    }

    /// Whether a commit changed a record's file. The message's record list
    /// answers cheaply; a commit made outside dangol is checked by content.
    func touches(_ info: CommitInfo, _ id: RecordID, message: CommitMessage) throws -> Bool {
        if !message.records.isEmpty && !message.records.contains(id) { return false }
        let now = try repo.entry(at: id.path, inTree: info.tree)?.id
        let before = try info.parents.first.map { try repo.entry(at: id.path, inTree: try repo.commit($0).tree)?.id } ?? nil
        return now != before
    }
}
