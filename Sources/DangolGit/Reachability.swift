import Foundation
internal import CLibgit2

extension Repository {
    /// Ids of every ref's target (all refs under refs/, loose or packed) and
    /// of HEAD. Symbolic refs are skipped: what they name is itself a ref.
    func referenceRoots() throws -> [ObjectKey] {
        var roots = [ObjectKey]()
        try eachReference { _, target in if let target { roots.append(ObjectKey(target)) } }
        var head = git_oid()
        let rc = git_reference_name_to_id(&head, pointer, "HEAD")
        // An unborn or dangling HEAD names no object; a detached one does.
        if rc != GIT_ENOTFOUND.rawValue && rc != GIT_EUNBORNBRANCH.rawValue {
            try check(rc, "git_reference_name_to_id")
            roots.append(ObjectKey(head))
        }
        return roots
    }

    /// Ids named by reflog entries, old and new side. git gc and git fsck
    /// treat them as reachable (fsck fails on a reflog entry whose object is
    /// missing), so the purge keeps them unless `dropHistoryTrails` removed
    /// the reflogs first, which is what an erasure does.
    func reflogRoots() throws -> [ObjectKey] {
        let logs = gitDirectory + "logs"
        guard let walker = FileManager.default.enumerator(atPath: logs) else { return [] }
        var roots = [ObjectKey]()
        for case let rel as String in walker {
            let path = logs + "/" + rel
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            let file = try MappedFile(path: path)
            file.withBytes { buf in
                // Each line: <old hex> SP <new hex> SP <who> ... LF
                var lineStart = 0
                while lineStart + 81 <= buf.count {
                    let ids = [ObjectKey(hexDigits: buf[lineStart..<(lineStart + 40)]),
                               ObjectKey(hexDigits: buf[(lineStart + 41)..<(lineStart + 81)])]
                    for id in ids {
                        if let id, id != ObjectKey.zero { roots.append(id) }
                    }
                    guard let nl = buf[(lineStart)...].firstIndex(of: 0x0a) else { break }
                    lineStart = nl + 1
                }
            }
        }
        return roots
    }

    /// Every object reachable from `roots`: commits through their parents and
    /// trees, trees through their entries, tags through their target. Each
    /// object is read once; blobs are never read, only named. Throws if a
    /// reachable commit, tree or tag is missing or unreadable, which stops
    /// the purge before it deletes anything from a damaged repository.
    ///
    /// Commits are read one after another (each names the next); trees are
    /// then read a level at a time on all cores. A vault's trees are only
    /// four levels deep (root, records/, two fan-out levels), so that is four
    /// rounds, and it is the trees, 40,000 of them for 10,000 commits, that
    /// cost.
    func reachableObjects(from roots: [ObjectKey], into seen: inout Set<ObjectKey>, objects: String,
                          loose: Set<ObjectKey>) throws {
        let packs = try MappedPacks(objects: objects)
        let first = try ObjectStoreReader(objects: objects, loose: loose, packs: packs)
        var trees = [ObjectKey]()
        var stack = roots.filter { !seen.contains($0) }
        while let key = stack.popLast() {
            guard seen.insert(key).inserted else { continue }
            try first.read(key) { type, data in
                guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
                switch type {
                case GIT_OBJECT_COMMIT, GIT_OBJECT_TAG:
                    headerIDs(base, data.count) { id, isTree in
                        if seen.contains(id) { return }
                        if isTree { trees.append(id) } else { stack.append(id) }
                    }
                case GIT_OBJECT_TREE:
                    // A ref or tag naming a tree directly: read with the others.
                    seen.remove(key)
                    trees.append(key)
                default:
                    break
                }
            }
        }

        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var readers = [first]
        while !trees.isEmpty {
            var level = [ObjectKey]()
            for t in trees where seen.insert(t).inserted { level.append(t) }
            trees.removeAll()
            let parts = min(workers, level.count / 64 + 1)
            while readers.count < parts { readers.append(try ObjectStoreReader(objects: objects, loose: loose, packs: packs)) }
            let found = PerWorker<(trees: [ObjectKey], blobs: [ObjectKey])>(parts, ([], []))
            do {
                // Read-only while the workers run; copying it is free until
                // someone writes, and nobody does before they finish.
                let known = seen
                let level = level
                let readers = readers
                DispatchQueue.concurrentPerform(iterations: parts) { w in
                    var subtrees = [ObjectKey](), blobs = [ObjectKey]()
                    // Contiguous slices: neighbours in a level are usually the
                    // same directory in consecutive commits, identical but
                    // for an entry or two.
                    var previous = [UInt8]()
                    do {
                        for i in (level.count * w / parts)..<(level.count * (w + 1) / parts) {
                            try readers[w].read(level[i]) { type, data in
                                guard type == GIT_OBJECT_TREE else {
                                    throw ObjectStoreError(path: level[i].objectID.hex,
                                                           reason: "named as a tree but is not one")
                                }
                                guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
                                try previous.withUnsafeBytes { prev in
                                    try parseTreeEntries(base, data.count, level[i], unchangedFrom: prev) {
                                        id, isTree in
                                        if known.contains(id) { return }
                                        if isTree { subtrees.append(id) } else { blobs.append(id) }
                                    }
                                }
                                previous.removeAll(keepingCapacity: true)
                                previous.append(contentsOf: data)
                            }
                        }
                        found.set(w, (subtrees, blobs))
                    } catch {
                        found.fail(error)
                    }
                }
            }
            for (subtrees, blobs) in try found.all() {
                for b in blobs { seen.insert(b) }
                trees += subtrees
            }
        }
    }
}

