import DangolCrypto
import DangolGit
import Foundation

/// The git textconv driver: `git log -p`, `git diff` and `git show` in the
/// vault call `dangol textconv` for record files and show decrypted JSON.
/// git caches nothing (cachetextconv=false), so plaintext goes only down
/// the pipe to git's pager, never into the repository.
public enum Textconv {
    /// The attributes every vault carries (versioned, so clones get them).
    static let gitattributes = "*.rec -text -merge diff=dangol\n*.slot binary\n"

    /// The driver command stored in .git/config (not versioned: it names this
    /// machine's binary). git runs it from the top of the working tree.
    static func command(executable: String) -> String {
        "'\(executable.replacingOccurrences(of: "'", with: "'\\''"))' textconv --vault ."
    }

    /// Decrypted, pretty JSON for a record file, or a one-line placeholder when
    /// no passphrase is at hand or the file does not open: git calls this once
    /// per file version, so it must never prompt or fail loudly.
    public static func render(file bytes: [UInt8], vaultPath: String) -> String {
        guard bytes.count >= RecordFile.headerBytes, Array(bytes.prefix(4)) == RecordFile.magic,
              let id = RecordID(bytes: Array(bytes[8..<RecordFile.headerBytes]))
        else { return "[dangol: \(Catalogue.text("textconv.not_a_record"))]\n" }
        let passphrase: SecureBytes?
        do { passphrase = try Passphrase.fromEnvironment(.unlock) } catch { passphrase = nil }
        // The nonce differs in every version, so two versions' placeholders
        // differ too and git still shows that the record changed.
        let version = hex(bytes[RecordFile.headerBytes..<min(bytes.count, RecordFile.headerBytes + 8)])
        guard let passphrase else {
            return "[dangol: \(Catalogue.text("textconv.locked", ["id": id.hex, "version": version]))]\n"
        }
        do {
            let locked = try LockedVault.open(at: vaultPath)
            locked.maintenance = false
            let vault = try locked.unlock(passphrase: passphrase)
            // Staff see contacts masked here too (Roles.swift).
            return String(decoding: try vault.forEditing(vault.decrypt(bytes, id: id)).encoded(), as: UTF8.self)
        } catch {
            return "[dangol: \(Message("textconv.failed", ["id": id.hex, "version": version], parts: ["detail": .of(error)]))]\n"

        }
    }
}

extension Vault {
    /// Keeps the textconv wiring true: the driver in .git/config names the
    /// binary that is running now, and the committed .gitattributes is current.
    /// Runs on every unlock, so an old vault or a moved binary heals itself.
    public func repairWiring(executable: String? = ProcessIdentity.executablePath) throws {
        if let exe = executable {
            let wanted = Textconv.command(executable: exe)
            if try repo.configString("diff.dangol.textconv") != wanted {
                try repo.setConfig("diff.dangol.textconv", wanted)
            }
            if try repo.configString("diff.dangol.cachetextconv") != "false" {
                try repo.setConfig("diff.dangol.cachetextconv", "false")
            }
        }
        let tree = try repo.commit(try head()).tree
        let current = try repo.entry(at: ".gitattributes", inTree: tree).map { try repo.readBlob($0.id) }
        // Not on a head dangol did not make (the repair would build on it),
        // nor while an erasure waits: its switch needs the branch where it left it.
        if current != Array(Textconv.gitattributes.utf8), integrityProblems.isEmpty {
            guard !pendingErasure, let lock = try? WriteLock(gitDirectory: gitDirectory, timeout: 0) else { return }
            defer { withExtendedLifetime(lock) {} }
            try commitLogged(
                operation: "repair", records: [:], files: [".gitattributes": Array(Textconv.gitattributes.utf8)],
                summary: ChangeSummary(event: .gitAttributesUpdated), expectedHead: try head())
        }
    }
}

public enum ProcessIdentity {
    /// The absolute path of the running binary (from /proc/self/exe).
    public static var executablePath: String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
