import Foundation

/// The tree half of the rewrite: each distinct tree on the way to a removed
/// path is cleaned once (memo by path and id), on two cores.
extension HistoryRewriter {
    /// Every commit's cleaned tree. Trees do not depend on parents, so the
    /// commits are split in two runs of consecutive history, cleaned on two
    /// cores (each run keeps its delta chains among neighbours); commits are
    /// then written in order on one.
    func cleanRootTrees(_ trees: [ObjectID]) throws -> [ObjectID?] {
        let lanes = trees.count >= 512 ? min(2, ProcessInfo.processInfo.activeProcessorCount) : 1
        var out = [ObjectID?](repeating: nil, count: trees.count)
        if lanes == 1 {
            for (i, t) in trees.enumerated() { out[i] = try cleanTree(t, root, mainLane) }
            return out
        }
        let workers = try [mainLane] + (1..<lanes).map { _ in Lane(reader: try ObjectReader(repo, loose: loose, packs: packs)) }
        var failure: Error?
        let failureLock = NSLock()
        out.withUnsafeMutableBufferPointer { buffer in
            let results = buffer
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                let range = (trees.count * lane / lanes)..<(trees.count * (lane + 1) / lanes)
                do {
                    for i in range { results[i] = try cleanTree(trees[i], root, workers[lane]) }
                } catch {
                    failureLock.lock()
                    if failure == nil { failure = error }
                    failureLock.unlock()
                }
            }
        }
        if let failure { throw failure }
        return out
    }

    /// The tree `id` at `node`'s path with the removed paths taken out; nil
    /// when nothing is left in it.
    func cleanTree(_ id: ObjectID, _ node: PathNode, _ lane: Lane) throws -> ObjectID? {
        let key = MemoKey(node: node.index, id: id)
        shared.lock()
        let known = memo[key]
        shared.unlock()
        if let known { return known }
        let bytes = try lane.reader.read(id).bytes
        let (count, hits) = try entriesNamed(in: node, bytes, tree: id)
        var out = [UInt8]()
        var changed = false
        var remaining = count
        var copiedUpTo = 0
        for (start, nul, child) in hits {
            let entryID = ObjectID(digest: bytes[(nul + 1)..<(nul + 21)])
            // Tree mode is "40000" (git writes no leading zero for trees).
            let isTree = bytes[start] == 0x34 && bytes[start + 5] == 0x20
            var replacement: ObjectID?
            if child.removed {
                try collectRemoved(entryID, isTree: isTree, lane)
                replacement = nil
            } else if isTree {
                replacement = try cleanTree(entryID, child, lane)
                if replacement == entryID { continue }
            } else {
                continue
            }
            if !changed { out.reserveCapacity(bytes.count) }
            changed = true
            out += bytes[copiedUpTo..<start]
            if let replacement {
                out += bytes[start...nul]
                out += replacement.bytes
            } else {
                remaining -= 1
            }
            copiedUpTo = nul + 21
        }
        let n = bytes.count
        let result: ObjectID?
        if !changed {
            result = id
        } else if remaining == 0 && node !== root {
            result = nil
        } else {
            out += bytes[copiedUpTo..<n]
            let (newID, base) = try pack.add(.tree, out, deltaFrom: lane.lastWritten[node.index])
            lane.lastWritten[node.index] = base
            result = newID
        }
        // Two lanes may clean the same tree at once; both get the same id and
        // the pack keeps one copy.
        shared.lock()
        memo[key] = .some(result)
        shared.unlock()
        return result
    }

    /// Counts a raw tree's entries and finds those named like one of
    /// `node`'s children, as (entry start, index of the NUL after the name,
    /// child). A records/ tree has 256 entries and is read once per commit,
    /// so this runs on raw pointers with memchr rather than on slices.
    private func entriesNamed(in node: PathNode, _ bytes: [UInt8], tree id: ObjectID) throws
        -> (count: Int, hits: [(Int, Int, PathNode)])
    {
        var hits = [(Int, Int, PathNode)]()
        var count = 0
        let ok = bytes.withUnsafeBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress else { return true }
            let n = buf.count
            var i = 0
            while i < n {
                guard let sp = memchr(base + i, 0x20, n - i) else { return false }
                let space = base.distance(to: sp.assumingMemoryBound(to: UInt8.self))
                guard let nl = memchr(base + space, 0, n - space) else { return false }
                let nul = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                guard nul + 21 <= n, space + 1 < nul else { return false }
                count += 1
                if node.firstBytes[Int(base[space + 1])],
                    let child = node.children[
                        Array(UnsafeBufferPointer(start: base + space + 1, count: nul - space - 1))]
                {
                    hits.append((i, nul, child))
                }
                i = nul + 21
            }
            return true
        }
        guard ok else { throw GitError(function: "tree", result: .notFound, message: "tree \(id.hex) is malformed") }
        return (count, hits)
    }

    /// Records every blob under a removed entry: the purge's verification
    /// must find none of them afterwards.
    func collectRemoved(_ id: ObjectID, isTree: Bool, _ lane: Lane) throws {
        shared.lock()
        let first = isTree ? removedTreesSeen.insert(id).inserted : removedBlobs.insert(id).inserted
        shared.unlock()
        guard isTree, first else { return }
        for e in try RawTree.entries(lane.reader.read(id).bytes) { try collectRemoved(e.id, isTree: e.isTree, lane) }
    }
}
