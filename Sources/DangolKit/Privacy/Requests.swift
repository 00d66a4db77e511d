import DangolCrypto
import DangolText
import Foundation

/// A customer's request about their own data (개인정보 보호법 제35조 to 제37조,
/// GDPR art. 15 to 18): to see it, to correct it, to have it erased, or to
/// have its processing stopped. The salon must answer within ten days
/// (시행령 제41조 제4항, 제43조, 제44조). A request is kept in the access log,
/// encrypted and by record id only like every entry, so it outlives the
/// erasure it may have asked for, and so is its answer.
public struct SubjectRequest: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case access, correction, erasure, restriction
    }

    /// 16 random hex digits: later entries name the request by it.
    public var id: String
    public var kind: Kind
    /// The day the customer asked (YYYY-MM-DD, local).
    public var received: String

    /// Days the law gives the salon to answer.
    public static let answerDays = 10

    /// The last day of the answer period.
    public var due: String {
        guard let day = Dates.parse(received),
              let end = Calendar.gregorianHere.date(byAdding: DateComponents(day: Self.answerDays), to: day)
        else { return received }
        return Dates.format(end)
    }
}

/// A request still waiting for its answer.
public struct OpenRequest: Sendable {
    public let request: SubjectRequest
    public let record: String
    /// Who recorded it, and when.
    public let person: String
    public let time: String

    /// Days since the customer asked, on `today`.
    public func age(on today: String = Dates.today()) -> Int {
        guard let a = Dates.parse(request.received), let b = Dates.parse(today) else { return 0 }
        return Calendar.gregorianHere.dateComponents([.day], from: a, to: b).day ?? 0
    }

    public func overdue(on today: String = Dates.today()) -> Bool { today > request.due }
}

extension Vault {
    static let requestAction = "request"
    static let requestClosedAction = "request-closed"

    /// Records that a customer asked; returns the request's id. Anyone at
    /// the counter may record one; answering needs the owner.
    @discardableResult
    public func recordRequest(_ kind: SubjectRequest.Kind, for record: RecordID, received: String = Dates.today())
        throws -> SubjectRequest
    {
        guard Dates.isValid(received), received <= Dates.today() else {
            throw VaultError.usage(Message("request.bad_date", ["date": received]))
        }
        let request = SubjectRequest(id: hex(Random.bytes(8)), kind: kind, received: received)
        try withWriteLock { try appendAudit(Self.requestAction, records: [record], request: request) }
        return request
    }

    /// Closes a request by hand: a correction made, a request refused or
    /// withdrawn. `outcome` is the owner's words, sealed like every entry.
    public func closeRequest(_ requestID: String, outcome: String) throws -> OpenRequest {
        try requireOwner(to: Message("request.answer_action"))
        let outcome = outcome.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !outcome.isEmpty else { throw VaultError.usage(Message("request.outcome_needed")) }
        return try withWriteLock {
            let matches = try openRequests(in: requestEntries()).filter { $0.request.id.hasPrefix(requestID.lowercased()) }
            guard let open = matches.first, matches.count == 1, requestID.count >= 6 else {
                throw VaultError.notFound(Message("request.not_open", ["id": requestID]))
            }
            try appendAudit(Self.requestClosedAction, records: [RecordID(hex: open.record)].compactMap { $0 },
                            reason: outcome, answers: [open.request.id])
            return open
        }
    }

    /// The requests not yet answered, oldest first (owner only).
    public func openRequests() throws -> [OpenRequest] {
        try requireOwner(to: Message("request.list_action"))
        return openRequests(in: try requestEntries())
    }

    /// The open requests of `kinds` about `records`, by id: what an export or
    /// an erasure of them answers.
    func requestsAnswered(by kinds: Set<SubjectRequest.Kind>, records: [RecordID], in entries: [AuditEntry]) -> [String] {
        let ids = Set(records.map(\.hex))
        return openRequests(in: entries).filter { kinds.contains($0.request.kind) && ids.contains($0.record) }
            .map(\.request.id)
    }

    func openRequests(in entries: [AuditEntry]) -> [OpenRequest] {
        var open = [String: OpenRequest]()
        var order = [String]()
        for e in entries {
            if e.action == Self.requestAction, let r = e.request, let record = e.records.first {
                open[r.id] = OpenRequest(request: r, record: record, person: e.person, time: e.time)
                order.append(r.id)
            }
            for id in e.answers ?? [] { open[id] = nil }
        }
        return order.compactMap { open[$0] }.sorted { ($0.request.received, $0.time) < ($1.request.received, $1.time) }
    }

    /// Runs `body` under the write lock (an entry read then appended must
    /// not race another writer's).
    func withWriteLock<T>(_ body: () throws -> T) throws -> T {
        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }
}
