internal import CLibgit2
import Foundation

/// What a history rewrite produced. Nothing of it is visible until the
/// caller moves the references (`switchReferences`).
public struct RewriteResult: Sendable {
    /// Every reference whose target changes; `new == nil` deletes it.
    public var references: [ReferenceUpdate]
    /// Commits written anew (their tree, parents or message changed).
    public var commitsRewritten: Int
    /// Commits that only touched removed paths and so disappeared.
    public var commitsDropped: Int
    /// Commits that keep their id (everything before the first that touched
    /// a removed path, and any branch that never did).
    public var commitsKept: Int
    /// Every blob id the removed paths ever had in the rewritten history.
    public var removedBlobs: Set<ObjectID>
    /// Objects in the new pack (trees, commits, tags).
    public var objectsWritten: Int
    /// Old commit → its replacement (a dropped commit maps to what took its
    /// place: its rewritten parent; absent when nothing did).
    public var commitMap: [ObjectID: ObjectID]
}

/// Rewrites a commit's message: the old commit's id, its message, the tree
/// the new commit will have and the tree it had (an encrypted summary bound
/// to the old tree must be opened with it and sealed again to the new one).
/// Called on several threads at once for a long history.
public typealias MessageTransform = (_ oldCommit: ObjectID, _ message: String, _ newTree: ObjectID, _ oldTree: ObjectID)
    throws -> String

/// Cleans free text that is not a commit message: an annotated tag's
/// message and a note's content. Returns the new text, or nil when nothing
/// in it had to go.
public typealias TextScrub = (_ text: [UInt8]) -> [UInt8]?

extension Repository {
    /// Removes `paths` (files, or whole directories) from every commit of
    /// every reference, BFG's way: each distinct tree is cleaned once and
    /// remembered by id, so only the trees on the way to a removed path are
    /// written again, and commits older than the first that touched a path
    /// keep their ids. A commit that changed nothing but removed paths is
    /// dropped and its children re-parented. Annotated tags and notes follow
    /// the commits they name. New objects go into one new pack, written and
    /// synced before this returns; references are not moved. The refs in
    /// `leaving` are neither read nor rewritten: a history that never holds
    /// the removed paths (the vault's access log) costs nothing here.
    public func rewriteHistory(
        removing paths: Set<String>, leaving: Set<String> = [], transformMessage: MessageTransform? = nil,
        scrubText: TextScrub? = nil
    ) throws -> RewriteResult {
        if try isHeadDetached() {
            throw GitError(
                function: "rewriteHistory", result: .notFound,
                message: "HEAD is detached; check out the vault's branch (git checkout main) and try again")
        }
        let rewriter = try HistoryRewriter(
            repo: self, paths: paths, leaving: leaving, transform: transformMessage, scrub: scrubText)
        // libgit2 hashes every object it reads again to check its name: a
        // third of the rewrite's reading. zlib's checksums still catch a
        // damaged object, and anyone able to swap objects in .git could as
        // well write new ones and move the refs (see Libgit2.withoutHashVerification).
        return try Libgit2.withoutHashVerification { try rewriter.run() }
    }
}

/// Old → new for one commit.
enum CommitFate {
    case kept
    case rewritten(ObjectID)
    /// Dropped; its children hang from this instead (nil: from nothing).
    case dropped(ObjectID?)
}

final class HistoryRewriter {
    /// One directory level of the removed paths.
    final class PathNode {
        var children: [[UInt8]: PathNode] = [:]
        /// First bytes of the children's names: a quick no for most entries.
        var firstBytes = [Bool](repeating: false, count: 256)
        var removed = false
        let index: Int
        init(index: Int) { self.index = index }
    }

    /// What one thread cleaning trees owns: its own object reader, and per
    /// path the last tree it wrote, to store the next one as a delta of it.
    final class Lane {
        let reader: ObjectReader
        var lastWritten: [Int: DeltaPackWriter.Base] = [:]
        init(reader: ObjectReader) { self.reader = reader }
    }

