/// Korean text helpers for search.
public enum Hangul {
    static let initials = Array("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ".unicodeScalars)

    /// The initial consonants (초성) of each syllable: 김민지 → ㄱㅁㅈ. Other
    /// characters are kept as they are, so mixed names still line up.
    public static func choseong(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if (0xAC00...0xD7A3).contains(u.value) {
                out.append(initials[Int((u.value - 0xAC00) / 588)])
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// Whether the text is made only of compatibility consonants (ㄱ … ㅎ):
    /// what a person types when searching by initials.
    public static func isChoseongQuery(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { initials.contains($0) }
    }

    /// The form text is compared in: NFC (so macOS's decomposed Hangul
    /// matches), lower case.
    public static func fold(_ s: String) -> String { s.precomposedStringWithCanonicalMapping.lowercased() }
}
