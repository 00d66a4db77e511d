import Foundation
internal import CLibgit2

// The physical half of an erasure: libgit2 has no gc, so this is one. After
// a history rewrite has moved the refs, these make the old objects gone from
// the disk, not merely unreferenced.

/// What `purgeUnreachable` did. Counts are of stored copies: an object that
/// was both loose and packed counts once in each.
public struct PurgeReport: Sendable {
    public var looseRemoved: Int
    public var packedRemoved: Int
    /// Packs replaced by a copy without their unreachable objects (all of
    /// them by one new pack).
    public var packsRewritten: Int
    /// Objects still stored afterwards (all reachable), each stored copy
    /// counted, as `git count-objects` counts them.
    public var objectsKept: Int
    public var objectsRemoved: Int { looseRemoved + packedRemoved }
    /// Packs deleted whole because nothing in them was reachable.
    public var packsDropped: Int = 0
    /// Kept deltas whose base was purged, written whole into the new pack.
    public var deltasResolved: Int = 0
    /// Leftovers of an interrupted earlier purge or git run (temporary packs,
    /// an index without its pack) that were removed first.
    public var leftoversRemoved: Int = 0
}

/// A pack holding unreachable objects is marked .keep. Git writes a .keep
/// while a push or fetch is still receiving that pack (its objects are not
/// yet reachable from any ref), and users add one to protect a pack; deleting
/// its objects could destroy data in flight, and skipping it would leave
/// erased data on the disk, so the purge refuses and names the file.
public struct KeptPackError: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "\(path) marks a pack that holds unreachable objects as kept; if no git push or fetch is running, "
            + "delete that .keep file and run the purge again"
    }
}

/// The points between the purge's steps where an interruption leaves a
/// different state on the disk; the tests stop the purge at each.
enum PurgeStage: CaseIterable {
    /// Everything reachable is known; nothing is deleted yet.
    case marked
    /// commit-graph and multi-pack-index are gone.
    case derivedFilesRemoved
    /// A replacement pack is durable; the pack it replaces is still there.
    /// (Unreachable loose objects are being unlinked meanwhile.)
    case newPackWritten
    /// The replaced pack is deleted.
    case oldPackDeleted
    /// Unreachable loose objects are unlinked, and the file system synced.
    case looseUnlinked
}

extension Repository {
    /// Test hook, called at each stage; a throw aborts the purge there, as a
    /// crash would.
    nonisolated(unsafe) static var purgeReached: ((PurgeStage) throws -> Void)?

    /// Removes every path back to old objects besides the refs themselves:
    /// all reflogs (logs/ dir), ORIG_HEAD, FETCH_HEAD, MERGE_HEAD,
    /// refs/original/*, refs/stash.
    /// Also the other pseudo-refs git leaves behind (CHERRY_PICK_HEAD,
    /// REVERT_HEAD, BISECT_HEAD, AUTO_MERGE), which name commits the same way,
    /// stale packed-refs lines and info/refs. All refs end up in packed-refs.
    public func dropHistoryTrails() throws {
        var doomed = [String]()
        try eachReference { name, _ in
            if name.hasPrefix("refs/original/") || name == "refs/stash" { doomed.append(name) }
        }
        // Through libgit2, so that a ref stored in packed-refs goes as well.
        for name in doomed {
            var r: OpaquePointer?
            let rc = git_reference_lookup(&r, pointer, name)
            if rc == GIT_ENOTFOUND.rawValue { continue }
            try check(rc, "git_reference_lookup")
            defer { git_reference_free(r) }
            try check(git_reference_delete(r), "git_reference_delete")
        }
        // A ref updated after `git gc` packed it is a loose file shadowing a
        // stale packed-refs line that still names the old commit. Packing all
        // refs again rewrites packed-refs with the current values only.
        var refdb: OpaquePointer?
        try check(git_repository_refdb(&refdb, pointer), "git_repository_refdb")
        defer { git_refdb_free(refdb) }
        try check(git_refdb_compress(refdb), "git_refdb_compress")
        let dir = gitDirectory
        // info/refs lists every ref with its id for dumb-http clients; git gc
        // writes it and `git update-server-info` rewrites it when wanted.
        try removeIfPresent(dir + "info/refs")
        for pseudo in ["ORIG_HEAD", "FETCH_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_HEAD",
                       "AUTO_MERGE"] {
            try removeIfPresent(dir + pseudo)
        }
        try removeIfPresent(dir + "logs")
        fsyncDirectory(dir)
    }

