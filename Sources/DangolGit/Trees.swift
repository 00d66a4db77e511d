internal import CLibgit2

/// One entry of a tree.
public struct TreeEntry: Sendable {
    public enum Kind: Sendable { case blob, tree, other }
    public let name: String
    public let id: ObjectID
    public let kind: Kind
}

extension Repository {
    /// The entries of a tree, in git's order.
    public func treeEntries(_ id: ObjectID) throws -> [TreeEntry] {
        var oid = id.raw
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(tree) }
        let n = git_tree_entrycount(tree)
        var out = [TreeEntry]()
        out.reserveCapacity(n)
        for i in 0..<n {
            let e = git_tree_entry_byindex(tree, i)
            let kind: TreeEntry.Kind
            switch git_tree_entry_type(e) {
            case GIT_OBJECT_BLOB: kind = .blob
            case GIT_OBJECT_TREE: kind = .tree
            default: kind = .other
            }
            out.append(TreeEntry(name: String(cString: git_tree_entry_name(e)),
                                 id: ObjectID(git_tree_entry_id(e)), kind: kind))
        }
        return out
    }

    /// The object at `path` inside a tree, or nil when there is none.
    public func entry(at path: String, inTree id: ObjectID) throws -> TreeEntry? {
        var oid = id.raw
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, tree, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_tree_entry_bypath")
        defer { git_tree_entry_free(entry) }
        let kind: TreeEntry.Kind = git_tree_entry_type(entry) == GIT_OBJECT_TREE ? .tree : .blob
        return TreeEntry(name: String(cString: git_tree_entry_name(entry)), id: ObjectID(git_tree_entry_id(entry)),
                         kind: kind)
    }

    /// Writes a new tree that is `base` with `changes` applied: a path mapped
    /// to a blob id is added or replaced, a path mapped to nil is removed.
    /// Only the directories on changed paths are rebuilt; every other subtree
    /// is reused by id, which is what keeps a commit in a large vault small.
    public func editTree(base: ObjectID?, changes: [String: ObjectID?]) throws -> ObjectID {
        let split = changes.map { (path, blob) in
            (components: path.split(separator: "/").map(String.init)[...], blob: blob)
        }
        var baseTree: OpaquePointer?
        if var b = base?.raw {
            try check(git_tree_lookup(&baseTree, pointer, &b), "git_tree_lookup")
        }
        defer { git_tree_free(baseTree) }
        return try edit(baseTree, split, allowEmpty: true)!
    }

    private func edit(
        _ base: OpaquePointer?, _ changes: [(components: ArraySlice<String>, blob: ObjectID?)], allowEmpty: Bool
    ) throws -> ObjectID? {
        var builder: OpaquePointer?
        try check(git_treebuilder_new(&builder, pointer, base), "git_treebuilder_new")
        defer { git_treebuilder_free(builder) }
        var byDirectory: [String: [(components: ArraySlice<String>, blob: ObjectID?)]] = [:]
        for change in changes {
            let name = change.components.first!
            if change.components.count == 1 {
                if var blob = change.blob?.raw {
                    try check(git_treebuilder_insert(nil, builder, name, &blob, GIT_FILEMODE_BLOB),
                              "git_treebuilder_insert")
                } else if git_treebuilder_get(builder, name) != nil {
                    // Removing what is not there is no change (libgit2 1.5 calls it an error).
                    try check(git_treebuilder_remove(builder, name), "git_treebuilder_remove")
                }
            } else {
                byDirectory[name, default: []].append((change.components.dropFirst(), change.blob))
            }
        }
        for (name, sub) in byDirectory {
            var subBase: OpaquePointer?
            if let base, let e = git_tree_entry_byname(base, name), git_tree_entry_type(e) == GIT_OBJECT_TREE {
                try check(git_tree_lookup(&subBase, pointer, git_tree_entry_id(e)), "git_tree_lookup")
            }
            defer { git_tree_free(subBase) }
            if var newSub = try edit(subBase, sub, allowEmpty: false)?.raw {
                try check(git_treebuilder_insert(nil, builder, name, &newSub, GIT_FILEMODE_TREE),
                          "git_treebuilder_insert")
            } else if git_treebuilder_get(builder, name) != nil {
                try check(git_treebuilder_remove(builder, name), "git_treebuilder_remove")
            }
        }
        // Git has no empty directories: a directory whose last file went goes too.
        if !allowEmpty && git_treebuilder_entrycount(builder) == 0 { return nil }
        var out = git_oid()
        try check(git_treebuilder_write(&out, builder), "git_treebuilder_write")
        return try confirmWritten(ObjectID(out), by: "git_treebuilder_write")
    }
}
