import DangolCrypto
import DangolText
import Foundation

/// One passphrase, one key, however the keyboard encoded it: macOS types
/// Hangul decomposed (NFD: ᄀ ᅵ ᆷ), Linux and Windows composed (NFC: 김).
/// Every slot made from now on is made with the NFC form, and unlocking
/// tries the NFC form first and then the bytes as typed, so a slot made
/// before this rule (from NFD bytes) still opens.
extension Passphrase {
    /// The NFC form when it differs from the bytes given, in guarded
    /// memory; nil for ASCII (NFC already, the usual case, and no ordinary
    /// copy is made) or bytes that are not UTF-8. A non-ASCII passphrase
    /// passes through an ordinary String to be normalised, as the strength
    /// check already does; the byte copies are wiped.
    static func composed(_ passphrase: SecureBytes) throws -> SecureBytes? {
        let isASCII = passphrase.withUnsafeBytes { $0.allSatisfy { $0 < 0x80 } }
        if isASCII { return nil }
        var bytes = passphrase.copyBytes()
        defer { wipe(&bytes) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var nfc = Array(text.precomposedStringWithCanonicalMapping.utf8)
        guard nfc != bytes else {
            wipe(&nfc)
            return nil
        }
        return try SecureBytes(consuming: &nfc)
    }

    /// The forms to try on a slot, NFC first, then the bytes as typed.
    static func forms(_ passphrase: SecureBytes) throws -> [SecureBytes] {
        try composed(passphrase).map { [$0, passphrase] } ?? [passphrase]
    }

    /// The form a new slot is made with: NFC.
    static func forNewSlot(_ passphrase: SecureBytes) throws -> SecureBytes {
        try composed(passphrase) ?? passphrase
    }

    /// A new passphrase is one line of text: one that came from a file or
    /// a command holding more than one line is refused, naming the source,
    /// rather than taken as a passphrase nobody could type at a prompt.
    static func refuseLines(_ passphrase: SecureBytes, source: String) throws {
        let lines = passphrase.withUnsafeBytes { $0.contains(0x0A) || $0.contains(0x0D) }
        if lines { throw VaultError.weakPassphrase(Message("passphrase.lines", ["source": source])) }
    }
}

extension PassphrasePolicy {
    /// Control characters (a Tab, an arrow key's escape sequence typed into
    /// the prompt, a line break) cannot be typed the same way twice at
    /// every prompt; a new passphrase with one is refused.
    static func refuseControlCharacters(_ text: String) throws {
        guard let c = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) else { return }
        let name = c.value == 0x0A || c.value == 0x0D ? "passphrase.line_break" : "passphrase.control"
        throw VaultError.weakPassphrase(Message(name, ["code": "U+" + String(format: "%04X", c.value)]))
    }
}
