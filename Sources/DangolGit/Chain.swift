import Foundation

/// One commit of a linear history read as raw bytes: what a reader of the
/// access log's ref needs, which keeps one entry in each commit's message.
public struct ChainCommit: Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parent: ObjectID?
    /// How many parents it has (a chain's commits have one, its first none).
    public let parentCount: Int
    /// The author's time (a dangol commit's author and committer agree).
    public let time: Date
    public let message: [UInt8]
}

extension Repository {
    /// Commits from `start` back along first parents, newest first, each
    /// read where it lies in a pack (loose ones through libgit2) and parsed
    /// here: a salon's access log holds a commit per entry, a hundred
    /// thousand and more after some years, and libgit2's revwalk and commit
    /// parsing would cost more than the entries' decryption. `body` returns
    /// false to stop.
    public func walkChain(from start: ObjectID, _ body: (ChainCommit) throws -> Bool) throws {
        let reader = try ObjectReader(self, packs: try MappedPacks(objects: gitDirectory + "objects/"))
        var next: ObjectID? = start
        while let id = next {
            let (kind, bytes) = try reader.read(id)
            guard kind == .commit else {
                throw GitError(function: "walkChain", result: .notFound, message: "\(id.hex) is not a commit")
            }
            let raw = try RawCommit(bytes)
            let commit = ChainCommit(
                id: id, tree: raw.tree, parent: raw.parents.first, parentCount: raw.parents.count,
                time: Self.authorTime(raw.otherHeaders),
                message: raw.message)
            if try !body(commit) { return }
            next = raw.parents.first
        }
    }

    /// The time on the author line: "author Name <email> 1795000000 +0900".
    static func authorTime(_ headers: [UInt8]) -> Date {
        let prefix = Array("author ".utf8)
        var start = 0
        while start < headers.count {
            let end = headers[start...].firstIndex(of: 0x0A) ?? headers.count
            let line = headers[start..<end]
            if line.starts(with: prefix), let close = line.lastIndex(of: UInt8(ascii: ">")) {
                let fields = line[(close + 1)...].split(separator: 0x20)
                if let first = fields.first, let seconds = Int(String(decoding: first, as: UTF8.self)) {
                    return Date(timeIntervalSince1970: TimeInterval(seconds))
                }
            }
            start = end + 1
        }
        return Date(timeIntervalSince1970: 0)
    }
}
