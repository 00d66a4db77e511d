/// Korean text helpers for search.
public enum Hangul {
    /// The 19 initial consonants in syllable order: (syllable - 0xAC00) / 588
    /// indexes this list. They are the compatibility letters (U+3131 …), which
    /// is what a keyboard types when someone searches by initials.
    static let initials = Array("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ".unicodeScalars)
    static let initialSet = Set(initials.map(\.value))

    static func isSyllable(_ u: Unicode.Scalar) -> Bool { (0xAC00...0xD7A3).contains(u.value) }
    static func isInitial(_ u: Unicode.Scalar) -> Bool { initialSet.contains(u.value) }

    /// The initial consonant of a syllable, or nil for anything else.
    static func initial(of u: Unicode.Scalar) -> Unicode.Scalar? {
        isSyllable(u) ? initials[Int((u.value - 0xAC00) / 588)] : nil
    }

    /// The initial consonants (초성) of each syllable: 김민지 → ㄱㅁㅈ. Other
    /// characters are kept as they are, so mixed names still line up.
    public static func choseong(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(initial(of: u) ?? u) }
        return String(out)
    }

    /// Whether the text is made only of initial consonants (ㄱ … ㅎ): what a
    /// person types when searching by initials.
    public static func isChoseongQuery(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy(isInitial)
    }

    /// Syllables and initials mixed (김ㅁㅈ, 김민ㅈ): what is on screen while
    /// a name is still being typed.
    static func isPartialName(_ s: String) -> Bool {
        var initial = false, syllable = false
        for u in s.unicodeScalars {
            if isInitial(u) { initial = true } else if isSyllable(u) { syllable = true } else { return false }
        }
        return initial && syllable
    }

    /// Where `pattern` (syllables and initials) lines up with `name`, an
    /// initial standing for any syllable that starts with it: 0 when at the
    /// start, a later offset, or nil.
    static func partialMatch(_ pattern: [Unicode.Scalar], in name: [Unicode.Scalar]) -> Int? {
        guard !pattern.isEmpty, pattern.count <= name.count else { return nil }
        outer: for start in 0...(name.count - pattern.count) {
            for (j, p) in pattern.enumerated() {
                let n = name[start + j]
                if n != p && !(isInitial(p) && initial(of: n) == p) { continue outer }
            }
            return start
        }
        return nil
    }

    /// The form text is compared in: NFC (so Hangul typed on macOS, which is
    /// decomposed, matches what was stored), lower case, and lone leading
    /// jamo (U+1100 …) as the compatibility letters a keyboard sends.
    public static func fold(_ s: String) -> String {
        let nfc = s.precomposedStringWithCanonicalMapping.lowercased()
        guard nfc.unicodeScalars.contains(where: { (0x1100...0x1112).contains($0.value) }) else { return nfc }
        var out = String.UnicodeScalarView()
        for u in nfc.unicodeScalars {
            out.append((0x1100...0x1112).contains(u.value) ? conjoiningToCompatibility[Int(u.value - 0x1100)] : u)
        }
        return String(out)
    }

    /// U+1100 … U+1112 (ᄀ ᄁ ᄂ …) are in the same order as `initials`.
    static let conjoiningToCompatibility = initials
}
