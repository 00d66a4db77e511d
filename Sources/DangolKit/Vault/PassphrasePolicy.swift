import DangolCrypto
import DangolText
import Foundation

/// The rules for a new passphrase, after NIST SP 800-63B: long (15 or more
/// characters), not a known-common password, not built from the person's or
/// salon's own words, and no composition rules (which make passphrases
/// weaker, not stronger).
public enum PassphrasePolicy {
    public static let minimumCharacters = 15
    /// What must be left after removing common words, own words, digits and
    /// keyboard runs: a passphrase must have some content of its own.
    static let minimumOwnContent = 8

    static let blocklist: [String] = {
        let text = String(decoding: PackageResources.common_passwords_txt, as: UTF8.self)
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { $0.precomposedStringWithCanonicalMapping }
            // Longest first, so "passphrase" is removed whole rather than as "pass" + "phrase".
            .sorted { $0.count > $1.count }
    }()

    static let keyboardRuns = ["1234567890", "0987654321", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz"]

    /// Throws `.weakPassphrase` with the reason, or returns quietly.
    public static func check(_ passphrase: SecureBytes, ownWords: [String]) throws {
        // The check needs the text; the copy is wiped before returning.
        var bytes = passphrase.copyBytes()
        defer { wipe(&bytes) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw VaultError.weakPassphrase(Message("passphrase.weak.not_utf8"))
        }
        try refuseControlCharacters(text)
        let normal = text.precomposedStringWithCanonicalMapping.lowercased()
        guard normal.count >= minimumCharacters else {
            throw VaultError.weakPassphrase(
                Message("passphrase.weak.short", ["n": arg(normal.count), "minimum": arg(minimumCharacters)]))
        }
        guard Set(normal).count >= 5 else {
            throw VaultError.weakPassphrase(Message("passphrase.weak.repetitive"))
        }
        var rest = String(normal.filter { $0.isLetter || $0.isNumber })
        if blocklist.contains(rest) { throw VaultError.weakPassphrase(Message("passphrase.weak.common")) }
        let own = ownWords.flatMap { $0.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) }
            .map { String($0).precomposedStringWithCanonicalMapping }.filter { $0.count >= 2 }
        for word in own.sorted(by: { $0.count > $1.count }) + blocklist.filter({ $0.count >= 3 }) {
            rest = rest.replacingOccurrences(of: word, with: "")
        }
        for run in keyboardRuns {
            for length in stride(from: run.count, through: 3, by: -1) {
                for start in 0...(run.count - length) {
                    let piece = String(run.dropFirst(start).prefix(length))
                    rest = rest.replacingOccurrences(of: piece, with: "")
                }
            }
        }
        rest = rest.filter { !$0.isNumber }
        if rest.count < minimumOwnContent {
            throw VaultError.weakPassphrase(Message("passphrase.weak.guessable"))

        }
    }
}
