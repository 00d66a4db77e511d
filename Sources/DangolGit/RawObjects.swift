internal import CLibgit2
import Foundation

/// Objects as their raw bytes. The rewrite edits trees and commits at the
/// byte level so that everything it does not mean to change (modes, entry
/// order, author and committer lines, time zones, extra headers) is carried
/// over bit for bit.
final class ObjectReader {
    private let store: ObjectStoreReader

    /// `loose` lists the ids stored as loose files (`looseObjects`): those
    /// are read straight from their files, which in a vault that dangol
    /// wrote one commit at a time is most of them, and libgit2 spends an
    /// access() and an fstat more on each. Packed objects go through a
    /// libgit2 database of this reader's own, so each thread has one.
    init(_ repo: Repository, loose: Set<ObjectKey> = [], packs: MappedPacks? = nil) throws {
        store = try ObjectStoreReader(objects: repo.gitDirectory + "objects/", loose: loose, packs: packs)
    }

    func read(_ id: ObjectID) throws -> (kind: ObjectKind, bytes: [UInt8]) {
        try store.read(ObjectKey(id)) { type, content in
            let kind: ObjectKind
            switch type {
            case GIT_OBJECT_COMMIT: kind = .commit
            case GIT_OBJECT_TREE: kind = .tree
            case GIT_OBJECT_TAG: kind = .tag
            default: kind = .blob
            }
            return (kind, Array(content))
        }
    }

    /// Every commit reachable from `tips`, each read once, parents before
    /// children (a depth-first post-order), for the history rewrites:
    /// libgit2's revwalk would parse each commit, and the rewrite would read
    /// it again.
    func commitsParentsFirst(from tips: [ObjectID]) throws -> [(id: ObjectID, commit: RawCommit)] {
        var commits = [ObjectID: RawCommit]()
        var pending = tips
        while let id = pending.popLast() {
            if commits[id] != nil { continue }
            let c = try RawCommit(read(id).bytes)
            commits[id] = c
            for p in c.parents where commits[p] == nil { pending.append(p) }
        }
        var order = [(id: ObjectID, commit: RawCommit)]()
        order.reserveCapacity(commits.count)
        var done = Set<ObjectID>()
        var entered = Set<ObjectID>()
        for tip in tips where !done.contains(tip) {
            var stack: [(id: ObjectID, next: Int)] = [(tip, 0)]
            entered.insert(tip)
            while let top = stack.last {
                let parents = commits[top.id]?.parents ?? []  // every reachable commit was read above
                if top.next < parents.count {
                    stack[stack.count - 1].next += 1
                    let p = parents[top.next]
                    if !done.contains(p) && entered.insert(p).inserted { stack.append((p, 0)) }
                    continue
                }
                stack.removeLast()
                if done.insert(top.id).inserted, let c = commits[top.id] { order.append((top.id, c)) }
            }
        }
        return order
    }

    /// The commit a ref names, through annotated tags (at most 16 deep);
    /// nil when it names a tree or a blob.
    func peelToCommit(_ id: ObjectID) throws -> ObjectID? {
        var current = id
        for _ in 0..<16 {
            let (kind, bytes) = try read(current)
            switch kind {
            case .commit: return current
            case .tag: current = try RawTag(bytes).object
            default: return nil
            }
        }
        return nil
    }
}

/// One entry of a raw tree: where its bytes are and what it names.
struct RawTreeEntry {
    let range: Range<Int>
    let name: ArraySlice<UInt8>
    let id: ObjectID
    let isTree: Bool
}

enum RawTree {
    /// Splits a tree's bytes into entries ("<mode> <name>\0<20-byte id>").
    static func entries(_ b: [UInt8]) throws -> [RawTreeEntry] {
        var out = [RawTreeEntry]()
        var i = 0
        while i < b.count {
            let start = i
            guard let space = b[i...].firstIndex(of: 0x20), let nul = b[space...].firstIndex(of: 0), nul + 21 <= b.count
            else { throw GitError(function: "tree", result: .notFound, message: "a tree object is malformed") }
            // Tree mode is "40000" (git writes no leading zero for trees).
            let isTree = space - start == 5 && b[start] == 0x34
            out.append(
                RawTreeEntry(
                    range: start..<(nul + 21), name: b[(space + 1)..<nul],
                    id: ObjectID(digest: b[(nul + 1)..<(nul + 21)]), isTree: isTree))
            i = nul + 21
        }
        return out
    }
}

/// A commit split into the parts a rewrite touches and the rest.
struct RawCommit {
    var tree: ObjectID
    var parents: [ObjectID]
    /// Header lines after the parents (author, committer, encoding, …),
    /// each with its newline, signatures left out.
    var otherHeaders: [UInt8]
    var message: [UInt8]

    static let treePrefix = Array("tree ".utf8), parentPrefix = Array("parent ".utf8),
        signaturePrefix = Array("gpgsig".utf8)

    init(_ b: [UInt8]) throws {
        let malformed = GitError(function: "commit", result: .notFound, message: "a commit object is malformed")
        var i = 0
        var tree: ObjectID?
        var parents = [ObjectID]()
        var other = [UInt8]()
        var skippingSignature = false
        while i < b.count && b[i] != 0x0A {
            guard let nl = b[i...].firstIndex(of: 0x0A) else { throw malformed }
            let line = b[i..<nl]
            if line.first == 0x20 {
                // A continuation of the previous header (multi-line gpgsig, mergetag).
                if !skippingSignature { other += b[i...nl] }
            } else if line.starts(with: Self.treePrefix) {
                guard let id = ObjectID(hex: String(decoding: line.dropFirst(5), as: UTF8.self)) else {
                    throw malformed
                }
                tree = id
                skippingSignature = false
            } else if line.starts(with: Self.parentPrefix) {
                guard let id = ObjectID(hex: String(decoding: line.dropFirst(7), as: UTF8.self)) else {
                    throw malformed
                }
                parents.append(id)
                skippingSignature = false
            } else if line.starts(with: Self.signaturePrefix) {
                // A signature over the old content would be a false claim about the new one.
                skippingSignature = true
            } else {
                other += b[i...nl]
                skippingSignature = false
            }
            i = nl + 1
        }
        guard let tree else { throw malformed }
        self.tree = tree
        self.parents = parents
        otherHeaders = other
        message = i < b.count ? Array(b[(i + 1)...]) : []
    }

    var bytes: [UInt8] {
        var out = Array("tree \(tree.hex)\n".utf8)
        for p in parents { out += Array("parent \(p.hex)\n".utf8) }
        out += otherHeaders
        out.append(0x0A)
        out += message
        return out
    }
}

/// An annotated tag: the object it points at and everything else as it was.
struct RawTag {
    var object: ObjectID
    var type: String
    var rest: [UInt8]

    init(_ b: [UInt8]) throws {
        let malformed = GitError(function: "tag", result: .notFound, message: "a tag object is malformed")
        guard let nl1 = b.firstIndex(of: 0x0A), b.starts(with: Array("object ".utf8)),
            let id = ObjectID(hex: String(decoding: b[7..<nl1], as: UTF8.self)),
            let nl2 = b[(nl1 + 1)...].firstIndex(of: 0x0A), b[(nl1 + 1)...].starts(with: Array("type ".utf8))
        else { throw malformed }
        object = id
        type = String(decoding: b[(nl1 + 6)..<nl2], as: UTF8.self)
        rest = Array(b[(nl2 + 1)...])
    }

    var bytes: [UInt8] { Array("object \(object.hex)\ntype \(type)\n".utf8) + rest }
}
