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
    public func packIfWorthIt(deltas: Bool = true, apart: [String] = []) throws -> RepackReport? {
        estimatedLooseObjects() >= Self.looseObjectsWorthPacking
            ? try packLooseObjects(deltas: deltas, apart: apart) : nil
    }

    /// Moves every loose object into new packs, then deletes the loose
    /// files. Why it matters: a vault written one commit at a time holds
    /// five loose files per change, and an erasure must delete the old
    /// versions of tens of thousands of them one by one, which costs more
    /// than everything else it does; from a pack, it copies what it keeps
    /// and deletes one file. Each object is checked against its id before
    /// anything is deleted, and the packs are on disk (fsync'ed, renamed into
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
    /// uncompressed in one pack, as dangol packed before format 2
    /// (generators of format-1 vaults only).
    ///
    /// Kept apart, each in a pack of its own (`PackKind`): blobs; the commits
    /// of the histories of `apart` (the access log, which no erasure
    /// rewrites); and the rest (the data branch's trees and commits). An
    /// erasure makes nearly all of the last unreachable and some blobs, and
    /// its purge rewrites only the packs that hold an unreachable object: so
    /// it copies a few packs of blobs, not every record and every log entry.
    public func packLooseObjects(deltas: Bool = true, apart: [String] = []) throws -> RepackReport {
        let objects = gitDirectory + "objects/"
        let keys = try looseObjects(objects)
        guard !keys.isEmpty else { return RepackReport(objectsPacked: 0, looseRemoved: 0) }
        let looseSet = Set(keys)
        let reader = try ObjectReader(self, loose: looseSet)
        let writer = DeltaPackWriter(repo: self)
        let blobs = deltas ? DeltaPackWriter(repo: self) : writer
        let history = deltas ? DeltaPackWriter(repo: self) : writer
        let versions = TreeVersions(reader: reader, writer: writer, objects: objects)
        // The loose commits of the histories kept apart, newest first, up to
        // the first that is packed already.
        var apartCommits = Set<ObjectID>()
        for name in apart {
            var next = try resolve(name)
            while let id = next, looseSet.contains(ObjectKey(id)), apartCommits.insert(id).inserted {
                next = try RawCommit(reader.read(id).bytes).parents.first
            }
        }
        for key in keys {
            let id = key.objectID
            let object = try reader.read(id)
            switch object.kind {
            case _ where !deltas: try versions.add(id, object.kind, object.bytes)
            case .tree: versions.trees.insert(id)  // below, each after the version before it
            case .blob: try versions.add(id, .blob, object.bytes, to: blobs)
            case .commit where apartCommits.contains(id):
                try versions.add(id, .commit, object.bytes, compress: true, to: history)
            case .commit:
                versions.commits[id] = try RawCommit(object.bytes)
                try versions.add(id, .commit, object.bytes, compress: true)
            default: try versions.add(id, object.kind, object.bytes)
            }
        }
        try versions.addTrees()
        try writer.finish()
        if deltas {
            try blobs.finish()
            try history.finish()
        }
        let removed = try Self.unlinkLoose(keys, objects: objects)
        return RepackReport(objectsPacked: keys.count, looseRemoved: removed)
    }

    /// Merges the packs into one of each kind (`PackKind`): each object
    /// once, entries copied as they are (see rewritePacks). Each erasure and
    /// each automatic packing adds packs; many packs make every lookup try
    /// each. The new packs are durable before the old ones go. The caller
    /// holds the write lock.
    public func mergePacks() throws -> Int {
        let directory = gitDirectory + "objects/pack/"
        let packs = try PackFiles.list(in: directory).map { (files: $0, index: try PackIndex(path: $0.index)) }
        guard packs.count > 1 else { return 0 }
        var merged = 0
        var replaced = [PackFiles]()
        let source = try ObjectDatabase(of: self)
        // An object in packs of two kinds (git's own packs hold everything)
        // is kept once, in the first kind's.
        var taken = Set<ObjectKey>()
        for group in try PackKind.groups(packs) {
            let ids = group.reduce(into: Set<ObjectKey>()) { $0.formUnion($1.index.ids) }
            defer { taken.formUnion(ids) }
            guard group.count > 1 || !ids.isDisjoint(with: taken) else { continue }
            let r = try rewritePacks(group, keep: taken.isEmpty ? nil : ids.subtracting(taken), source: source)
            replaced += group.map(\.files).filter { $0.name != r.newPack }
            merged += group.count
        }
        guard merged > 0 else { return 0 }
        fsyncDirectory(directory)
        for files in replaced {
            for path in files.allFiles { try removeIfPresent(path) }
        }
        fsyncDirectory(directory)
        let fresh = try ObjectDatabase(freshAt: gitDirectory + "objects/")
        try check(git_repository_set_odb(pointer, fresh.pointer), "git_repository_set_odb")
        return merged
    }
}

/// What a pack holds, for keeping packs apart: an erasure's purge rewrites
/// every pack that holds an unreachable object, and should not copy what
/// it does not touch. Told from the entries themselves, so that packs
/// written by git or by an older dangol (all of one kind: mixed) need no
/// marker.
enum PackKind: Hashable {
    /// Blobs only: records' versions (and files of the vault).
    case blobs
    /// Commits only: the access log's history.
    case commits
    case mixed

    static func of(_ pack: (files: PackFiles, index: PackIndex)) throws -> PackKind {
        let file = try MappedFile(path: pack.files.pack)
        return try file.withBytes { buf in
            let entries = try PackEntries(buf, index: pack.index, path: pack.files.pack)
            let types = Set(entries.headers.map(\.type))
            if types == [.blob] { return .blobs }
            if types == [.commit] { return .commits }
            return .mixed
        }
    }

    /// The packs grouped by kind, each group in the order given.
    static func groups(_ packs: [(files: PackFiles, index: PackIndex)]) throws
        -> [[(files: PackFiles, index: PackIndex)]]
    {
        var out = [PackKind: [(files: PackFiles, index: PackIndex)]]()
        for p in packs { out[try of(p), default: []].append(p) }
        return [PackKind.blobs, .commits, .mixed].compactMap { out[$0] }
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
             compress: Bool = false, to pack: DeltaPackWriter? = nil) throws -> DeltaPackWriter.Base
    {
        let (stored, next) = try (pack ?? writer).add(kind, bytes, deltaFrom: base, compress: compress)
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
