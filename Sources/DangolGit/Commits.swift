import Foundation
internal import CLibgit2

/// What dangol reads back from a commit.
public struct CommitInfo: Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    public let authorName: String
    public let authorEmail: String
    public let time: Date
    public let timeZoneOffsetMinutes: Int
    public let message: String
}

extension Repository {
    /// Writes a commit object; it does not move any reference (see
    /// `updateReference`, which does that atomically afterwards).
    /// `time` is now unless given (a generated history for benchmarks).
    public func createCommit(tree: ObjectID, parents: [ObjectID], authorName: String, authorEmail: String,
                             message: String, time: Date? = nil) throws -> ObjectID {
        var sig: UnsafeMutablePointer<git_signature>?
        if let time {
            try check(git_signature_new(&sig, authorName, authorEmail, git_time_t(time.timeIntervalSince1970), 0),
                      "git_signature_new")
        } else {
            try check(git_signature_now(&sig, authorName, authorEmail), "git_signature_now")
        }
        defer { git_signature_free(sig) }
        var treeOid = tree.raw
        var treeObj: OpaquePointer?
        try check(git_tree_lookup(&treeObj, pointer, &treeOid), "git_tree_lookup")
        defer { git_tree_free(treeObj) }
        var parentObjs: [OpaquePointer?] = []
        defer { parentObjs.forEach { git_commit_free($0) } }
        for p in parents {
            var oid = p.raw
            var c: OpaquePointer?
            try check(git_commit_lookup(&c, pointer, &oid), "git_commit_lookup")
            parentObjs.append(c)
        }
        var out = git_oid()
        _ = try parentObjs.withUnsafeMutableBufferPointer { buf in
            try check(git_commit_create(&out, pointer, nil, sig, sig, nil, message, treeObj, parents.count,
                                        buf.baseAddress), "git_commit_create")
        }
        return try confirmWritten(ObjectID(out), by: "git_commit_create")
    }

    /// libgit2 1.5 can report an object written when the disk refused it:
    /// git_commit_create, git_blob_create_from_buffer and
    /// git_treebuilder_write return 0 and the object is not there (seen with
    /// the fault tests' failing file system). Every new object is looked for
    /// before anything refers to it, so the failure is reported where it
    /// happened rather than as a missing object later.
    func confirmWritten(_ id: ObjectID, by function: String) throws -> ObjectID {
        let cause = errno
        guard try contains(id) else {
            let code = [ENOSPC, EDQUOT, EROFS].contains(cause) ? cause : (diskIsFull() ? ENOSPC : EIO)
            throw GitError(
                function: function, result: .notFound,
                message: "reported success, but object \(id.hex) is not in the object database: a write failed "
                    + "(\(String(cString: strerror(code))))",
                systemError: code)
        }
        return id
    }

    /// Whether the file system of the repository has no room left: errno
    /// no longer says so by the time libgit2 returns (a small object, a
    /// commit on an existing tree, is the first write that fails).
    private func diskIsFull() -> Bool {
        var fs = statvfs()
        guard statvfs(gitDirectory, &fs) == 0 else { return false }
        return UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < 64 * 1024
    }

    public func commit(_ id: ObjectID) throws -> CommitInfo {
        var oid = id.raw
        var c: OpaquePointer?
        try check(git_commit_lookup(&c, pointer, &oid), "git_commit_lookup")
        defer { git_commit_free(c) }
        let author = git_commit_author(c)!.pointee
        var parents = [ObjectID]()
        for i in 0..<git_commit_parentcount(c) {
            parents.append(ObjectID(git_commit_parent_id(c, i)!))
        }
        return CommitInfo(
            id: id, tree: ObjectID(git_commit_tree_id(c)!), parents: parents,
            authorName: String(cString: author.name), authorEmail: String(cString: author.email),
            time: Date(timeIntervalSince1970: TimeInterval(author.when.time)),
            timeZoneOffsetMinutes: Int(author.when.offset),
            message: String(cString: git_commit_message(c)))
    }
}
