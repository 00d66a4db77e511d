import DangolText
import Foundation

extension ConsentEvent {
    /// `marketing_sms=yes birthday_coupon=no`, as `dangol consent` and the
    /// shell take them; the purposes' Korean names (문자=예) work too.
    public static func answers(_ words: [String]) throws -> [(purpose: String, granted: Bool)] {
        try words.map { word in
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            let yes = ["yes", "y", "예", "네", "동의"], no = ["no", "n", "아니오", "아니요", "거부"]
            guard parts.count == 2, yes.contains(parts[1].lowercased()) || no.contains(parts[1].lowercased()) else {
                throw VaultError.usage(Catalogue.text("consent.not_answer", ["answer": word]))
            }
            let purpose = Query.koreanPurposes[Hangul.fold(parts[0])] ?? parts[0]
            return (purpose, yes.contains(parts[1].lowercased()))
        }
    }
}

extension Vault {
    /// The fields the vault's schema was extended with (`dangol schema extend`).
    public var extraFieldNames: Set<String> { extraFields }

    /// `phone=010-9999-0000 note=두피 예민` typed on one line in the shell:
    /// a value runs on, spaces included, up to the next `FIELD=`.
    public static func assignments(in line: String, extraFields: Set<String>) throws -> [(field: String, value: String)] {
        var out = [(field: String, value: String)]()
        for word in line.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            if let eq = word.firstIndex(of: "="), case let field = String(word[..<eq]),
               settableFields.contains(field) || extraFields.contains(field) {
                out.append((field, String(word[word.index(after: eq)...])))
            } else if !out.isEmpty {
                out[out.count - 1].value += " " + word
            } else if !word.isEmpty {
                throw VaultError.usage(Catalogue.text("set.not_assignment", ["word": word]))
            }
        }
        guard !out.isEmpty else { throw VaultError.usage(Catalogue.text("set.not_assignment", ["word": line])) }
        return out.map { ($0.field, $0.value.trimmingCharacters(in: .whitespaces)) }
    }
}
