import DangolCrypto
import DangolGit
import DangolText
import Foundation

/// `.git/dangol-erase`: what an erasure in progress has decided, written
/// after its new objects are safely on disk and before any reference moves,
/// so that a process killed at any later moment can be finished by running
/// `dangol erase --resume` (or any `dangol erase`). It holds ids only: the
/// record ids being erased, the old and new targets of the references, the
/// blob ids to verify as gone. The reason, the user's own words, is sealed
/// under the audit subkey, as it will be in the receipt; so are the blob ids,
/// because the remnant scan reads every file under .git and the journal
/// must not be the remnant it finds.
struct ErasureJournal: Codable {
    static let fileName = "dangol-erase"
    static let reasonContext = Array("dangol-erase-reason-v1".utf8)
    static let blobsContext = Array("dangol-erase-blobs-v1".utf8)

    var version = 1
    /// Random; the receipt carries it, so a resumed erasure never writes two.
    var erasure: String
    var started: String
    var records: [String]
    var reason: String
    var references: [ReferenceUpdate]
    var commitsRewritten: Int
    var commitsDropped: Int
    /// The removed blob ids, concatenated raw, sealed, base64.
    var removedBlobs: String
    /// Set once the purge has run (a resumed purge finds less to remove).
    var objectsRemoved: Int?
    /// The access log's ref when the erasure started: a receipt already
    /// written is in one of the commits after it (absent in journals of
    /// format 1, whose whole log is searched).
    var auditCommit: ObjectID?
    /// The branch head a migration to format 2 found while this erasure
    /// waited; it gave both histories their migration commit (Migration.swift).
    var migratedFrom: ObjectID?

    /// The data branch's move.
    var branch: ReferenceUpdate? {
        get { references.first { $0.name == Vault.branch } }
        set {
            guard let newValue, let i = references.firstIndex(where: { $0.name == Vault.branch }) else { return }
            references[i] = newValue
        }
    }

    static func path(_ repo: Repository) -> String { repo.gitDirectory + fileName }

    static func exists(_ repo: Repository) -> Bool { FileManager.default.fileExists(atPath: path(repo)) }

    static func load(_ repo: Repository) throws -> ErasureJournal? {
        guard let data = FileManager.default.contents(atPath: path(repo)) else { return nil }
        do {
            return try JSONDecoder().decode(ErasureJournal.self, from: data)
        } catch {
            throw VaultError.integrity(
                file: ".git/\(fileName)",
                reason: Message("erase.journal_unreadable"))
        }
    }

    func save(_ repo: Repository) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try writeFileAtomically(Self.path(repo), bytes: Array(try encoder.encode(self)))
    }

    /// Removes the journal; a journal that stays (a failing disk) is said:
    /// it would call a finished erasure interrupted and hold back changes.
    static func remove(_ repo: Repository) throws {
        guard unlink(path(repo)) == 0 || errno == ENOENT else { throw FileError(errno, path: path(repo)) }
    }

    static func sealReason(_ reason: String, key: VaultKey) throws -> String {
        let sealed = try Array(reason.utf8).withUnsafeBytes {
            try AEAD.seal($0, ad: reasonContext, key: key.subkey(.audit))
        }
        return Data(sealed).base64EncodedString()
    }

    func openReason(key: VaultKey) throws -> String {
        guard let box = Data(base64Encoded: reason),
            let plain = try? AEAD.open(Array(box), ad: Self.reasonContext, key: key.subkey(.audit))
        else {
            throw VaultError.integrity(
                file: ".git/\(Self.fileName)", reason: Message("erase.journal_reason_sealed"))
        }
        return String(decoding: plain.copyBytes(), as: UTF8.self)
    }

    static func sealBlobs(_ ids: Set<ObjectID>, key: VaultKey) throws -> String {
        let raw = ids.sorted { $0.hex < $1.hex }.flatMap(\.bytes)
        let sealed = try raw.withUnsafeBytes { try AEAD.seal($0, ad: blobsContext, key: key.subkey(.audit)) }
        return Data(sealed).base64EncodedString()
    }

    func blobIDs(key: VaultKey) throws -> Set<ObjectID> {
        guard let box = Data(base64Encoded: removedBlobs),
            let plain = try? AEAD.open(Array(box), ad: Self.blobsContext, key: key.subkey(.audit))
        else {
            throw VaultError.integrity(
                file: ".git/\(Self.fileName)", reason: Message("erase.journal_objects_sealed"))

        }
        let raw = plain.copyBytes()
        return Set(
            stride(from: 0, to: raw.count - raw.count % 20, by: 20).compactMap {
                ObjectID(bytes: Array(raw[$0..<($0 + 20)]))
            })
    }

    var recordIDs: [RecordID] { records.compactMap(RecordID.init(hex:)) }
}
