internal import CLibgit2
import Foundation

/// A remote as .git/config holds it.
public struct RemoteConfig: Sendable, Equatable {
    public let name: String
    public let url: String
}

extension Repository {
    /// Creates an empty bare repository at `path` (a backup target).
    /// An existing repository there is left as it is.
    public static func createBare(at path: String) throws {
        _ = Libgit2.setUp
        var repo: OpaquePointer?
        if git_repository_open_ext(
            &repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue,
            nil) == 0
        {
            git_repository_free(repo)
            return
        }
        // Files that are not a repository are someone else's: never mixed
        // with a backup.
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: path), !existing.isEmpty {
            throw GitError(
                function: "createBare", result: .exists,
                message: "\(path) holds files but no git repository; pick an empty or new directory")
        }
        var opts = git_repository_init_options()
        try check(
            git_repository_init_options_init(&opts, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "git_repository_init_options_init")
        opts.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_BARE.rawValue
        opts.mode = GIT_REPOSITORY_INIT_SHARED_UMASK.rawValue
        // HEAD names the vault's branch, so git clone of the backup checks it out.
        try "main".withCString { head in
            opts.initial_head = head
            try check(git_repository_init_ext(&repo, path, &opts), "git_repository_init_ext(\(path))")
        }
        git_repository_free(repo)
    }

    /// Adds a remote with no fetch refspec: a fetch refspec would make
    /// libgit2 write refs/remotes/NAME/* after a push, and those refs would
    /// keep an erased record's old commits reachable here.
    public func addRemote(name: String, url: String) throws {
        var opts = git_remote_create_options()
        try check(
            git_remote_create_options_init(&opts, UInt32(GIT_REMOTE_CREATE_OPTIONS_VERSION)),
            "git_remote_create_options_init")
        opts.repository = pointer
        opts.name = UnsafePointer(strdup(name))
        defer { free(UnsafeMutablePointer(mutating: opts.name)) }
        opts.flags = GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC.rawValue
        var remote: OpaquePointer?
        try check(git_remote_create_with_opts(&remote, url, &opts), "git_remote_create_with_opts")
        git_remote_free(remote)
    }

    public func remotes() throws -> [RemoteConfig] {
        var names = git_strarray()
        try check(git_remote_list(&names, pointer), "git_remote_list")
        defer { git_strarray_dispose(&names) }
        var out = [RemoteConfig]()
        for i in 0..<names.count {
            guard let cName = names.strings[i] else { continue }
            let name = String(cString: cName)
            var remote: OpaquePointer?
            try check(git_remote_lookup(&remote, pointer, name), "git_remote_lookup")
            defer { git_remote_free(remote) }
            out.append(RemoteConfig(name: name, url: git_remote_url(remote).map { String(cString: $0) } ?? ""))
        }
        return out.sorted { $0.name < $1.name }
    }

    public func removeRemote(name: String) throws {
        try check(git_remote_delete(pointer, name), "git_remote_delete")
    }

    /// Pushes `refspecs` ("+src:dst" forces) to a configured remote. Every
    /// ref the remote refuses is an error; nothing is retried.
    public func push(remote name: String, refspecs: [String], settings: TransportSettings) throws {
        var remote: OpaquePointer?
        try check(git_remote_lookup(&remote, pointer, name), "git_remote_lookup")
        defer { git_remote_free(remote) }
        let url = git_remote_url(remote).map { String(cString: $0) } ?? ""
        let ctx = TransportContext(settings: settings, url: url)
        var opts = git_push_options()
        try check(git_push_options_init(&opts, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
        // Every core builds the pack (0: as many threads as there are).
        opts.pb_parallelism = 0
        ctx.fillCallbacks(&opts.callbacks)
        do {
            try withStrArray(refspecs) { specs in
                try check(git_remote_push(remote, &specs, &opts), "git_remote_push")
            }
        } catch {
            throw ctx.error(error, remote: name)
        }
        if let (ref, status) = ctx.rejected.first { throw RemoteFailure.rejected(ref: ref, status: status) }
    }

    /// Fetches `refspecs` from `url` straight into this repository's refs
    /// (a restore: no remote-tracking refs), tags only as the refspecs say.
    public func fetch(url: String, refspecs: [String], settings: TransportSettings) throws {
        var remote: OpaquePointer?
        try check(git_remote_create_anonymous(&remote, pointer, url), "git_remote_create_anonymous")
        defer { git_remote_free(remote) }
        let ctx = TransportContext(settings: settings, url: url)
        var opts = git_fetch_options()
        try check(git_fetch_options_init(&opts, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
        opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        ctx.fillCallbacks(&opts.callbacks)
        do {
            try withStrArray(refspecs) { specs in
                try check(git_remote_fetch(remote, &specs, &opts, "dangol clone"), "git_remote_fetch")
            }
        } catch {
            throw ctx.error(error, remote: url)
        }
    }

    /// Commits `local` has that `upstream` lacks, and the other way round.
    public func aheadBehind(_ local: ObjectID, _ upstream: ObjectID) throws -> (ahead: Int, behind: Int) {
        var a = 0, b = 0
        var l = local.raw, u = upstream.raw
        try check(git_graph_ahead_behind(&a, &b, pointer, &l, &u), "git_graph_ahead_behind")
        return (a, b)
    }

    /// Whether an object is in the object database.
    public func contains(_ id: ObjectID) throws -> Bool {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var oid = id.raw
        return git_odb_exists(odb, &oid) == 1
    }

    /// Points HEAD at `branch` (after a restore filled the refs).
    public func setHead(_ branch: String) throws {
        try check(git_repository_set_head(pointer, branch), "git_repository_set_head")
    }
}

/// A git_strarray over Swift strings, valid inside `body` only.
func withStrArray<T>(_ strings: [String], _ body: (inout git_strarray) throws -> T) throws -> T {
    var cStrings = strings.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    return try cStrings.withUnsafeMutableBufferPointer { buf in
        var arr = git_strarray(strings: buf.baseAddress, count: buf.count)
        return try body(&arr)
    }
}
