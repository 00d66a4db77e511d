import DangolText
import Foundation

/// Minimal collection: the schema lists what a salon may keep. An owner who
/// needs one more field (say, a referral source) adds it on purpose, as a
/// commit of its own, so the decision is visible in the history.
extension Vault {
    /// The text fields a record may hold beyond the built-in ones. The
    /// `birthday_year` extension widens a built-in field instead of adding one.
    var extraFields: Set<String> { Set(metadata.settings.extraFields ?? []).subtracting([Birthday.yearExtension]) }

    /// The built-in fields and the vault's extension.
    public var schemaFields: (builtIn: [String], extension: [String]) {
        (Schema.topLevel.sorted(), (metadata.settings.extraFields ?? []).sorted())
    }

    /// Adds a text field to this vault's schema.
    public func extendSchema(with field: String) throws {
        try requireOwner(to: Message("role.do.extend_schema"))
        guard Schema.isValidExtensionName(field) else {
            throw VaultError.usage(Message("schema.bad_extension_name", ["field": field]))

        }
        if (metadata.settings.extraFields ?? []).contains(field) { return }
        var meta = metadata
        meta.settings.extraFields = ((meta.settings.extraFields ?? []) + [field]).sorted()
        try commitFiles(operation: "schema", files: [VaultMetadata.fileName: try meta.encoded(key: key)],
                        summary: ChangeSummary(event: .schemaExtended))
    }

    /// A commit of vault files (not records) under the write lock.
    func commitFiles(operation: String, files: [String: [UInt8]?], summary: ChangeSummary) throws {

        let lock = try WriteLock(gitDirectory: gitDirectory, timeout: WriteLock.defaultTimeout)
        defer { withExtendedLifetime(lock) {} }
        try commitLogged(operation: operation, records: [:], files: files, summary: summary, expectedHead: try head())
    }

    /// A file of the vault at the head (a template the owner may have adapted).
    public func vaultFile(_ path: String) throws -> [UInt8]? {
        try repo.entry(at: path, inTree: try repo.commit(try head()).tree).map { try repo.readBlob($0.id) }
    }
}
