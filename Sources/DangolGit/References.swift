internal import CLibgit2
import Foundation

/// One reference moving from `old` to `new` (nil: deleted).
public struct ReferenceUpdate: Sendable, Equatable, Codable {
    public var name: String
    public var old: ObjectID
    public var new: ObjectID?

    public init(name: String, old: ObjectID, new: ObjectID?) {
        self.name = name
        self.old = old
        self.new = new
    }
}

extension ObjectID: Codable {
    public init(from decoder: Decoder) throws {
        let hex = try decoder.singleValueContainer().decode(String.self)
        guard let id = ObjectID(hex: hex) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an object id"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}

extension Repository {
    /// Every direct reference (branches, tags, notes, anything under refs/),
    /// sorted by name. Symbolic references (HEAD) are left out.
    public func references() throws -> [(name: String, target: ObjectID)] {
        var out = [(name: String, target: ObjectID)]()
        try eachReference { name, target in if let target { out.append((name, target)) } }
        return out.sorted { $0.name < $1.name }
    }

    /// Every reference under refs/, loose or packed, with its target when it
    /// is direct (nil for a symbolic one).
    func eachReference(_ body: (_ name: String, _ target: ObjectID?) throws -> Void) throws {
        var iter: OpaquePointer?
        try check(git_reference_iterator_new(&iter, pointer), "git_reference_iterator_new")
        defer { git_reference_iterator_free(iter) }
        var ref: OpaquePointer?
        while true {
            let rc = git_reference_next(&ref, iter)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "git_reference_next")
            defer { git_reference_free(ref) }
            let target = git_reference_type(ref) == GIT_REFERENCE_DIRECT ? git_reference_target(ref).map { ObjectID($0) } : nil
            try body(String(cString: git_reference_name(ref)), target)
        }
    }

    func isHeadDetached() throws -> Bool {
        let rc = git_repository_head_detached(pointer)
        return try check(rc, "git_repository_head_detached") == 1
    }

    /// Moves every reference in `updates` at once.
    ///
    /// Git reads a loose ref before packed-refs, so first every loose ref is
    /// folded into packed-refs at its current value (`git_refdb_compress`:
    /// nothing changes meaning). Then one new packed-refs, written to
    /// packed-refs.lock (git's own lock protocol) and fsync'ed, replaces the
    /// old by rename: the single moment at which all references switch. A
    /// crash before it leaves every ref old, after it every ref new.
    /// Each update's `old` must still hold, else nothing moves.
    public func switchReferences(_ updates: [ReferenceUpdate]) throws {
        var refdb: OpaquePointer?
        try check(git_repository_refdb(&refdb, pointer), "git_repository_refdb")
        defer { git_refdb_free(refdb) }
        try check(git_refdb_compress(refdb), "git_refdb_compress")
        CrashPoint.reached("refs-packed")

        var current: [String: ObjectID?] = Dictionary(
            try references().map { ($0.name, $0.target) },
            uniquingKeysWith: { a, _ in a })
        for u in updates {
            guard let now = current[u.name] ?? nil else {
                if u.new == nil { continue }
                throw GitError(
                    function: "switchReferences", result: .modified,
                    message: "\(u.name) disappeared while the history was rewritten")
            }
            if now == u.new { continue }
            guard now == u.old else {
                throw GitError(
                    function: "switchReferences", result: .modified,
                    message: "\(u.name) moved while the history was rewritten; nothing was changed")
            }
            current[u.name] = u.new
        }
        let reader = try ObjectReader(self)
        var text = "# pack-refs with: peeled fully-peeled sorted \n"
        for (name, target) in current.sorted(by: { $0.key < $1.key }) {
            guard let target else { continue }
            text += "\(target.hex) \(name)\n"
            if let peeled = try peelTag(target, reader) { text += "^\(peeled.hex)\n" }
        }
        // Git's lock protocol: packed-refs.lock, created exclusively (another
        // git process updating refs at the same moment fails, not interleaves).
        let packed = gitDirectory + "packed-refs"
        try writeThenRename(packed + ".lock", to: packed, bytes: Array(text.utf8), exclusive: true, mode: 0o644)
        try syncDirectory(gitDirectory)
        // Loose refs written since the compress (none while dangol holds the
        // write lock) would shadow the new values; make sure none are left.
        for u in updates {
            let loose = gitDirectory + u.name
            if FileManager.default.fileExists(atPath: loose) { unlink(loose) }
        }
    }

    /// The object an annotated tag finally points at, or nil for a non-tag.
    private func peelTag(_ id: ObjectID, _ reader: ObjectReader) throws -> ObjectID? {
        var current = id
        var peeled: ObjectID?
        for _ in 0..<16 {
            let (kind, bytes) = try reader.read(current)
            guard kind == .tag else { return peeled }
            current = try RawTag(bytes).object
            peeled = current
        }
        return peeled
    }
}

/// A test-only way to kill the process at a named step, to prove that a
/// crash anywhere leaves a vault that opens and can finish the job.
/// DANGOL_TEST_CRASH_AT=<step> sends SIGKILL to this process when the step
/// is reached; nothing in normal use sets it.
public enum CrashPoint {
    static let target = ProcessInfo.processInfo.environment["DANGOL_TEST_CRASH_AT"]

    public static func reached(_ step: String) {
        guard let target, target == step else { return }
        kill(getpid(), SIGKILL)
    }
}
