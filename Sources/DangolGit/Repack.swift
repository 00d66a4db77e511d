import Foundation
internal import CLibgit2

/// What packing the loose objects did.
public struct RepackReport: Sendable {
    public var objectsPacked: Int
    public var looseRemoved: Int
    /// Packs merged into one (`mergePacks`); 0 when there was one or none.
    public var packsMerged: Int = 0
}

extension Repository {
    /// git's own `gc.auto` threshold: past this many loose objects, pack.
    public static let looseObjectsWorthPacking = 6_700

    /// The number of loose objects, estimated as `git gc --auto` does from
    /// one fan-out directory (objects/17): ids are uniform, so it holds a
    /// 256th of them, and counting one directory costs nothing.
    public func estimatedLooseObjects() -> Int {
        guard let dir = opendir(gitDirectory + "objects/17") else { return 0 }
        defer { closedir(dir) }
        var n = 0
        while let e = readdir(dir) {
            if withUnsafeBytes(of: &e.pointee.d_name, { $0.prefix(39).firstIndex(of: 0) == 38 }) { n += 1 }
        }
        return n * 256
    }

    /// Packs the loose objects if there are enough to be worth it (the rule
    /// every dangol command applies after it returns, in the background);
    /// nil when there were not.
    public func packIfWorthIt(deltas: Bool = true) throws -> RepackReport? {
        estimatedLooseObjects() >= Self.looseObjectsWorthPacking ? try packLooseObjects(deltas: deltas) : nil
    }

    /// Moves every loose object into one new pack, then deletes the loose
    /// files. Why it matters: a vault written one commit at a time holds
    /// five loose files per change, and an erasure must delete the old
    /// versions of tens of thousands of them one by one, which costs more
    /// than everything else it does; from a pack, it copies what it keeps
    /// and deletes one file. Each object is checked against its id before
    /// anything is deleted, and the pack is on disk (fsync'ed, renamed into
    /// place) before the first loose file goes, so a crash at any point
    /// leaves every object readable. The caller holds the vault's write lock.
    ///
    /// A tree is stored as a delta of the version before it at the same
    /// path when that version is in the same pack (`TreeVersions`): each
    /// change rewrites records/, 7 KB of ids in a vault of thousands, and
    /// differs from the version before in one entry. Stored whole, those
    /// trees alone would outweigh the records' ciphertext several times over
    /// in a few years. Commits (hex and base64 text: the access log is one
    /// per entry) are deflated; everything else is stored whole, as the
    /// rewrite stores its objects: records are ciphertext and trees ids,
    /// neither compresses. `deltas: false` stores every object whole and
    /// uncompressed, as dangol packed before format 2 (generators of
    /// format-1 vaults only).
    public func packLooseObjects(deltas: Bool = true) throws -> RepackReport {
        let objects = gitDirectory + "objects/"
        let keys = try looseObjects(objects)
        guard !keys.isEmpty else { return RepackReport(objectsPacked: 0, looseRemoved: 0) }
        let reader = try ObjectReader(self, loose: Set(keys))
        let writer = DeltaPackWriter(repo: self)
        let versions = TreeVersions(reader: reader, writer: writer, objects: objects)
        for key in keys {
            let id = key.objectID
            let object = try reader.read(id)
            switch object.kind {
            case _ where !deltas: try versions.add(id, object.kind, object.bytes)
            case .tree: versions.trees.insert(id)  // below, each after the version before it
            case .commit:
                versions.commits[id] = try RawCommit(object.bytes)
                try versions.add(id, .commit, object.bytes, compress: true)
            default: try versions.add(id, object.kind, object.bytes)
            }
        }
        try versions.addTrees()
        try writer.finish()
        let removed = try Self.unlinkLoose(keys, objects: objects)
        return RepackReport(objectsPacked: keys.count, looseRemoved: removed)
    }

