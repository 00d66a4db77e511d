import Foundation
internal import CLibgit2

extension Repository {
    /// Commits reachable from `start`, newest first, following first parents
    /// only (a vault's history is linear). `body` returns false to stop early,
    /// so reading the newest 50 of 100,000 commits touches only those 50.
    public func walkFirstParents(from start: ObjectID, _ body: (ObjectID) throws -> Bool) throws {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_sorting(walk, GIT_SORT_NONE.rawValue), "git_revwalk_sorting")
        try check(git_revwalk_simplify_first_parent(walk), "git_revwalk_simplify_first_parent")
        var oid = start.raw
        try check(git_revwalk_push(walk, &oid), "git_revwalk_push")
        var next = git_oid()
        while true {
            let rc = git_revwalk_next(&next, walk)
            if rc == GIT_ITEROVER.rawValue { return }
            try check(rc, "git_revwalk_next")
            if try !body(ObjectID(next)) { return }
        }
    }

    /// Resolves a revision expression (HEAD~10, a commit id or prefix, a
    /// branch) to a commit id; nil when it names nothing.
    public func resolveRevision(_ spec: String) throws -> ObjectID? {
        var obj: OpaquePointer?
        let rc = git_revparse_single(&obj, pointer, spec)
        if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EAMBIGUOUS.rawValue || rc == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(rc, "git_revparse_single")
        defer { git_object_free(obj) }
        var commit: OpaquePointer?
        let prc = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT)
        if prc == GIT_ENOTFOUND.rawValue || prc == GIT_EINVALIDSPEC.rawValue || prc == GIT_EPEEL.rawValue { return nil }
        try check(prc, "git_object_peel")
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit)!)
    }

    /// Paths of blobs that differ between two trees. Subtrees with the same id
    /// are skipped whole, so the cost follows the size of the change.
    public func changedPaths(from old: ObjectID?, to new: ObjectID?, prefix: String = "") throws -> [String] {
        if old == new { return [] }
        let a = try old.map { try treeEntries($0) } ?? []
        let b = try new.map { try treeEntries($0) } ?? []
        var byName: [String: (old: TreeEntry?, new: TreeEntry?)] = [:]
        for e in a { byName[e.name, default: (nil, nil)].old = e }
        for e in b { byName[e.name, default: (nil, nil)].new = e }
        var out = [String]()
        for (name, pair) in byName.sorted(by: { $0.key < $1.key }) where pair.old?.id != pair.new?.id {
            let path = prefix + name
            let oldTree = pair.old?.kind == .tree ? pair.old?.id : nil
            let newTree = pair.new?.kind == .tree ? pair.new?.id : nil
            if oldTree != nil || newTree != nil {
                out += try changedPaths(from: oldTree, to: newTree, prefix: path + "/")
            }
            if pair.old?.kind == .blob || pair.new?.kind == .blob { out.append(path) }
        }
        return out
    }

    public func configString(_ key: String) throws -> String? {
        var config: OpaquePointer?
        try check(git_repository_config_snapshot(&config, pointer), "git_repository_config_snapshot")
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        let rc = git_config_get_string(&value, config, key)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_config_get_string")
        return value.map { String(cString: $0) }
    }
}

extension Repository {
    /// First-parent commits from `start`, newest first, whose message
    /// contains `needle` or does not contain `marker`. The test runs on
    /// libgit2's own buffer, without building Swift strings, so scanning a
    /// history of 100,000 commits costs little more than reading it.
    public func commits(from start: ObjectID, messageContains needle: String, orLacks marker: String) throws
        -> [ObjectID]
    {
        var out = [ObjectID]()
        try needle.withCString { n in
            try marker.withCString { m in
                try walkFirstParents(from: start) { id in
                    var oid = id.raw
                    var c: OpaquePointer?
                    try check(git_commit_lookup(&c, pointer, &oid), "git_commit_lookup")
                    defer { git_commit_free(c) }
                    if let msg = git_commit_message(c), strstr(msg, n) != nil || strstr(msg, m) == nil {
                        out.append(id)
                    }
                    return true
                }
            }
        }
        return out
    }
}
