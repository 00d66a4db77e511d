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
        var packs = [(PackFiles, PackIndex)]()
        for files in PackFiles.list(in: objects + "pack/") {
            let index = try PackIndex(path: files.index)
            report.idHits += targets.filter(index.contains).count
            all.formUnion(index.ids)
            indexedFiles.formUnion([files.pack, files.index])
            packs.append((files, index))
        }
        report.objectsScanned = all.count
        let needleSet = NeedleSet(needles)
        if !needles.isEmpty {
            report.byteHits += try Libgit2.withoutHashVerification {
                try searchObjects(Array(loose), loose: loose, objects: objects, for: needleSet)
            }
            for (files, index) in packs {
                report.byteHits += try searchPack(files, index: index, objects: objects, for: needleSet)
            }
        }

        // Needles first, then each id raw and as hex: an index below
        // needles.count is a needle.
        let raw = NeedleSet(needles + targets.flatMap { [$0.bytes, Array($0.objectID.hex.utf8)] })
        var inGit = [String](), inWorkdir = [String]()
        try collectFiles(gitDirectory, skipping: indexedFiles, objects: objects, into: &inGit)
        if !workdir.isEmpty {
            try collectFiles(String(workdir.dropLast()), skipping: [String(gitDirectory.dropLast())], objects: objects,
                             into: &inWorkdir)
        }
        report.filesScanned = inGit.count + inWorkdir.count
        // In the working tree only the needles: record files are named by
        // record ids, not object ids.
        let hits = try searchFiles(inGit.map { ($0, true) } + inWorkdir.map { ($0, false) }) { inGit, bytes in
            guard inGit else { return (0, needles.isEmpty ? 0 : needleSet.count(in: bytes)) }
            var ids = 0, bytesFound = 0
            for i in raw.matches(in: bytes) {
                if i < needles.count { bytesFound += 1 } else { ids += 1 }
            }
            return (ids, bytesFound)
        }
        report.idHits += hits.ids
        report.byteHits += hits.bytes
        return report
    }

    /// Searches the inflated content of each object (deltas resolved) on all
    /// cores, each worker with its own reader (and fresh object database for
    /// packed objects) so that they do not queue on one database's locks.
    private func searchObjects(_ list: [ObjectKey], loose: Set<ObjectKey>, objects: String,
                               for needles: NeedleSet) throws -> Int {
        guard !list.isEmpty else { return 0 }
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

    /// Searches one pack's entries where they lie, on all cores. An entry
    /// that is one stored deflate block (every encrypted record, and every
    /// whole object dangol writes) is searched in place; any other whole
    /// entry is inflated first. A delta whose chain ends in a blob is read
    /// resolved, through a fresh object database; a delta of a tree, commit
    /// or tag is searched as its inflated delta data, the bytes it adds to
    /// its base (its base, an entry too, is searched on its own). Ciphertext
    /// is only ever stored in blobs; the other objects are searched as a
    /// second line.
    private func searchPack(_ files: PackFiles, index: PackIndex, objects: String,
                            for needles: NeedleSet) throws -> Int {
        let mapped = try MappedFile(path: files.pack)
        return try mapped.withBytes { buf in
            let entries = try PackEntries(buf, index: index, path: files.pack)
            let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, entries.count / 256 + 1))
            let results = PerWorker<Int>(workers, 0)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                do {
                    let reader = try ObjectStoreReader(objects: objects, loose: [], verify: false)
                    var hits = 0
                    for k in stride(from: w, to: entries.count, by: workers) {
                        let h = entries.headers[k]
                        let data = UnsafeRawBufferPointer(
                            rebasing: buf[(entries.starts[k] + h.dataStart)..<entries.ends[k]])
                        let kind = entries.objectType(k)
                        if entries.isDelta(k) && (kind == nil || kind == .blob) {
                            hits += try reader.read(index.ids[entries.order[k]]) { _, d in needles.count(in: d) }
                        } else if !entries.isDelta(k), let raw = storedContent(data, size: h.size) {
                            hits += needles.count(in: raw)
                        } else {
                            let content = try reader.inflate(data) { why in
                                ObjectStoreError(path: files.pack, reason: "entry at \(entries.starts[k]): \(why)")
                            }
                            hits += needles.count(in: content)
                        }
                    }
                    results.set(w, hits)
                } catch {
                    results.fail(error)
                }
            }
            return try results.all().reduce(0, +)
        }
    }

    /// Every regular file under `root` (symbolic links are not followed),
    /// except the object store's loose objects and the paths in `skipping`
    /// (the packs the caller reads as objects; the working tree's .git).
    /// Fan-out directories are still listed, so that a stray temporary
    /// object file there is read raw.
    private func collectFiles(_ root: String, skipping: Set<String>, objects: String,
                              into files: inout [String]) throws {
        guard let dir = opendir(root) else { throw FileError.last(path: root) }
        defer { closedir(dir) }
        let inFanout = root.hasPrefix(objects) && root.count == objects.count + 2
        var subdirectories = [String]()
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
            var isDirectory = Int32(e.pointee.d_type) == Int32(DT_DIR)
            var isFile = Int32(e.pointee.d_type) == Int32(DT_REG)
            if Int32(e.pointee.d_type) == Int32(DT_UNKNOWN) {
                // A file system that does not report types: ask it.
                var st = stat()
                guard lstat(path, &st) == 0 else { continue }
                isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
                isFile = (st.st_mode & S_IFMT) == S_IFREG
            }
            if isDirectory { subdirectories.append(path) } else if isFile { files.append(path) }
        }
        for path in subdirectories { try collectFiles(path, skipping: skipping, objects: objects, into: &files) }
    }

    /// Reads each file whole on all cores, into one reused buffer per
    /// worker, and sums what `search` finds in it (ids, bytes).
    private func searchFiles(_ files: [(path: String, inGit: Bool)],
                             _ search: (_ inGit: Bool, UnsafeRawBufferPointer) -> (Int, Int)) throws
        -> (ids: Int, bytes: Int)
    {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count / 64 + 1))
        let results = PerWorker<(Int, Int)>(workers, (0, 0))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let buffer = ByteBuffer()
            var ids = 0, bytes = 0
            for i in stride(from: w, to: files.count, by: workers) {
                let (path, inGit) = files[i]
                let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
                guard fd >= 0 else {
                    // Gone since it was listed (a lock file, say): nothing left to find.
                    if errno == ENOENT { continue }
                    return results.fail(FileError.last(path: path))
                }
                var n = 0
                while true {
                    if n == buffer.count { buffer.grow(keeping: n) }
                    let got = Foundation.read(fd, buffer.base + n, buffer.count - n)
                    if got < 0 && errno == EINTR { continue }
                    if got < 0 {
                        close(fd)
                        return results.fail(FileError.last(path: path))
                    }
                    if got == 0 { break }
                    n += got
                }
                close(fd)
                let found = search(inGit, UnsafeRawBufferPointer(start: buffer.base, count: n))
                ids += found.0
                bytes += found.1
            }
            results.set(w, (ids, bytes))
        }
        return try results.all().reduce((ids: 0, bytes: 0)) { ($0.ids + $1.0, $0.bytes + $1.1) }
    }
}
