import Foundation
internal import CLibgit2

/// What `scanForRemnants` found. Every hit is a place on the disk where
/// something that was to be erased still exists.
public struct RemnantReport: Sendable {
    /// Stored copies of a sought id (a loose file, an entry in a pack index)
    /// plus occurrences of an id, raw or as hex, in the repository's other
    /// files (index, packed-refs, logs, commit-graph and the like).
    public var idHits: Int
    /// (object, needle) pairs where the object's content contains the
    /// needle, plus occurrences in the other files and the working tree.
    public var byteHits: Int
    /// Distinct objects whose content was read and searched.
    public var objectsScanned: Int
    public var total: Int { idHits + byteHits }
    /// Files outside the object store read raw and searched.
    public var filesScanned: Int = 0
}

extension Repository {
    /// Scans every loose object and every pack (.idx for ids; object contents
    /// inflated for bytes) for any of `ids` and for any of `needles` (byte
    /// strings, e.g. 32-byte slices of old ciphertexts) inside any object's
    /// content. Must be 0 after a correct erasure.
    ///
    /// It reads the disk itself: pack indexes parsed here, loose files read
    /// and inflated here, packed contents through a new object database,
    /// never the open repository's, whose caches could still hold what the
    /// purge deleted.
    /// Besides the object store it reads every other file under .git and the
    /// working tree raw, for the needles and for each id as 20 raw bytes and
    /// as 40 hex digits.
    public func scanForRemnants(ids: Set<ObjectID>, needles: [[UInt8]]) throws -> RemnantReport {
        let objects = gitDirectory + "objects/"
        let targets = ids.map(ObjectKey.init)
        let needles = needles.filter { !$0.isEmpty }
        var report = RemnantReport(idHits: 0, byteHits: 0, objectsScanned: 0)

        let loose = Set(try looseObjects(objects))
        var all = loose
        report.idHits += targets.filter(all.contains).count
        var indexedFiles = Set<String>()
        for files in PackFiles.list(in: objects + "pack/") {
            let index = try PackIndex(path: files.index)
            report.idHits += targets.filter(index.contains).count
            all.formUnion(index.ids)
            indexedFiles.formUnion([files.pack, files.index])
        }

        let list = Array(all)
        report.objectsScanned = list.count
        if !needles.isEmpty {
            report.byteHits += try Libgit2.withoutHashVerification {
                try searchObjects(list, loose: loose, objects: objects, for: needles)
            }
        }

        // Needles first, then each id raw and as hex: an index below
        // needles.count is a needle.
        let raw = NeedleSet(needles + targets.flatMap { [$0.bytes, Array($0.objectID.hex.utf8)] })
        try walkFiles(gitDirectory, skipping: indexedFiles, objects: objects) { path in
            report.filesScanned += 1
            let file = try MappedFile(path: path)
            for i in file.withBytes({ raw.matches(in: $0) }) {
                if i < needles.count { report.byteHits += 1 } else { report.idHits += 1 }
            }
        }
        report.byteHits += try scanWorkingTree(for: NeedleSet(needles), files: &report.filesScanned)
        return report
    }

    /// Searches the inflated content of each object (deltas resolved) on all
    /// cores, each worker with its own reader (and fresh object database for
    /// packed objects) so that they do not queue on one database's locks.
    private func searchObjects(_ list: [ObjectKey], loose: Set<ObjectKey>, objects: String,
                               for needles: [[UInt8]]) throws -> Int {
        let needles = NeedleSet(needles)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, list.count / 256 + 1))
        let results = PerWorker<Int>(workers, 0)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            do {
                let reader = try ObjectStoreReader(objects: objects, loose: loose, verify: false)
                var hits = 0
                for i in stride(from: w, to: list.count, by: workers) {
                    hits += try reader.read(list[i]) { _, data in needles.count(in: data) }
                }
                results.set(w, hits)
            } catch {
                results.fail(error)
            }
        }
        return try results.all().reduce(0, +)
    }

    /// Calls `body` with every regular file under `root`, except the object
    /// store's loose objects and the packs in `skipping`, which the caller
    /// reads as objects. Fan-out directories are still listed, so that a
    /// stray temporary object file there is read raw.
    private func walkFiles(_ root: String, skipping: Set<String>, objects: String,
                           _ body: (String) throws -> Void) throws {
        guard let dir = opendir(root) else { throw FileError.last(path: root) }
        defer { closedir(dir) }
        let inFanout = root.hasPrefix(objects) && root.count == objects.count + 2
        var entries = [(String, Bool)]()
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: &e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            // Decided on the name alone: a stat of each of 60,000 loose
            // objects would cost more than the rest of this walk.
            if inFanout && name.utf8.count == 38 && name.utf8.allSatisfy({ hexValue($0) != nil }) { continue }
            let path = root.hasSuffix("/") ? root + name : root + "/" + name
            if skipping.contains(path) { continue }
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            guard isDir || (st.st_mode & S_IFMT) == S_IFREG else { continue }
            entries.append((path, isDir))
        }
        for (path, isDir) in entries {
            if isDir { try walkFiles(path, skipping: skipping, objects: objects, body) } else { try body(path) }
        }
    }
}

extension Repository {
    /// Needle hits in the files of the working tree (outside .git): a record
    /// file a rewrite failed to remove from it is as much a remnant as an object.
    fileprivate func scanWorkingTree(for needles: NeedleSet, files: inout Int) throws -> Int {
        guard !needles.isEmpty else { return 0 }
        var hits = 0
        let gitDir = String(gitDirectory.dropLast())
        guard let walker = FileManager.default.enumerator(atPath: workdir) else { return 0 }
        for case let rel as String in walker {
            let path = workdir + rel
            if path == gitDir || path.hasPrefix(gitDir + "/") {
                walker.skipDescendants()
                continue
            }
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            files += 1
            let file = try MappedFile(path: path)
            hits += file.withBytes { needles.count(in: $0) }
        }
        return hits
    }
}
