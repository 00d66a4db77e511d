import Foundation

/// Replaces one file version by another: the path it is at, and its bytes.
public typealias BlobTransform = (_ path: String, _ bytes: [UInt8]) throws -> [UInt8]

/// What a rewrite of every file version produced; refs are not moved yet.
public struct BlobRewriteResult: Sendable {
    public var references: [ReferenceUpdate]
    public var commitsRewritten: Int
    /// Every blob replaced or removed: none of them may remain afterwards.
    public var oldBlobs: Set<ObjectID>
}

extension Repository {
    /// Rewrites every commit of every branch and tag, BFG's way (each
    /// distinct tree and file version handled once, remembered by path and
    /// id): each blob under one of `prefixes` passes through `transform`,
    /// the paths in `removing` leave every commit, each message passes
    /// through `transformMessage`. Commits run parents first, on one thread,
    /// because a transform may depend on what came before (a hash chain).
    /// New objects go into one synced pack; references are not moved.
    /// A rekey re-encrypts every record version this way.
    public func rewriteEveryCommit(
        transforming prefixes: [String], removing: Set<String>, transform: @escaping BlobTransform,
        transformMessage: @escaping MessageTransform
    ) throws -> BlobRewriteResult {
        if try isHeadDetached() {
            throw GitError(
                function: "rewriteEveryCommit", result: .notFound,
                message: "HEAD is detached; check out the vault's branch (git checkout main) and try again")
        }
        let job = try BlobRewriter(
            repo: self, prefixes: prefixes, removing: removing, transform: transform,
            transformMessage: transformMessage)
        return try job.run()
    }
}

final class BlobRewriter {
    let repo: Repository
    let reader: ObjectReader
    let pack: DeltaPackWriter
    let prefixes: [String]
    let removing: Set<String>
    let transform: BlobTransform
    let transformMessage: MessageTransform
    var trees: [String: ObjectID] = [:]
    var blobs: [String: ObjectID] = [:]
    var oldBlobs = Set<ObjectID>()
    var commits: [ObjectID: ObjectID] = [:]
    var tags: [ObjectID: ObjectID] = [:]

    init(
        repo: Repository, prefixes: [String], removing: Set<String>, transform: @escaping BlobTransform,
        transformMessage: @escaping MessageTransform
    ) throws {
        self.repo = repo
        reader = try ObjectReader(repo)
        pack = DeltaPackWriter(repo: repo)
        self.prefixes = prefixes
        self.removing = removing
        self.transform = transform
        self.transformMessage = transformMessage
    }

    func run() throws -> BlobRewriteResult {
        let refs = try repo.references()
        if let notes = refs.first(where: { $0.name.hasPrefix("refs/notes/") }) {
            throw GitError(
                function: "rewriteEveryCommit", result: .exists,
                message: "\(notes.name) would keep old objects; remove the notes first (git notes)")
        }
        let tips = try refs.compactMap { try reader.peelToCommit($0.target) }
        for (id, commit) in try reader.commitsParentsFirst(from: tips) {
            var c = commit
            let oldTree = c.tree
            c.tree = try rewriteTree(oldTree, path: "") ?? pack.add(.tree, []).id
            c.parents = c.parents.map { commits[$0] ?? $0 }
            c.message = Array(
                try transformMessage(id, String(decoding: c.message, as: UTF8.self), c.tree, oldTree).utf8)
            commits[id] = try pack.add(.commit, c.bytes).id
        }
        var updates = [ReferenceUpdate]()
        for r in refs {
            let new = try map(r.target)
            if new != r.target { updates.append(ReferenceUpdate(name: r.name, old: r.target, new: new)) }
        }
        try pack.finish()
        return BlobRewriteResult(references: updates, commitsRewritten: commits.count, oldBlobs: oldBlobs)
    }


    private func map(_ id: ObjectID) throws -> ObjectID {
        if let c = commits[id] { return c }
        if let t = tags[id] { return t }
        let (kind, bytes) = try reader.read(id)
        guard kind == .tag else { return id }
        var tag = try RawTag(bytes)
        tag.object = try map(tag.object)
        let new = try pack.add(.tag, tag.bytes).id
        tags[id] = new
        return new
    }

    /// Whether anything at or below `path` is transformed or removed.
    private func concerns(_ path: String) -> Bool {
        if path.isEmpty { return true }
        return prefixes.contains { $0.hasPrefix(path + "/") || path.hasPrefix($0) || $0 == path + "/" }
            || removing.contains { $0.hasPrefix(path + "/") || $0 == path || path.hasPrefix($0 + "/") }
    }

    private func rewriteTree(_ id: ObjectID, path: String) throws -> ObjectID? {
        let key = path + "\u{0}" + id.hex
        if let known = trees[key] { return known }
        let bytes = try reader.read(id).bytes
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var kept = 0
        for e in try RawTree.entries(bytes) {
            let name = String(decoding: e.name, as: UTF8.self)
            let child = path.isEmpty ? name : path + "/" + name
            if removing.contains(child) {
                try collect(e.id, isTree: e.isTree)
                continue
            }
            var newID = e.id
            if e.isTree {
                if concerns(child) {
                    guard let t = try rewriteTree(e.id, path: child) else { continue }
                    newID = t
                }
            } else if prefixes.contains(where: { child.hasPrefix($0) }) {
                let memo = child + "\u{0}" + e.id.hex
                if let known = blobs[memo] {
                    newID = known
                } else {
                    newID = try pack.add(.blob, try transform(child, try reader.read(e.id).bytes)).id
                    blobs[memo] = newID
                    if newID != e.id { oldBlobs.insert(e.id) }
                }
            }
            out += bytes[e.range.lowerBound..<(e.range.upperBound - 20)]
            out += newID.bytes
            kept += 1
        }
        let result: ObjectID? = kept == 0 && !path.isEmpty ? nil : try pack.add(.tree, out).id
        trees[key] = result
        return result
    }

    private func collect(_ id: ObjectID, isTree: Bool) throws {
        guard isTree else { oldBlobs.insert(id); return }
        for e in try RawTree.entries(reader.read(id).bytes) { try collect(e.id, isTree: e.isTree) }
    }
}
