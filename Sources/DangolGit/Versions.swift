internal import CLibgit2

/// One distinct file version found in history: the blob, the path it was
/// found at, and the oldest commit seen holding it there.
public struct FileVersion: Sendable {
    public let path: String
    public let blob: ObjectID
    public let commit: ObjectID
}

/// An object history names but the object database cannot give back.
public struct MissingObject: Sendable {
    public let path: String
    public let id: ObjectID
    public let commit: ObjectID
    public let message: String
}

extension Repository {
    /// Every commit reachable from the references whose names start with one
    /// of `prefixes` (annotated tags are peeled), oldest first.
    public func commits(reachableFrom prefixes: [String]) throws -> [ObjectID] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(
            git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue),
            "git_revwalk_sorting")
        var pushed = 0
        for ref in try references() where prefixes.contains(where: { ref.name.hasPrefix($0) }) {
            // git_revwalk_push_ref peels tags; a tag of a non-commit is skipped.
            let rc = git_revwalk_push_ref(walk, ref.name)
            if rc == GIT_EINVALIDSPEC.rawValue || rc == GIT_EPEEL.rawValue { continue }
            _ = try check(rc, "git_revwalk_push_ref(\(ref.name))")
            pushed += 1
        }
        guard pushed > 0 else { return [] }
        var out = [ObjectID]()
        var next = git_oid()
        while true {
            let rc = git_revwalk_next(&next, walk)
            if rc == GIT_ITEROVER.rawValue { return out }
            _ = try check(rc, "git_revwalk_next")
            out.append(ObjectID(next))
        }
    }

    /// Each distinct blob under directory `dir` in the trees of `commits`,
    /// with its path. A tree is read once however many commits share it (a
    /// commit changes a handful of trees, so a long history costs in
    /// proportion to its changes). Trees that cannot be read are reported,
    /// not thrown: the rest of the history is still checked.
    public func distinctFiles(under dir: String, in commits: [ObjectID]) throws
        -> (files: [FileVersion], missing: [MissingObject])
    {
        var seenTrees = Set<ObjectID>()
        var seenFiles = Set<String>()
        var files = [FileVersion]()
        var missing = [MissingObject]()
        func visit(_ tree: ObjectID, path: String, commit: ObjectID) {
            guard seenTrees.insert(tree).inserted else { return }
            let entries: [TreeEntry]
            do { entries = try treeEntries(tree) } catch let e as GitError {
                missing.append(MissingObject(path: path, id: tree, commit: commit, message: e.message))
                return
            } catch {
                missing.append(MissingObject(path: path, id: tree, commit: commit, message: "\(error)"))
                return
            }
            for e in entries {
                let p = path + "/" + e.name
                switch e.kind {
                case .tree: visit(e.id, path: p, commit: commit)
                case .blob:
                    // The same blob under two paths is two versions: a record
                    // file is bound to its path's id.
                    if seenFiles.insert(e.id.hex + p).inserted {
                        files.append(FileVersion(path: p, blob: e.id, commit: commit))
                    }
                case .other: continue
                }
            }
        }
        for c in commits {
            let root: ObjectID
            do { root = try commit(c).tree } catch let e as GitError {
                missing.append(MissingObject(path: "", id: c, commit: c, message: e.message))
                continue
            }
            let top: TreeEntry?
            do { top = try entry(at: dir, inTree: root) } catch let e as GitError {
                missing.append(MissingObject(path: "", id: root, commit: c, message: e.message))
                continue
            }
            // A commit before the first record has no such directory.
            if let top, top.kind == .tree { visit(top.id, path: dir, commit: c) }
        }
        return (files, missing)
    }
}

extension Repository {
    /// Every commit the given commits reach, oldest first; ids that are not
    /// commits are skipped.
    public func commits(from tips: [ObjectID]) throws -> [ObjectID] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(
            git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue), "git_revwalk_sorting")
        for tip in tips {
            var oid = tip.raw
            if git_revwalk_push(walk, &oid) != 0 { continue }
        }
        var out = [ObjectID]()
        var next = git_oid()
        while git_revwalk_next(&next, walk) == 0 { out.append(ObjectID(next)) }
        return out
    }

    /// How many commits `start` reaches.
    public func commitCount(from start: ObjectID) throws -> Int {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        var oid = start.raw
        try check(git_revwalk_push(walk, &oid), "git_revwalk_push")
        var n = 0
        var next = git_oid()
        while git_revwalk_next(&next, walk) == 0 { n += 1 }
        return n
    }
}
