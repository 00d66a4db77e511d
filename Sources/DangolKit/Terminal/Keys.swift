/// A key as the line editor understands it, decoded from the bytes a
/// terminal sends in raw mode (UTF-8 text, control characters, and the
/// escape sequences of xterm, the Linux console and their relatives).
public enum Key: Equatable, Sendable {
    case text(String)
    case enter
    case backspace
    case delete
    case left, right, home, end
    case wordLeft, wordRight
    case up, down
    case killToStart, killToEnd, killWordBack
    /// Ctrl-D: the end of input on an empty line, else delete forward.
    case endOfInput
    /// Ctrl-C.
    case interrupt
    case clearScreen
    /// A key the editor has no use for (Tab, F-keys, a lone Escape).
    case ignored

    /// The next key from `next`, or nil when the input has ended.
    public static func read(_ next: () -> UInt8?) -> Key? {
        guard let b = next() else { return nil }
        switch b {
        case 0x0D, 0x0A: return .enter
        case 0x7F, 0x08: return .backspace
        case 0x01: return .home
        case 0x05: return .end
        case 0x02: return .left
        case 0x06: return .right
        case 0x10: return .up
        case 0x0E: return .down
        case 0x15: return .killToStart
        case 0x0B: return .killToEnd
        case 0x17: return .killWordBack
        case 0x04: return .endOfInput
        case 0x03: return .interrupt
        case 0x0C: return .clearScreen
        case 0x1B: return escape(next)
        case 0x00..<0x20: return .ignored
        default: return text(lead: b, next)
        }
    }

    /// ESC [ … final, ESC O final, or Alt+letter.
    private static func escape(_ next: () -> UInt8?) -> Key {
        guard let b = next() else { return .ignored }
        switch b {
        case UInt8(ascii: "["):
            var parameters = [UInt8]()
            while let c = next() {
                guard (0x40...0x7E).contains(c) else {
                    parameters.append(c)
                    continue
                }
                return csi(String(decoding: parameters, as: UTF8.self), final: c)
            }
            return .ignored
        case UInt8(ascii: "O"):
            return next().map { csi("", final: $0) } ?? .ignored
        case UInt8(ascii: "b"): return .wordLeft
        case UInt8(ascii: "f"): return .wordRight
        case 0x7F: return .killWordBack
        default: return .ignored
        }
    }

    private static func csi(_ parameters: String, final: UInt8) -> Key {
        // "1;5C" is Ctrl+Right in xterm: a word at a time.
        let ctrl = parameters.hasSuffix(";5") || parameters.hasSuffix(";3")
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return ctrl ? .wordRight : .right
        case UInt8(ascii: "D"): return ctrl ? .wordLeft : .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch parameters {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            default: return .ignored
            }
        default: return .ignored
        }
    }

    /// A UTF-8 sequence starting with `lead`; anything malformed is ignored.
    private static func text(lead: UInt8, _ next: () -> UInt8?) -> Key {
        let length: Int
        switch lead {
        case 0x20..<0x80: return .text(String(UnicodeScalar(lead)))
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return .ignored
        }
        var bytes = [lead]
        for _ in 1..<length {
            guard let c = next(), c & 0xC0 == 0x80 else { return .ignored }
            bytes.append(c)
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { return .ignored }
        return .text(s)
    }
}
