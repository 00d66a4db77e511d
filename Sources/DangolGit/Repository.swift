import Foundation
internal import CLibgit2

/// An open git repository. It owns its libgit2 handle and frees it in deinit;
/// the raw pointer never leaves this module.
public final class Repository {
    let pointer: OpaquePointer
    /// The working directory, with a trailing slash.
    public let workdir: String

    private init(pointer: OpaquePointer, bare: Bool = false) throws {
        self.pointer = pointer
        if bare && git_repository_is_bare(pointer) == 1 {
            workdir = ""
            return
        }
        guard let wd = git_repository_workdir(pointer) else {
            git_repository_free(pointer)
            throw GitError(function: "git_repository_workdir", result: .notFound,
                           message: "a vault is a non-bare repository; this one is bare")
        }
        workdir = String(cString: wd)
    }

    deinit { git_repository_free(pointer) }

    /// Creates a new non-bare repository whose HEAD names `initialBranch`.
    /// Refuses to re-initialise an existing one.
    public static func create(at path: String, initialBranch: String = "main") throws -> Repository {
        _ = Libgit2.setUp
        var opts = git_repository_init_options()
        try check(git_repository_init_options_init(&opts, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
                  "git_repository_init_options_init")
        opts.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        // Follow the process umask (dangol sets 077), not git's group-shared modes.
        opts.mode = GIT_REPOSITORY_INIT_SHARED_UMASK.rawValue
        var repo: OpaquePointer?
        try initialBranch.withCString { head in
            opts.initial_head = head
            try check(git_repository_init_ext(&repo, path, &opts), "git_repository_init_ext")
        }
        return try Repository(pointer: repo!)
    }

    /// Opens exactly `path`: no search of parent directories and no GIT_DIR or
    /// other git environment variables, which could redirect the vault.
    public static func open(at path: String) throws -> Repository {
        _ = Libgit2.setUp
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                  "git_repository_open_ext")
        return try Repository(pointer: repo!)
    }

    /// Opens a bare repository (a path remote) for the purge after a forced
    /// push. It has no working tree: workdir is empty.
    public static func openBare(at path: String) throws -> Repository {
        _ = Libgit2.setUp
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_BARE.rawValue, nil),
                  "git_repository_open_ext")
        return try Repository(pointer: repo!, bare: true)
    }

    public var gitDirectory: String { String(cString: git_repository_path(pointer)) }

    // MARK: Objects

    public func writeBlob(_ bytes: [UInt8]) throws -> ObjectID {
        var oid = git_oid()
        _ = try bytes.withUnsafeBytes { buf in
            try check(git_blob_create_from_buffer(&oid, pointer, buf.baseAddress, buf.count),
                      "git_blob_create_from_buffer")
        }
        return try confirmWritten(ObjectID(oid), by: "git_blob_create_from_buffer")
    }

    public func readBlob(_ id: ObjectID) throws -> [UInt8] {
        var oid = id.raw
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: raw, count: size))
    }

    // MARK: References

    /// The commit a reference points to, or nil when it does not exist yet.
    public func resolve(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let rc = git_reference_name_to_id(&oid, pointer, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// Moves `name` from `expected` to `new` atomically (libgit2 takes the
    /// ref's lock file and compares under it). Another writer having moved the
    /// ref in between fails with `.modified` or `.exists`, never a lost update.
    public func updateReference(_ name: String, to new: ObjectID, expected: ObjectID?, logMessage: String) throws {
        var target = new.raw
        var ref: OpaquePointer?
        if var old = expected?.raw {
            try check(git_reference_create_matching(&ref, pointer, name, &target, 1, &old, logMessage),
                      "git_reference_create_matching")
        } else {
            try check(git_reference_create(&ref, pointer, name, &target, 0, logMessage), "git_reference_create")
        }
        git_reference_free(ref)
    }

    // MARK: Config

    /// Sets a key in the repository's own config (.git/config).
    public func setConfig(_ key: String, _ value: String) throws {
        var config: OpaquePointer?
        try check(git_repository_config(&config, pointer), "git_repository_config")
        defer { git_config_free(config) }
        try check(git_config_set_string(config, key, value), "git_config_set_string")
    }
}
