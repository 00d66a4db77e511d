import DangolText
import Foundation

/// `check --json`.
public struct CheckJSON: Encodable, Sendable {
    public struct Finding: Encodable, Sendable {
        public let kind: String
        public let file: String
        @Nullable public var commit: String?
        public let reason: String
        @Nullable public var repair: String?
    }

    public let head: String
    public let commitsChecked: Int
    public let recordsChecked: Int
    public let history: Bool
    public let findings: [Finding]
    /// Birthdays still kept with a year (Privacy/Birthday.swift).
    public let birthdaysWithYear: Int
    /// Commits made outside dangol that the owner accepted (not problems).
    public let accepted: [Finding]

    enum CodingKeys: String, CodingKey {
        case head, history, findings, accepted
        case commitsChecked = "commits_checked"
        case recordsChecked = "records_checked"
        case birthdaysWithYear = "birthdays_with_year"
    }

    public init(_ r: CheckReport, history: Bool) {
        head = r.head
        commitsChecked = r.commits
        recordsChecked = r.records
        self.history = history
        birthdaysWithYear = r.birthdaysWithYear
        findings = r.findings.map(Self.finding)
        accepted = r.accepted.map(Self.finding)
    }

    static func finding(_ f: CheckFinding) -> Finding {
        Finding(kind: f.kind.rawValue, file: f.file, commit: f.commit, reason: f.reason.description,
                repair: f.repair?.description)
    }
}

/// One backup remote (`remote list --json`).
public struct RemoteJSON: Encodable, Sendable {
    public let name: String
    public let url: String
    public let autoPush: Bool
    @Nullable public var lastPush: String?
    @Nullable public var ahead: Int?
    @Nullable public var behind: Int?
    public let rewrittenSinceLastPush: [String]
    @Nullable public var autoPushFailure: String?

    enum CodingKeys: String, CodingKey {
        case name, url, ahead, behind
        case autoPush = "auto_push"
        case lastPush = "last_push"
        case rewrittenSinceLastPush = "rewritten_since_last_push"
        case autoPushFailure = "auto_push_failure"
    }

    public init(_ s: RemoteStatus) {
        name = s.name
        url = s.url
        autoPush = s.autoPush
        lastPush = s.lastPush.map { LocalTime.iso(stored: $0) }
        ahead = s.ahead
        behind = s.behind
        rewrittenSinceLastPush = s.rewrittenSince
        autoPushFailure = s.autoPushFailure?.description
    }
}
