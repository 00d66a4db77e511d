internal import CLibgit2

/// git notes name the object they annotate by its id, as the path of the
/// note in the notes commit's tree (whole, or split into fan-out
/// directories "ab/cdef…"). After a rewrite those ids are stale: a note on a
/// rewritten commit moves to the new id, a note on a dropped commit or a
/// removed blob goes.
extension HistoryRewriter {
    func rewriteNotes(_ tip: ObjectID) throws -> ObjectID? {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, repo.pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(
            git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue), "git_revwalk_sorting")
        var oid = tip.raw
        try check(git_revwalk_push(walk, &oid), "git_revwalk_push")
        var next = git_oid()
        var notesFates = [ObjectID: ObjectID]()
        var treeMemo = [ObjectID: ObjectID]()
        while true {
            let rc = git_revwalk_next(&next, walk)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "git_revwalk_next")
            let id = ObjectID(next)
            var raw = try RawCommit(reader.read(id).bytes)
            let tree: ObjectID
            if let t = treeMemo[raw.tree] {
                tree = t
            } else {
                tree = try rekeyNotesTree(raw.tree)
                treeMemo[raw.tree] = tree
            }
            let parents = raw.parents.map { notesFates[$0] ?? $0 }
            if tree == raw.tree && parents == raw.parents {
                notesFates[id] = id
                continue
            }
            raw.tree = tree
            raw.parents = parents
            notesFates[id] = try pack.add(.commit, raw.bytes).id
        }
        return notesFates[tip] ?? tip
    }

    private func rekeyNotesTree(_ id: ObjectID) throws -> ObjectID {
        var notes = [(name: [UInt8], entry: [UInt8])]()
        var changed = false
        try collectNotes(id, prefix: [], into: &notes, changed: &changed)
        if !changed { return id }
        var out = [UInt8]()
        // All entries are now files at the top level: git's order is plain byte order.
        for n in notes.sorted(by: { $0.name.lexicographicallyPrecedes($1.name) }) { out += n.entry }
        return try pack.add(.tree, out).id
    }

    /// Flattens fan-out directories and renames each note to the id its
    /// object has after the rewrite. `changed` says whether anything moved.
    private func collectNotes(
        _ id: ObjectID, prefix: [UInt8], into notes: inout [(name: [UInt8], entry: [UInt8])],
        changed: inout Bool
    ) throws {
        let bytes = try reader.read(id).bytes
        for e in try RawTree.entries(bytes) {
            let name = prefix + e.name
            let mode = Array(bytes[e.range].prefix { $0 != 0x20 })
            if e.isTree && name.count < 40 && e.name.allSatisfy(Self.isHex) {
                // A fan-out directory: only rebuilt (flat) when a note in it moves.
                try collectNotes(e.id, prefix: name, into: &notes, changed: &changed)
                continue
            }
            var finalName = name
            var blob = e.id
            if !e.isTree, let scrubbed = try scrubNote(e.id) {
                blob = scrubbed
                changed = true
            }
            if name.count == 40, let annotated = ObjectID(hex: String(decoding: name, as: UTF8.self)) {
                guard let mapped = try mapAnnotated(annotated) else {
                    changed = true
                    continue
                }
                if mapped != annotated {
                    finalName = Array(mapped.hex.utf8)
                    changed = true
                }
            }
            notes.append((finalName, mode + [0x20] + finalName + [0] + blob.bytes))
        }
    }

    /// A note's text with what `scrub` takes out of it, written as a new
    /// blob; nil when it stays as it is.
    private func scrubNote(_ id: ObjectID) throws -> ObjectID? {
        guard let scrub else { return nil }
        if let known = noteMemo[id] { return known }
        let scrubbed = try scrub(reader.read(id).bytes).map { try pack.add(.blob, $0).id }
        noteMemo[id] = .some(scrubbed)
        return scrubbed
    }

    /// The id a note's object has now; nil when the object is gone.
    private func mapAnnotated(_ id: ObjectID) throws -> ObjectID? {
        switch fates[id] {
        case .kept?: return id
        case .rewritten(let n)?: return n
        // A note about a dropped commit described a change that no longer exists.
        case .dropped?: return nil
        case nil: return removedBlobs.contains(id) ? nil : id
        }
    }

    private static func isHex(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x61...0x66).contains(b) }
}