    struct MemoKey: Hashable {
        let node: Int
        let id: ObjectID
    }

    let repo: Repository
    /// Ids stored as loose files, listed once for every lane's reader.
    let loose: Set<ObjectKey>
    /// The packs as they were before the rewrite, read in place.
    let packs: MappedPacks
    let reader: ObjectReader
    let pack: DeltaPackWriter
    let transform: MessageTransform?
    let leaving: Set<String>
    /// For tag messages and notes; every rewritten tag and note passes it.
    let scrub: TextScrub?
    let root: PathNode
    /// Cleaned trees by (path, old id); nil when the tree became empty.
    var memo: [MemoKey: ObjectID?] = [:]
    /// Guards memo, removedBlobs and removedTreesSeen while two lanes clean trees.
    let shared = NSLock()
    lazy var mainLane = Lane(reader: reader)
    var removedBlobs = Set<ObjectID>()
    var removedTreesSeen = Set<ObjectID>()
    var fates: [ObjectID: CommitFate] = [:]
    var oldTrees: [ObjectID: ObjectID] = [:]
    var newTrees: [ObjectID: ObjectID] = [:]
    var tagMemo: [ObjectID: ObjectID?] = [:]
    /// Note blobs by old id: their scrubbed replacement, or nil.
    var noteMemo: [ObjectID: ObjectID?] = [:]
    var rewritten = 0, dropped = 0, kept = 0
    /// git's empty tree, 4b825dc642cb6eb9a060e54bf8d69288fbee4904.
    static let emptyTreeID = ObjectID(digest: [
        0x4b, 0x82, 0x5d, 0xc6, 0x42, 0xcb, 0x6e, 0xb9, 0xa0, 0x60, 0xe5, 0x4b, 0xf8, 0xd6, 0x92, 0x88, 0xfb, 0xee,
        0x49, 0x04,
    ])
    private var wroteEmptyTree = false

    /// The empty tree, written into the pack the first time a commit needs it
    /// (a repository need not hold it until then).
    func emptyTree() throws -> ObjectID {
        if !wroteEmptyTree {
            _ = try pack.add(.tree, [])
            wroteEmptyTree = true
        }
        return Self.emptyTreeID
    }

