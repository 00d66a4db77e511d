import DangolCrypto
import DangolText
import Foundation

/// dangol.json at the vault root: the format and its parameters, and the
/// vault's settings. It never holds personal data, so it stays in clear for
/// any tool (and any person) to read; from format 3 its second line is a
/// MAC under the vault key, so that nobody without the key changes it
/// unseen (a weaker Argon2id cost for new slots, contacts shown to staff).
public struct VaultMetadata: Codable, Equatable, Sendable {
    public static let fileName = "dangol.json"
    /// 3: person slots hold key pairs and dangol.json carries its MAC
    /// (SECURITY.md section 3); the access log on its own ref since 2
    /// (section 4). Formats 1 and 2 are still read, and brought to 3 when a
    /// vault is unlocked, one format at a time (Audit/Migration.swift).
    public static let currentFormat = 3
    static let readableFormats = 1...currentFormat

    public var format: Int
    public var cipher: String
    public var kdf: KDF
    public var recordLayout: String
    public var padding: String
    public var settings: Settings

    public struct KDF: Codable, Equatable, Sendable {
        public var algorithm: String
        public var opslimit: UInt64
        public var memlimit: UInt64
    }

    public struct Settings: Codable, Equatable, Sendable {
        /// Customers inactive this long are listed by `retention`.
        public var retentionDays: Int
        /// Text fields the owner added to the customer schema on purpose.
        public var extraFields: [String]?
        /// Remotes pushed to after every change (their names only).
        public var autoPush: [String]?
        /// Years the access log is kept (at least 2; see Audit/Settings.swift).
        public var auditKeepYears: Int?
        /// Opening hours, "10:00-20:00": access outside them stands out in the review.
        public var openingHours: String?
        /// Whether staff see phone numbers and birthdays in full.
        public var staffSeesContacts: Bool?
        /// The salon's name and how customers reach it, for the privacy
        /// notice and the copies handed to customers (the business's, not a
        /// customer's, details).
        public var salonName: String?
        public var salonContact: String?
        enum CodingKeys: String, CodingKey {
            case retentionDays = "retention_days"
            case extraFields = "extra_fields"
            case autoPush = "auto_push"
            case auditKeepYears = "audit_keep_years"
            case openingHours = "opening_hours"
            case staffSeesContacts = "staff_sees_contacts"
            case salonName = "salon_name"
            case salonContact = "salon_contact"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, cipher, kdf, padding, settings
        case recordLayout = "record_layout"
    }

    public static func new(kdf: KDFParameters) -> VaultMetadata {
        VaultMetadata(
            format: currentFormat, cipher: "xchacha20poly1305-ietf",
            kdf: KDF(algorithm: "argon2id13", opslimit: kdf.opsLimit, memlimit: kdf.memLimit),
            recordLayout: "records/<id[0:2]>/<id[2:4]>/<id>.rec",
            padding: "sodium_pad to power-of-two buckets of at least 512 bytes",
            settings: Settings(retentionDays: 3 * 365, extraFields: nil, autoPush: nil, auditKeepYears: 2,
                               openingHours: "10:00-20:00", staffSeesContacts: false))
    }

    /// The KDF cost the vault was made with (the ones already written keep theirs).
    public var kdfParameters: KDFParameters { KDFParameters(opsLimit: kdf.opslimit, memLimit: kdf.memlimit) }

    /// A vault made with `--kdf-level test`: its slots stay at libsodium's
    /// minimum, and every unlock says so.
    public var isTestVault: Bool { kdfParameters == .level(.test) }

    /// What every new person or recovery slot gets: at least MODERATE,
    /// whatever the file asks, except in a test vault.
    public var slotParameters: KDFParameters {
        isTestVault ? .level(.test) : kdfParameters.atLeast(.level(.moderate))
    }

    /// The file's bytes: the JSON with sorted keys, its second line the MAC
    /// (`  "mac" : "v1.<base64>",`) over the file without that line. A
    /// vault still in format 1 or 2 gets its file as that format wrote it,
    /// without one.
    public func encoded(key: VaultKey) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        let body = Array(try e.encode(self)) + [0x0A]
        guard format >= Self.macFormat else { return body }
        guard let firstLine = body.firstIndex(of: 0x0A) else { throw VaultError.io(Message("settings.not_written")) }
        let tag = MAC.tag(body, key: key, purpose: .settings)
        let line = Array("  \"mac\" : \"\(Self.macPrefix)\(Data(tag).base64EncodedString())\",\n".utf8)
        return Array(body[...firstLine]) + line + Array(body[(firstLine + 1)...])
    }

    static let macPrefix = "v1."
    /// The first format whose file carries the MAC.
    static let macFormat = 3

    /// Whether the file's MAC verifies under `key`: nobody without the key
    /// wrote it. False for a file without one (format 1 and 2).
    public static func verify(_ bytes: [UInt8], key: VaultKey) -> Bool {
        guard let (body, tag) = splitMAC(bytes) else { return false }
        return MAC.verify(tag, body, key: key, purpose: .settings)
    }

    /// The same file with its MAC under `new`, if `old` wrote it.
    static func remac(_ bytes: [UInt8], from old: VaultKey, to new: VaultKey) -> [UInt8]? {
        guard let (body, tag) = splitMAC(bytes), MAC.verify(tag, body, key: old, purpose: .settings),
            let first = body.firstIndex(of: 0x0A)
        else { return nil }
        let line = "  \"mac\" : \"\(macPrefix)\(Data(MAC.tag(body, key: new, purpose: .settings)).base64EncodedString())\",\n"
        return Array(body[...first]) + Array(line.utf8) + Array(body[(first + 1)...])
    }

    /// The file without its MAC line, and the MAC.
    static func splitMAC(_ bytes: [UInt8]) -> (body: [UInt8], tag: [UInt8])? {
        guard let first = bytes.firstIndex(of: 0x0A), let second = bytes[(first + 1)...].firstIndex(of: 0x0A)
        else { return nil }
        let line = String(decoding: bytes[(first + 1)..<second], as: UTF8.self)
        let prefix = "  \"mac\" : \"" + macPrefix
        guard line.hasPrefix(prefix), line.hasSuffix("\","),
            let tag = Data(base64Encoded: String(line.dropFirst(prefix.count).dropLast(2)))
        else { return nil }
        return (Array(bytes[...first]) + Array(bytes[(second + 1)...]), Array(tag))
    }

    public static func decode(_ bytes: [UInt8]) throws -> VaultMetadata {
        let m: VaultMetadata
        do {
            m = try JSONDecoder().decode(VaultMetadata.self, from: Data(bytes))
        } catch {
            throw VaultError.integrity(file: fileName, reason: Message("metadata.unreadable"))
        }
        guard readableFormats.contains(m.format) else {
            throw VaultError.integrity(
                file: fileName, reason: Message("metadata.format", ["format": arg(m.format), "reads": arg(currentFormat)]))
        }
        guard m.cipher == "xchacha20poly1305-ietf" else {
            throw VaultError.integrity(file: fileName, reason: Message("metadata.cipher", ["cipher": m.cipher]))

        }
        return m
    }
}
