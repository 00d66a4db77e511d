import DangolCrypto
import DangolText
import Foundation

/// dangol.json at the vault root: the format and its parameters, and the
/// vault's settings. It never holds personal data, so it stays in clear for
/// any tool (and any person) to read.
public struct VaultMetadata: Codable, Equatable, Sendable {
    public static let fileName = "dangol.json"
    public static let currentFormat = 1

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

    /// The parameters new key slots get (the ones already written keep theirs).
    public var kdfParameters: KDFParameters { KDFParameters(opsLimit: kdf.opslimit, memLimit: kdf.memlimit) }

    public func encoded() throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return Array(try e.encode(self)) + [0x0A]
    }

    public static func decode(_ bytes: [UInt8]) throws -> VaultMetadata {
        let m: VaultMetadata
        do {
            m = try JSONDecoder().decode(VaultMetadata.self, from: Data(bytes))
        } catch {
            throw VaultError.integrity(file: fileName, reason: Message("metadata.unreadable"))
        }
        guard m.format == currentFormat else {
            throw VaultError.integrity(
                file: fileName, reason: Message("metadata.format", ["format": arg(m.format), "reads": arg(currentFormat)]))
        }
        guard m.cipher == "xchacha20poly1305-ietf" else {
            throw VaultError.integrity(file: fileName, reason: Message("metadata.cipher", ["cipher": m.cipher]))

        }
        return m
    }
}