    init(repo: Repository, paths: Set<String>, leaving: Set<String>, transform: MessageTransform?,
         scrub: TextScrub? = nil) throws {
        self.repo = repo
        self.leaving = leaving
        loose = Set(try repo.looseObjects(repo.gitDirectory + "objects/"))
        packs = try MappedPacks(objects: repo.gitDirectory + "objects/")
        reader = try ObjectReader(repo, loose: loose, packs: packs)
        pack = DeltaPackWriter(repo: repo)
        self.transform = transform
        self.scrub = scrub
        var count = 0
        root = PathNode(index: count)
        for path in paths {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            guard !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
                throw GitError(
                    function: "rewriteHistory", result: .notFound, message: "\"\(path)\" is not a path to remove")
            }
            var node = root
            for part in parts {
                let name = Array(part.utf8)
                if let next = node.children[name] {
                    node = next
                } else {
                    count += 1
                    let next = PathNode(index: count)
                    node.children[name] = next
                    node.firstBytes[Int(name[0])] = true
                    node = next
                }
            }
            node.removed = true
        }
    }

    func run() throws -> RewriteResult {
        let refs = try repo.references().filter { !leaving.contains($0.name) }
        var updates = [ReferenceUpdate]()
        var notes = [(name: String, target: ObjectID)]()
        var tips = [ObjectID]()
        for (name, target) in refs {
            if name.hasPrefix("refs/original/") || name == "refs/stash" {
                // Backups of old history by other tools: exactly what erasure must not leave.
                updates.append(ReferenceUpdate(name: name, old: target, new: nil))
            } else if name.hasPrefix("refs/notes/") {
                notes.append((name, target))
            } else if let commit = try reader.peelToCommit(target) {
                tips.append(commit)
            }
        }
        try rewriteCommits(from: tips)
        for (name, target) in refs
        where !name.hasPrefix("refs/original/") && name != "refs/stash"
            && !name.hasPrefix("refs/notes/")
        {
            let new = try mapObject(target)
            if new != target { updates.append(ReferenceUpdate(name: name, old: target, new: new)) }
        }
        for (name, target) in notes {
            let new = try rewriteNotes(target)
            if new != target { updates.append(ReferenceUpdate(name: name, old: target, new: new)) }
        }
        let written = pack.count
        try pack.finish()
        var map = [ObjectID: ObjectID]()
        for (old, fate) in fates {
            switch fate {
            case .kept: break
            case .rewritten(let n): map[old] = n
            case .dropped(let n): if let n { map[old] = n }
            }
        }
        return RewriteResult(
            references: updates.sorted { $0.name < $1.name }, commitsRewritten: rewritten,
            commitsDropped: dropped, commitsKept: kept, removedBlobs: removedBlobs,
            objectsWritten: written, commitMap: map)
    }

    // MARK: Commits

    /// Reads every commit once, then handles them parents first. (libgit2's
    /// revwalk would parse each commit, and the rewrite would read it again.)
    private func rewriteCommits(from tips: [ObjectID]) throws {
        let ordered = try reader.commitsParentsFirst(from: tips)
        let cleaned = try cleanRootTrees(ordered.map(\.1.tree))
        let messages = try transformMessages(ordered, cleaned)
        for (i, (id, commit)) in ordered.enumerated() {
            try rewriteCommit(id, commit, cleanedTree: cleaned[i], message: messages[i])
        }
    }

    /// The messages of the commits whose tree changed, transformed ahead of
    /// the commit writing, which must go in order on one thread: opening and
    /// sealing each encrypted summary again is most of a rewritten commit's
    /// cost, and it runs here on all cores. A commit whose tree is unchanged
    /// (rewritten only for its parents) gets its transform while written.
    private func transformMessages(_ ordered: [(ObjectID, RawCommit)], _ cleaned: [ObjectID?]) throws -> [[UInt8]?] {
        var out = [[UInt8]?](repeating: nil, count: ordered.count)
        guard let transform else { return out }
        var position = [ObjectID: Int](minimumCapacity: ordered.count)
        for (i, (id, _)) in ordered.enumerated() { position[id] = i }
        func newTree(_ i: Int) -> ObjectID { cleaned[i] ?? Self.emptyTreeID }
        /// Whether the commit will be dropped (rewriteCommit decides; this
        /// foresees it for a commit with one parent or none, so that the
        /// transform sees only the commits that stay).
        func willBeDropped(_ i: Int) -> Bool {
            let commit = ordered[i].1
            guard commit.parents.count <= 1 else { return false }
            let oldParent: ObjectID, newParent: ObjectID
            if let p = commit.parents.first {
                guard let j = position[p] else { return false }
                (oldParent, newParent) = (ordered[j].1.tree, newTree(j))
            } else {
                (oldParent, newParent) = (Self.emptyTreeID, Self.emptyTreeID)
            }
            return commit.tree != oldParent && newTree(i) == newParent
        }
        let lanes = ordered.count >= 512 ? min(2, ProcessInfo.processInfo.activeProcessorCount) : 1
        let failures = PerWorker<Int>(1, 0)
        out.withUnsafeMutableBufferPointer { buffer in
            let results = buffer
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                do {
                    for i in (ordered.count * lane / lanes)..<(ordered.count * (lane + 1) / lanes) {
                        let (id, commit) = ordered[i]
                        let tree = newTree(i)
                        guard tree != commit.tree, !willBeDropped(i) else { continue }
                        let message = String(decoding: commit.message, as: UTF8.self)
                        results[i] = Array(try transform(id, message, tree, commit.tree).utf8)
                    }
                } catch {
                    failures.fail(error)
                }
            }
        }
        _ = try failures.all()
        return out
    }

    /// Parents come before children (topological order), so every parent's
    /// fate is known here.
    private func rewriteCommit(_ id: ObjectID, _ commit: RawCommit, cleanedTree: ObjectID?, message: [UInt8]?) throws {
        var raw = commit
        let oldTree = raw.tree
        oldTrees[id] = oldTree
        var parents = [ObjectID]()
        for p in raw.parents {
            let mapped: ObjectID?
            switch fates[p] {
            case .rewritten(let n)?: mapped = n
            case .dropped(let n)?: mapped = n
            case .kept?, nil: mapped = p
            }
            if let mapped, !parents.contains(mapped) { parents.append(mapped) }
        }
        let tree = try cleanedTree ?? emptyTree()
        if tree == oldTree && parents == raw.parents {
            fates[id] = .kept
            newTrees[id] = tree
            kept += 1
            return
        }
        let oldParentTree = raw.parents.first.flatMap { oldTrees[$0] } ?? Self.emptyTreeID
        let newParentTree = parents.first.flatMap { newTreeOf($0) } ?? Self.emptyTreeID
        if parents.count <= 1 && oldTree != oldParentTree && tree == newParentTree {
            // Everything this commit changed was in removed paths.
            fates[id] = .dropped(parents.first)
            dropped += 1
            return
        }
        if let message {
            raw.message = message
        } else if let transform {
            raw.message = Array(try transform(id, String(decoding: raw.message, as: UTF8.self), tree, oldTree).utf8)
        }
        raw.message = renamingCommitIDs(in: raw.message)
        raw.tree = tree
        raw.parents = parents
        let new = try pack.add(.commit, raw.bytes).id
        fates[id] = .rewritten(new)
        newTrees[new] = tree
        newTrees[id] = tree
        rewritten += 1
    }

    /// A message that names an earlier commit by its full id
    /// (`Dangol-Restored-From: <id>`, "revert <id>") names its new id after
    /// the rewrite, as BFG does: the old one will no longer exist.
    private func renamingCommitIDs(in message: [UInt8]) -> [UInt8] {
        var out = message
        var run = 0
        var i = 0
        while i <= out.count {
            if i < out.count && Self.isHexDigit(out[i]) {
                run += 1
            } else {
                if run == 40, let old = ObjectID(hex: String(decoding: out[(i - 40)..<i], as: UTF8.self)) {
                    let new: ObjectID?
                    switch fates[old] {
                    case .rewritten(let n)?: new = n
                    case .dropped(let n)?: new = n
                    default: new = nil
                    }
                    if let new { out.replaceSubrange((i - 40)..<i, with: Array(new.hex.utf8)) }
                }
                run = 0
            }
            i += 1
        }
        return out
    }

    private static func isHexDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x61...0x66).contains(b) }

    private func newTreeOf(_ commit: ObjectID) -> ObjectID? {
        if let t = newTrees[commit] { return t }
        // A parent outside the walk (a shallow boundary): read it.
        return (try? RawCommit(reader.read(commit).bytes))?.tree
    }

    // MARK: Tags and other reference targets

    func mapObject(_ id: ObjectID) throws -> ObjectID? {
        switch fates[id] {
        case .kept?: return id
        case .rewritten(let n)?: return n
        case .dropped(let n)?: return n
        case nil: break
        }
        let (kind, bytes) = try reader.read(id)
        switch kind {
        case .commit: return id
        case .tree: return try cleanTree(id, root, mainLane) ?? emptyTree()
        case .blob: return removedBlobs.contains(id) ? nil : id
        case .tag:
            if let known = tagMemo[id] { return known }
            var tag = try RawTag(bytes)
            let target = try mapObject(tag.object)
            var result: ObjectID?
            if let target {
                // The tagger line and message: an erased id leaves them too.
                let scrubbed = scrub?(tag.rest)
                if target == tag.object && scrubbed == nil {
                    result = id
                } else {
                    tag.object = target
                    if let scrubbed { tag.rest = scrubbed }
                    result = try pack.add(.tag, tag.bytes).id
                }
            }
            tagMemo[id] = .some(result)
            return result
        }
    }

}
