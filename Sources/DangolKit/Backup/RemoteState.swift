import DangolGit
import Foundation

/// `.git/dangol-rewrites.json`: every history rewrite this vault made
/// (erasure, passphrase change, rekey), numbered, with the refs it moved.
/// A remote remembers the number it last saw; the refs of later rewrites
/// are the only ones a push may force. Never pushed, holds no personal data.
struct RewriteLog: Codable {
    struct Entry: Codable {
        var sequence: Int
        var operation: String
        var date: String
        var refs: [String]
    }

    static let fileName = "dangol-rewrites.json"
    var rewrites: [Entry] = []

    var latest: Int { rewrites.map(\.sequence).max() ?? 0 }

    static func load(_ repo: Repository) -> RewriteLog {
        guard let d = FileManager.default.contents(atPath: repo.gitDirectory + fileName),
            let log = try? JSONDecoder().decode(RewriteLog.self, from: d)
        else { return RewriteLog() }
        return log
    }

    /// Written before the refs move (the erase journal's moment), so a
    /// crash in between at worst forces a push that was a fast-forward.
    static func record(_ repo: Repository, operation: String, refs: [String]) throws {
        var log = load(repo)
        log.rewrites.append(
            Entry(
                sequence: log.latest + 1, operation: operation,
                date: ISO8601DateFormatter().string(from: Date()), refs: refs.sorted()))
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        try writeFileAtomically(repo.gitDirectory + fileName, bytes: Array(try e.encode(log)))
    }
}

/// `.git/dangol-remotes.json`: per remote, what dangol last pushed there and
/// when, and the last automatic push that failed. Local state, never pushed.
struct RemoteStates: Codable {
    struct State: Codable {
        var lastPush: String?
        /// ref → commit id, as the last successful push left the remote.
        var pushed: [String: String] = [:]
        var rewritesSeen = 0

        /// The failure of the last automatic push, however it was stored.
        var autoPushFailureMessage: Message? { autoPushProblem ?? autoPushFailure.map(Message.verbatim) }

        /// Why the last automatic push failed: written by dangol before
        /// 0.2 as English text, since as a message for any reader's language.
        var autoPushFailure: String?
        var autoPushProblem: Message?
        var autoPushFailedAt: String?
    }

    static let fileName = "dangol-remotes.json"
    var remotes: [String: State] = [:]

    static func load(_ repo: Repository) -> RemoteStates {
        guard let d = FileManager.default.contents(atPath: repo.gitDirectory + fileName),
            let s = try? JSONDecoder().decode(RemoteStates.self, from: d)
        else { return RemoteStates() }
        return s
    }

    func save(_ repo: Repository) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        try writeFileAtomically(repo.gitDirectory + Self.fileName, bytes: Array(try e.encode(self)))
    }

    /// Read, change and write under the push lock's protection.
    static func update(_ repo: Repository, _ body: (inout RemoteStates) -> Void) throws {
        var s = load(repo)
        body(&s)
        try s.save(repo)
    }
}