    /// Deletes every object not reachable from the refs (every ref under
    /// refs/, and HEAD) — loose objects unlinked, each pack holding an
    /// unreachable object rewritten without it (or dropped if nothing in it is
    /// reachable), then a repository `git fsck --full --strict` accepts.
    ///
    /// Like git gc, two more things count as reachable, because git fsck
    /// fails when what they name is missing: reflog entries (an erasure calls
    /// `dropHistoryTrails` first, so there are none) and the objects the
    /// index file names, entries and cached trees alike (after a rewrite the
    /// vault resets the index to the new HEAD, so these are new objects).
    ///
    /// Order makes it crash-safe: nothing is deleted until every reachable
    /// object is known to exist; a replacement pack is durable before the
    /// pack it replaces is deleted. Interrupted at any point, the repository
    /// is complete, and running the purge again finishes the job. The caller
    /// holds the vault's write lock: a concurrent writer's new objects are
    /// unreachable until its ref moves, and would be purged.
    public func purgeUnreachable() throws -> PurgeReport {
        let objects = gitDirectory + "objects/"
        let packDirectory = objects + "pack/"
        var report = PurgeReport(looseRemoved: 0, packedRemoved: 0, packsRewritten: 0, objectsKept: 0)
        report.leftoversRemoved = try removeInterruptedLeftovers(packDirectory)

        let loose = try looseObjects(objects)
        let looseSet = Set(loose)
        var reachable = Set<ObjectKey>()
        let roots = try referenceRoots() + reflogRoots()
        try Libgit2.withoutHashVerification {
            try reachableObjects(from: roots, into: &reachable, objects: objects, loose: looseSet)
        }

        let packs = try PackFiles.list(in: packDirectory).map { ($0, try PackIndex(path: $0.index)) }
        var candidates = Set(loose.filter { !reachable.contains($0) })
        for (_, index) in packs { candidates.formUnion(index.ids.lazy.filter { !reachable.contains($0) }) }
        let fromIndex = try idsNamedByIndexFile(among: candidates)
        if !fromIndex.isEmpty {
            try Libgit2.withoutHashVerification {
                try reachableObjects(from: fromIndex, into: &reachable, objects: objects, loose: looseSet)
            }
        }

        let affected = packs.filter { _, index in index.ids.contains { !reachable.contains($0) } }
        for (files, _) in affected where FileManager.default.fileExists(atPath: files.keep) {
            throw KeptPackError(path: files.keep)
        }
        let doomedLoose = loose.filter { !reachable.contains($0) }
        try Self.purgeReached?(.marked)
        if !affected.isEmpty || !doomedLoose.isEmpty {
            // Derived files that list object ids, about-to-be-removed commits
            // among them: git fsck verifies them and fails on ids that are
            // gone, and they would keep the erased ids on the disk. They go
            // first, so that no interruption leaves one naming a missing
            // object; git rebuilds them on demand (gc, repack) and works
            // without them.
            for path in [objects + "info/commit-graph", objects + "info/commit-graphs", objects + "info/packs",
                         packDirectory + "multi-pack-index"] {
                try removeIfPresent(path)
            }
            if let names = try? FileManager.default.contentsOfDirectory(atPath: packDirectory) {
                for name in names where name.hasPrefix("multi-pack-index-") {
                    try removeIfPresent(packDirectory + name)
                }
            }
            try Self.purgeReached?(.derivedFilesRemoved)
        }
        // Unreachable loose objects are unlinked on other threads while the
        // packs are rewritten: both only remove what nothing reaches, so
        // neither waits for the other; an unlink waits mostly for the file
        // system. Even a purge stopped halfway finishes its unlinks first.
        let unlinked = PerWorker<Int>(1, 0)
        let unlinking = DispatchGroup()
        DispatchQueue.global().async(group: unlinking) {
            do { unlinked.set(0, try Self.unlinkLoose(doomedLoose, objects: objects)) } catch { unlinked.fail(error) }
        }
        defer { unlinking.wait() }
        var keptInPacks = packs.reduce(0) { $0 + $1.1.ids.count }
        if !affected.isEmpty {
            // Every pack holding an unreachable object is replaced by one new
            // pack of what they keep, one per kind (PackKind: blobs apart, so
            // that an erasure, which leaves few blobs and most trees behind,
            // copies few blobs; and a pack of each kind stays of its kind).
            var written = Set<String>()
            let source = try ObjectDatabase(of: self)
            for group in try PackKind.groups(affected.map { ($0.0, $0.1) }) {
                let r = try Libgit2.withoutHashVerification {
                    try rewritePacks(group, keep: reachable, source: source)
                }
                report.packedRemoved += r.removed + r.duplicates
                keptInPacks -= r.removed + r.duplicates
                report.deltasResolved += r.resolved
                if let name = r.newPack {
                    written.insert(name)
                    report.packsRewritten += group.count
                } else {
                    report.packsDropped += group.count
                }
            }
            fsyncDirectory(objects)
            fsyncDirectory(packDirectory)
            try Self.purgeReached?(.newPackWritten)
            for (files, _) in affected where !written.contains(files.name) {
                for path in files.allFiles { try removeIfPresent(path) }
                try Self.purgeReached?(.oldPackDeleted)
            }
            fsyncDirectory(packDirectory)
        }

        unlinking.wait()
        report.looseRemoved = try unlinked.all()[0]
        try Self.purgeReached?(.looseUnlinked)

        // The open repository still holds the deleted packs open (their
        // blocks stay allocated until closed) and remembers them; a fresh
        // object database drops both.
        let fresh = try ObjectDatabase(freshAt: objects)
        try check(git_repository_set_odb(pointer, fresh.pointer), "git_repository_set_odb")

        // What is stored now, counted per copy as git count-objects does:
        // the reachable loose objects, all of every untouched pack, and
        // what each rewritten pack kept.
        report.objectsKept = loose.reduce(0) { $0 + (reachable.contains($1) ? 1 : 0) } + keptInPacks
        return report
    }

