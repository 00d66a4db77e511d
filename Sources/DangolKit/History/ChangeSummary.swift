import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// What a change did, as data and without values: which records, which of
/// their fields and how ("phone changed, visit added"), or what else the
/// change was (the vault created, a setting, an access-log entry). It is
/// sealed into each commit (`Dangol-Summary`, SECURITY.md §4) as compact
/// JSON, version 2, and rendered in the reader's language when `log` or
/// `export` shows it. Version 1 summaries were English text; they are still
/// read (`StoredSummary.text`) and shown as they are.
public struct ChangeSummary: Codable, Equatable, Sendable {
    public static let currentVersion = 2

    /// A change that is not about customer records.
    public enum Event: String, Codable, Sendable {
        case vaultCreated = "vault_created"
        /// The vault moved to a newer format (`about`: the format).
        case formatMigrated = "format_migrated"
        case gitAttributesUpdated = "git_attributes_updated"
        case schemaExtended = "schema_extended"
        case settingsChanged = "settings_changed"
        case autoPushOn = "auto_push_on"
        case autoPushOff = "auto_push_off"
        case personAdded = "person_added"
        case personRemoved = "person_removed"
        case passphraseChanged = "passphrase_changed"
        case newVaultKey = "new_vault_key"
        case accessLog = "access_log"
        case accessLogCarried = "access_log_carried"
        case formatUpgraded = "format_upgraded"
        case keySlotUpgraded = "key_slot_upgraded"
        /// Commits made outside dangol that the owner kept (`accept`).
        case outsideAccepted = "outside_accepted"
        /// Written by a newer dangol: shown as a change this one cannot name.
        case other

        public init(from decoder: Decoder) throws {
            self = Event(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .other
        }
    }

    /// How one field changed.
    public enum Change: String, Codable, Sendable {
        case set, changed, removed
    }

    /// What happened to one record. `id` is the short id (8 hex), as in
    /// the version 1 text, so an erasure finds and removes it the same way.
    public struct Record: Codable, Equatable, Sendable {
        public enum Lifecycle: String, Codable, Sendable { case added, removed }

        public var id: String
        /// Set when the record was created or removed by the change.
        public var customer: Lifecycle?
        /// Field name → how it changed (`visits` when visits were edited
        /// rather than added, `consents` when an answer was recorded).
        public var fields: [String: Change]?
        /// Visits appended after the ones the record had.
        public var visitsAdded: Int?

        enum CodingKeys: String, CodingKey {
            case id, customer, fields
            case visitsAdded = "visits_added"
        }
    }

    /// Many records in one change (an import): counted, not listed.
    public struct Many: Codable, Equatable, Sendable {
        public var changed: Int
        public var added: Int
    }

    public var version = ChangeSummary.currentVersion
    public var event: Event?
    /// The event's own words: an access-log action, setting names, a role.
    /// Names and command words, never personal data.
    public var about: [String]?
    /// The commit a restore brought a record back from (12 hex).
    public var restoredFrom: String?
    public var records: [Record]?
    public var many: Many?
    /// Set when an erasure took out every part this summary had.
    public var erased: Bool?

    enum CodingKeys: String, CodingKey {
        case version = "v"
        case event, about, records, many, erased
        case restoredFrom = "restored_from"
    }

    public init(event: Event? = nil, about: [String]? = nil, restoredFrom: String? = nil, records: [Record]? = nil,
                many: Many? = nil) {
        self.event = event
        self.about = about
        self.restoredFrom = restoredFrom
        self.records = records
        self.many = many
    }

    /// More records than this in one change are counted rather than listed.
    static let listedRecords = 20

    /// The sealed plaintext: compact JSON with sorted keys, so the same
    /// summary always seals the same number of bytes.
    public func encoded() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    /// Sealed under the summaries subkey, bound to the tree it describes
    /// and (from format 2) to the access log's tip the commit follows;
    /// padded to a size bucket except in a vault kept in format 1.
    func seal(tree: ObjectID, after: AuditTip?, key: VaultKey, padded: Bool = true) throws -> [UInt8] {
        try CommitMessage.seal(try encoded(), tree: tree, after: after, key: key, padded: padded)
    }

    /// Takes out the parts about erased records (their short ids), as an
    /// erasure rewrites the commits that mention them.
    func erasing(_ shortIDs: Set<String>) -> ChangeSummary {
        guard let records, records.contains(where: { shortIDs.contains($0.id) }) else { return self }
        var out = self
        let kept = records.filter { !shortIDs.contains($0.id) }
        out.records = kept.isEmpty ? nil : kept
        if kept.isEmpty { out.erased = true }
        return out
    }
}

extension ChangeSummary.Record {
    /// What changed in a record, field by field, without values.
    public init(id: RecordID, old: Customer?, new: Customer?) {
        self.id = id.short
        guard let new else {
            customer = .removed
            return
        }
        guard let old else {
            customer = .added
            return
        }
        var fields = [String: ChangeSummary.Change]()
        func field(_ name: String, _ a: String?, _ b: String?) {
            if a == b { return }
            fields[name] = a == nil ? .set : b == nil ? .removed : .changed
        }
        field("name", old.name, new.name)
        field("phone", old.phone, new.phone)
        field("email", old.email, new.email)
        field("birthday", old.birthday, new.birthday)
        field("note", old.note, new.note)
        if old.allergies != new.allergies { fields["allergies"] = .changed }
        let added = new.visits.count - old.visits.count
        if added > 0 && Array(new.visits.prefix(old.visits.count)) == old.visits {
            visitsAdded = added
        } else if old.visits != new.visits {
            fields["visits"] = .changed
        }
        if old.consents != new.consents { fields["consents"] = .changed }
        for key in Set(old.extra.keys).union(new.extra.keys) { field(key, old.extra[key], new.extra[key]) }
        self.fields = fields.isEmpty ? nil : fields
    }
}

/// A summary as a commit holds it: data (version 2) or, from a commit made
/// before summaries were data, English text.
public enum StoredSummary: Equatable, Sendable {
    case structured(ChangeSummary)
    case text(String)

    /// The opened plaintext: JSON is version 2; anything else is the old text.
    init(opened plaintext: String) {
        if plaintext.hasPrefix("{"),
            let s = try? JSONDecoder().decode(ChangeSummary.self, from: Data(plaintext.utf8))
        {
            self = .structured(s)
        } else {
            self = .text(plaintext)
        }
    }

    public var message: Message {
        switch self {
        case .structured(let s): return s.message
        case .text(let t): return .verbatim(t)
        }
    }

    public func text(_ language: Language) -> String { message.text(language) }

    /// The data, for `--json`; nil for a version 1 text.
    public var structured: ChangeSummary? {
        if case .structured(let s) = self { return s }
        return nil
    }
}