    /// Merges every pack into one: each object once, entries copied as they
    /// are (see rewritePacks). Each erasure and each automatic packing adds
    /// a pack; many packs make every lookup try each. The new pack is
    /// durable before the old ones go. The caller holds the write lock.
    public func mergePacks() throws -> Int {
        let directory = gitDirectory + "objects/pack/"
        let packs = try PackFiles.list(in: directory).map { (files: $0, index: try PackIndex(path: $0.index)) }
        guard packs.count > 1 else { return 0 }
        let r = try rewritePacks(packs, keep: nil, source: try ObjectDatabase(of: self))
        fsyncDirectory(directory)
        for (files, _) in packs where files.name != r.newPack {
            for path in files.allFiles { try removeIfPresent(path) }
        }
        fsyncDirectory(directory)
        let fresh = try ObjectDatabase(freshAt: gitDirectory + "objects/")
        try check(git_repository_set_odb(pointer, fresh.pointer), "git_repository_set_odb")
        return packs.count
    }
}

/// The loose trees of a packing, written commit by commit (parents first)
/// along the paths each commit changed, so that each can be a delta of the
/// version written before it at its path.
final class TreeVersions {
    let reader: ObjectReader
    let writer: DeltaPackWriter
    let objects: String
    var commits = [ObjectID: RawCommit]()
    var trees = Set<ObjectID>()
    private var written = Set<ObjectID>()
    /// The last version written at each path, and its id.
    private var last = [String: (id: ObjectID, base: DeltaPackWriter.Base)]()

    init(reader: ObjectReader, writer: DeltaPackWriter, objects: String) {
        self.reader = reader
        self.writer = writer
        self.objects = objects
    }

    @discardableResult
    func add(_ id: ObjectID, _ kind: ObjectKind, _ bytes: [UInt8], deltaFrom base: DeltaPackWriter.Base? = nil,
             compress: Bool = false) throws -> DeltaPackWriter.Base
    {
        let (stored, next) = try writer.add(kind, bytes, deltaFrom: base, compress: compress)
        guard stored == id else {
            throw ObjectStoreError(path: objects + String(id.hex.prefix(2)) + "/" + id.hex.dropFirst(2),
                                   reason: "a loose object does not hash to its name; nothing was packed or deleted")
        }
        return next
    }

    func addTrees() throws {
        for id in parentsFirst() {
            guard let c = commits[id] else { continue }
            let parentTree = try c.parents.first.map { p in try commits[p]?.tree ?? RawCommit(reader.read(p).bytes).tree }
            try addTree(c.tree, previous: parentTree, path: "")
        }
        // Trees no loose commit reaches (a commit packed already, a rewrite's
        // leftovers): whole.
        for id in trees.subtracting(written) { try add(id, .tree, try reader.read(id).bytes) }
    }

    /// `tree` at `path`, and below it the subtrees that differ from `previous`.
    private func addTree(_ tree: ObjectID, previous: ObjectID?, path: String) throws {
        guard tree != previous, trees.contains(tree), !written.contains(tree) else { return }
        let bytes = try reader.read(tree).bytes
        let before = last[path]
        last[path] = (tree, try add(tree, .tree, bytes, deltaFrom: before?.base))
        written.insert(tree)
        var old = [ArraySlice<UInt8>: ObjectID]()
        if let previous {
            let content = before?.id == previous ? before!.base.content : try reader.read(previous).bytes
            for e in try RawTree.entries(content) where e.isTree { old[e.name] = e.id }
        }
        for e in try RawTree.entries(bytes) where e.isTree {
            try addTree(e.id, previous: old[e.name], path: path + "/" + String(decoding: e.name, as: UTF8.self))
        }
    }

    /// The loose commits, each after its loose parents.
    private func parentsFirst() -> [ObjectID] {
        var order = [ObjectID]()
        var done = Set<ObjectID>()
        for start in commits.keys.sorted(by: { $0.hex < $1.hex }) where !done.contains(start) {
            var stack = [(id: start, expanded: false)]
            while let (id, expanded) = stack.popLast() {
                if done.contains(id) { continue }
                if expanded {
                    done.insert(id)
                    order.append(id)
                    continue
                }
                stack.append((id, true))
                for p in commits[id]?.parents ?? [] where commits[p] != nil && !done.contains(p) {
                    stack.append((p, false))
                }
            }
        }
        return order
    }
}
