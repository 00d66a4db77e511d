import DangolCrypto

/// A customer's random 128-bit id. It is the only thing about a customer that
/// appears in clear anywhere: in paths, commit messages and the audit log.
public struct RecordID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public init?(hex: String) {
        guard hex.utf8.count == 32, let b = unhex(hex.lowercased()) else { return nil }
        self.bytes = b
    }

    public static func random() -> RecordID { RecordID(bytes: Random.bytes(16))! }

    public var hex: String { DangolCrypto.hex(bytes) }
    public var description: String { hex }
    /// The first 8 characters, for tables; commands accept any unique prefix of 6 or more.
    public var short: String { String(hex.prefix(8)) }

    /// records/ab/cd/<id>.rec: two levels of 256-way fan-out. With 100,000
    /// customers a leaf directory holds one or two files, and a commit writes
    /// the root, records/, two fan-out trees of at most 256 entries, the blob
    /// and the commit (SECURITY.md explains the choice).
    public var path: String {
        let h = hex
        let a = h.prefix(2), b = h.dropFirst(2).prefix(2)
        return "records/\(a)/\(b)/\(h).rec"
    }

    public init?(path: String) {
        let parts = path.split(separator: "/")
        guard parts.count == 4, parts[0] == "records", parts[3].hasSuffix(".rec") else { return nil }
        self.init(hex: String(parts[3].dropLast(4)))
        guard hex.hasPrefix(parts[1] + parts[2]) else { return nil }
    }

    public static func < (a: RecordID, b: RecordID) -> Bool { a.hex < b.hex }
}
