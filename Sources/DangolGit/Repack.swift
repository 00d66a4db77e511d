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
    public func packIfWorthIt() throws -> RepackReport? {
        estimatedLooseObjects() >= Self.looseObjectsWorthPacking ? try packLooseObjects() : nil
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
    public func packLooseObjects() throws -> RepackReport {
        let objects = gitDirectory + "objects/"
        let keys = try looseObjects(objects)
        guard !keys.isEmpty else { return RepackReport(objectsPacked: 0, looseRemoved: 0) }
        let reader = try ObjectReader(self, loose: Set(keys))
        let writer = DeltaPackWriter(repo: self)
        for key in keys {
            let id = key.objectID
            let object = try reader.read(id)
            // Trees are mostly ids and records ciphertext: stored whole,
            // uncompressed, as the rewrite stores its objects.
            let written = try writer.add(object.kind, object.bytes).id
            guard written == id else {
                throw ObjectStoreError(path: objects + String(id.hex.prefix(2)) + "/" + id.hex.dropFirst(2),
                                       reason: "a loose object does not hash to its name; nothing was packed or deleted")
            }
        }
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
