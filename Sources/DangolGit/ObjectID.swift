internal import CLibgit2

/// A git object id (SHA-1), as a value type.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 20 else { return nil }
        self.bytes = bytes
    }

    public init?(hex: String) {
        var oid = git_oid()
        guard hex.utf8.count == 40, git_oid_fromstr(&oid, hex) == 0 else { return nil }
        self.init(oid)
    }

    init(_ oid: git_oid) {
        var o = oid
        bytes = withUnsafeBytes(of: &o.id) { Array($0) }
    }

    init(_ p: UnsafePointer<git_oid>) { self.init(p.pointee) }

    /// Twenty bytes read out of a raw tree or a checksum: the length is the
    /// format's, so there is nothing to fail.
    init(digest: ArraySlice<UInt8>) {
        precondition(digest.count == 20, "an object id is 20 bytes")
        bytes = Array(digest)
    }

    var raw: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { $0.copyBytes(from: bytes) }
        return oid
    }

    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    /// Ids are SHA-1 digests, already uniform: eight of their bytes are a
    /// good hash (the seeded Hasher still mixes them), and hashing all twenty
    /// one by one was a visible part of a history rewrite's time.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine($0.loadUnaligned(as: UInt64.self)) }
    }

    public static func == (a: ObjectID, b: ObjectID) -> Bool { a.bytes == b.bytes }
}