extension ObjectKey {
    static let zero = [UInt8](repeating: 0, count: 20).withUnsafeBytes { ObjectKey($0) }
}

/// The ids in a commit's or a tag's header: `tree`, `parent`, `object` lines,
/// up to the blank line that starts the message (which may quote any id and
/// must not count).
private func headerIDs(_ p: UnsafePointer<UInt8>, _ n: Int, _ found: (ObjectKey, _ isTree: Bool) -> Void) {
    var i = 0
    while i < n, p[i] != 0x0a {
        let lineStart = i
        while i < n, p[i] != 0x0a { i += 1 }
        let len = i - lineStart
        let line = p + lineStart
        func starts(_ word: StaticString) -> Bool {
            word.utf8Start.withMemoryRebound(to: UInt8.self, capacity: word.utf8CodeUnitCount) { w in
                len == word.utf8CodeUnitCount + 40 && memcmp(line, w, word.utf8CodeUnitCount) == 0
            }
        }
        if starts("tree ") {
            if let id = ObjectKey(hex: line + 5) { found(id, true) }
        } else if starts("parent ") || starts("object ") {
            if let id = ObjectKey(hex: line + 7) { found(id, false) }
        }
        i += 1
    }
}

/// A tree's entries: `<octal mode> SP <name> NUL <20-byte id>` each. A
/// gitlink (mode 160000) names a commit of another repository and is not
/// followed. An entry whose bytes are the same, at the same offset, in
/// `unchangedFrom` (the tree this worker read just before) was reported
/// then and is skipped: a records/ tree has 256 entries and its next
/// version differs in one, so this saves most of the set lookups.
private func parseTreeEntries(_ p: UnsafePointer<UInt8>, _ n: Int, _ tree: ObjectKey,
                              unchangedFrom previous: UnsafeRawBufferPointer,
                              _ found: (ObjectKey, Bool) throws -> Void) throws {
    var i = 0
    while i < n {
        let entryStart = i
        var mode = 0
        while i < n, p[i] != 0x20 {
            mode = mode * 8 + Int(p[i] &- 0x30)
            i += 1
        }
        while i < n, p[i] != 0 { i += 1 }
        i += 1
        guard i + 20 <= n else {
            throw ObjectStoreError(path: tree.objectID.hex, reason: "tree object is truncated")
        }
        let id = ObjectKey(UnsafeRawPointer(p + i))
        i += 20
        if mode == 0o160000 { continue }
        if i <= previous.count, let prev = previous.baseAddress,
           memcmp(prev + entryStart, p + entryStart, i - entryStart) == 0 {
            continue
        }
        try found(id, mode == 0o040000)
    }
}

/// Results of a concurrentPerform, one slot per worker, and the first error
/// any worker hit.
final class PerWorker<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T]
    private var error: Error?

    init(_ workers: Int, _ initial: T) { slots = [T](repeating: initial, count: workers) }

    func set(_ worker: Int, _ value: T) { lock.lock(); slots[worker] = value; lock.unlock() }
    func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }

    func all() throws -> [T] {
        lock.lock()
        defer { lock.unlock() }
        if let error { throw error }
        return slots
    }
}

/// Hands out 0, 1, 2, ... to threads that share work.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
