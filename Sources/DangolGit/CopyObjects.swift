import Foundation
internal import CLibgit2

extension Repository {
    /// Brings every object of the bare repository at `path` (a backup on a
    /// disk or a NAS path) into this one, and the refs under `prefixes` with
    /// them. A fetch would have the other side build a new pack with
    /// libgit2's pack builder, which searches deltas afresh for every object
    /// (minutes, for a vault of some years); here each of its packs is
    /// streamed as it is through libgit2's indexer, which checks the id of
    /// every object, as a fetch does, and writes the pack's index anew. A
    /// loose object is read there and written here through the object
    /// databases, hashed again. The caller then purges what no ref reaches:
    /// that also proves that every object the refs name arrived.
    public func copyObjects(from path: String, refs prefixes: [String]) throws {
        let source = try Repository.openBare(at: path)
        let objects = source.gitDirectory + "objects/"
        let packDirectory = gitDirectory + "objects/pack/"
        try FileManager.default.createDirectory(atPath: packDirectory, withIntermediateDirectories: true)
        for pack in PackFiles.list(in: objects + "pack/") {
            try index(pack.pack, into: packDirectory)
        }
        let loose = try source.looseObjects(objects)
        if !loose.isEmpty {
            let from = try ObjectDatabase(of: source), to = try ObjectDatabase(of: self)
            for key in loose {
                try from.read(key) { type, data in
                    var written = git_oid()
                    try check(git_odb_write(&written, to.pointer, data.baseAddress, data.count, type), "git_odb_write")
                }
            }
        }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        try check(git_odb_refresh(odb), "git_odb_refresh")
        for r in try source.references() where prefixes.contains(where: { r.name.hasPrefix($0) }) {
            try updateReference(r.name, to: r.target, expected: nil, logMessage: "dangol clone")
        }
    }

    /// One pack through libgit2's indexer, a megabyte at a time.
    private func index(_ packPath: String, into directory: String) throws {
        var indexer: OpaquePointer?
        var opts = git_indexer_options()
        try check(git_indexer_options_init(&opts, UInt32(GIT_INDEXER_OPTIONS_VERSION)), "git_indexer_options_init")
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        try check(git_indexer_new(&indexer, directory, 0o444, odb, &opts), "git_indexer_new")
        defer { git_indexer_free(indexer) }
        let fd = Foundation.open(packPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.last(path: packPath) }
        defer { close(fd) }
        var stats = git_indexer_progress()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.last(path: packPath)
            }
            if n == 0 { break }
            try buffer.withUnsafeBytes { try check(git_indexer_append(indexer, $0.baseAddress, n, &stats), "git_indexer_append") }
        }
        try check(git_indexer_commit(indexer, &stats), "git_indexer_commit")
    }
}
