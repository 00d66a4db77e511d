import Foundation
internal import CLibgit2

/// A libgit2 object database handle, owned: freed in deinit.
final class ObjectDatabase {
    let pointer: OpaquePointer

    /// Takes ownership of what a successful libgit2 call returned.
    private init(created pointer: OpaquePointer?, by function: String) throws {
        guard let pointer else {
            throw GitError(function: function, result: .notFound, message: "returned no object database")
        }
        self.pointer = pointer
    }

    deinit { git_odb_free(pointer) }

    /// The repository's own database, shared with its caches.
    convenience init(of repository: Repository) throws {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.pointer), "git_repository_odb")
        try self.init(created: odb, by: "git_repository_odb")
    }

    /// A new database over `objectsDirectory` that has seen nothing before:
    /// no cache and a pack list read now. The remnant scan reads through one
    /// so that nothing libgit2 remembers from before the purge can hide or
    /// fake what is on the disk.
    convenience init(freshAt objectsDirectory: String) throws {
        var odb: OpaquePointer?
        try check(git_odb_open(&odb, objectsDirectory), "git_odb_open")
        try self.init(created: odb, by: "git_odb_open")
    }

    /// Calls `body` with an object's type and bytes; the bytes are valid only inside.
    func read<T>(_ key: ObjectKey, _ body: (git_object_t, UnsafeRawBufferPointer) throws -> T) throws -> T {
        var oid = key.oid
        var obj: OpaquePointer?
        try check(git_odb_read(&obj, pointer, &oid), "git_odb_read")
        defer { git_odb_object_free(obj) }
        let data = UnsafeRawBufferPointer(start: git_odb_object_data(obj), count: git_odb_object_size(obj))
        return try body(git_odb_object_type(obj), data)
    }
}

extension Libgit2 {
    /// Runs `body` with libgit2's re-hash of every object it reads turned off
    /// (it is on by default, and restored after). That hash is SHA-1 with
    /// collision detection, and over a vault's gigabyte of history it costs
    /// more than the reading itself. The purge and the scan can do without:
    /// a damaged object fails zlib's own checksum on inflate, which stops
    /// them, and an object replaced by another valid one under the wrong
    /// name is tampering that git fsck, not a purge, is there to find.
    /// The switch is process-wide: nothing else reads objects meanwhile,
    /// because the purge and the scan run under the vault's write lock.
    static func withoutHashVerification<T>(_ body: () throws -> T) rethrows -> T {
        _ = dangol_git_strict_hash_verification(0)
        defer { _ = dangol_git_strict_hash_verification(1) }
        return try body()
    }
}