    /// Unlinks loose objects, one fan-out directory per task, each directory
    /// removed if it ends empty (git recreates fan-out directories on
    /// demand), then syncs the file system.
    ///
    /// An erasure that rewrote most of the history unlinks 30,000 files, and
    /// on a virtual disk an unlink of a file long on the disk mostly waits
    /// for the file system's metadata, not the CPU: 16 threads take half the
    /// time of 2 here (1.1 s against 2.4 s for one, as `xargs -P` measures
    /// it too), so this uses more threads than cores on purpose.
    static func unlinkLoose(_ doomed: [ObjectKey], objects: String) throws -> Int {
        var byFanout = [[ObjectKey]](repeating: [], count: 256)
        for key in doomed { byFanout[Int(key.bytes[0])].append(key) }
        let work = (0..<256).filter { !byFanout[$0].isEmpty }
        let lists = byFanout
        guard !work.isEmpty else { return 0 }
        let failures = PerWorker<Int>(1, 0)
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        let next = Counter()
        let group = DispatchGroup()
        let threads = min(16, work.count)
        for _ in 0..<threads {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var name = [CChar](repeating: 0, count: 39)
                while let i = next.take(below: work.count) {
                    let fan = work[i]
                    let dir = objects + String(format: "%02x", fan)
                    let fd = Foundation.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    guard fd >= 0 else { return failures.fail(FileError.last(path: dir)) }
                    defer { close(fd) }
                    for key in lists[fan] {
                        key.bytes.withUnsafeBufferPointer { id in
                            for i in 1..<20 {
                                name[2 * i - 2] = CChar(bitPattern: digits[Int(id[i] >> 4)])
                                name[2 * i - 1] = CChar(bitPattern: digits[Int(id[i] & 15)])
                            }
                        }
                        if unlinkat(fd, name, 0) != 0 && errno != ENOENT {
                            return failures.fail(FileError.last(path: dir + "/" + String(cString: name)))
                        }
                    }
                    rmdir(dir)
                }
            }
            thread.start()
        }
        group.wait()
        _ = try failures.all()
        // The unlinks made durable, so that a power cut cannot bring the
        // objects back: one syncfs commits them all, where an fsync of
        // each of 256 fan-out directories cost a tenth of a second.
        if Libgit2.fsyncEnabled {
            let fd = Foundation.open(objects, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw FileError.last(path: objects) }
            defer { close(fd) }
            guard dangol_syncfs(fd) == 0 else { throw FileError.last(path: objects) }
        }
        return doomed.count
    }

    /// Ids of the loose objects in objects/xx/ (files named by the other 38 hex digits).
    func looseObjects(_ objects: String) throws -> [ObjectKey] {
        var out = [ObjectKey]()
        var name = [UInt8](repeating: 0, count: 40)
        for fan in 0..<256 {
            let prefix = String(format: "%02x", fan)
            guard let dir = opendir(objects + prefix) else { continue }
            defer { closedir(dir) }
            name[0] = Array(prefix.utf8)[0]
            name[1] = Array(prefix.utf8)[1]
            while let entry = readdir(dir) {
                let ok = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> Bool in
                    guard raw.prefix(39).firstIndex(of: 0) == 38 else { return false }
                    for i in 0..<38 { name[i + 2] = raw[i] }
                    return true
                }
                if ok, let key = ObjectKey(hexDigits: name) { out.append(key) }
            }
        }
        return out
    }

    /// The candidates whose raw 20-byte id appears in the index file. Looking
    /// for the bytes rather than parsing covers the entries and every
    /// extension that names objects (cached trees, resolve-undo) in every
    /// index version; a random 20-byte match is not a practical concern.
    private func idsNamedByIndexFile(among candidates: Set<ObjectKey>) throws -> [ObjectKey] {
        let path = gitDirectory + "index"
        guard !candidates.isEmpty, FileManager.default.fileExists(atPath: path) else { return [] }
        let file = try MappedFile(path: path)
        // A bitmap over each candidate's first four bytes answers "no" for
        // almost every offset without hashing 20 bytes: a 100,000-customer
        // vault's index is 10 MB.
        var bitmap = [UInt64](repeating: 0, count: 1 << 14)
        func slot(_ w: UInt32) -> Int { Int((w &* 0x9E37_79B1) >> 12) }
        for key in candidates {
            let s = slot(UInt32(truncatingIfNeeded: key.a))
            bitmap[s >> 6] |= 1 << UInt64(s & 63)
        }
        return file.withBytes { buf in
            var found = Set<ObjectKey>()
            guard buf.count >= 20 else { return [] }
            for i in 0...(buf.count - 20) {
                let s = slot(buf.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                guard bitmap[s >> 6] & (1 << UInt64(s & 63)) != 0 else { continue }
                let key = ObjectKey(buf, at: i)
                if candidates.contains(key) { found.insert(key) }
            }
            return Array(found)
        }
    }

    /// Files an interrupted purge, libgit2 indexer or git command leaves in
    /// the pack directory: temporary packs and indexes, a lock, an index
    /// whose pack is gone or a pack whose index is gone. Git uses none of
    /// them, and they may hold objects that were meant to be erased.
    private func removeInterruptedLeftovers(_ packDirectory: String) throws -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: packDirectory) else { return 0 }
        let set = Set(names)
        var removed = 0
        for name in names {
            let orphan: Bool
            if name.hasSuffix(".pack") {
                orphan = !set.contains(name.dropLast(5) + ".idx")
            } else if name.hasSuffix(".idx") {
                orphan = !set.contains(name.dropLast(4) + ".pack")
            } else {
                orphan = false
            }
            let temporary = name.hasPrefix("pack_git2_") || name.hasPrefix("tmp_pack_") || name.hasPrefix("tmp_idx_")
                || name.hasPrefix("tmp_rev_") || name.hasSuffix(".lock")
            if orphan || temporary {
                try removeIfPresent(packDirectory + name)
                removed += 1
            }
        }
        return removed
    }
}

/// Deletes a file or a directory tree; a path already gone is fine.
func removeIfPresent(_ path: String) throws {
    var st = stat()
    guard lstat(path, &st) == 0 else {
        if errno == ENOENT { return }
        throw FileError.last(path: path)
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        try FileManager.default.removeItem(atPath: path)
    } else if unlink(path) != 0 && errno != ENOENT {
        throw FileError.last(path: path)
    }
}

/// Makes a directory's entries (new names, removals) durable. Skipped when
/// the process turned fsync off (the benchmark generator only).
func fsyncDirectory(_ path: String) {
    guard Libgit2.fsyncEnabled else { return }
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
}
