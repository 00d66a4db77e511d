/// How many terminal columns text takes: Hangul and other wide East Asian
/// characters take two, combining marks and conjoining jamo none. Tables
/// line up by it and the line editor places its cursor by it.
public enum TextWidth {
    public static func columns(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    public static func columns(_ c: Character) -> Int {
        c.unicodeScalars.reduce(0) { $0 + columns($1) }
    }

    static func columns(_ u: Unicode.Scalar) -> Int {
        switch u.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6:
            return 2
        case 0x0300...0x036F, 0x1160...0x11FF:
            return 0  // combining marks and conjoining jamo continue the previous column
        default:
            return 1
        }
    }
}
