import Foundation
internal import CLibgit2

/// A libgit2 object database handle, owned: freed in deinit.
final class ObjectDatabase {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_odb_free(pointer) }

    /// The repository's own database, shared with its caches.
    convenience init(of repository: Repository) throws {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.pointer), "git_repository_odb")
        self.init(odb!)
    }

    /// A new database over `objectsDirectory` that has seen nothing before:
    /// no cache and a pack list read now. The remnant scan reads through one
    /// so that nothing libgit2 remembers from before the purge can hide or
    /// fake what is on the disk.
    convenience init(freshAt objectsDirectory: String) throws {
        var odb: OpaquePointer?
        try check(git_odb_open(&odb, objectsDirectory), "git_odb_open")
        self.init(odb!)
    }

    /// A database that writes loose objects only. The purge needs this to put
    /// an object back as a loose file while it still exists in a pack:
    /// git_odb_write on a full database sees the packed copy, only freshens
    /// it and writes nothing, and that copy is about to be deleted.
    convenience init(looseWriterAt objectsDirectory: String) throws {
        var odb: OpaquePointer?
        try check(git_odb_new(&odb), "git_odb_new")
        do {
            var backend: OpaquePointer?
            try check(git_odb_backend_loose(&backend, objectsDirectory, -1, Libgit2.fsyncEnabled ? 1 : 0, 0, 0),
                      "git_odb_backend_loose")
            // The database owns the backend from here and frees it with
            // itself. (add_backend fails only on a version mismatch or out of
            // memory; the backend's free is in libgit2's sys headers, and
            // that leak is not worth importing them.)
            try check(git_odb_add_backend(odb, backend, 1), "git_odb_add_backend")
        } catch {
            git_odb_free(odb)
            throw error
        }
        self.init(odb!)
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

    func write(type: git_object_t, _ data: UnsafeRawBufferPointer) throws -> ObjectKey {
        var oid = git_oid()
        try check(git_odb_write(&oid, pointer, data.baseAddress, data.count, type), "git_odb_write")
        return ObjectKey(oid)
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
    static func withoutHashVerification<T>(_ body: () throws -> T) rethrows -> T {
        _ = dangol_git_strict_hash_verification(0)
        defer { _ = dangol_git_strict_hash_verification(1) }
        return try body()
    }
}
