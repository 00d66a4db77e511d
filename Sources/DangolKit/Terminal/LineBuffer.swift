import Foundation

/// The line being typed and where the cursor is in it, by characters (a
/// Hangul syllable is one, however many bytes or columns it takes). Pure
/// state, so the editing rules are tested without a terminal.
public struct LineBuffer: Equatable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    /// Inserts at the cursor. Text that joins the character before it (a
    /// vowel jamo typed after a consonant on an NFD keyboard) joins it here too.
    public mutating func insert(_ s: String) {
        let head = String(characters[..<cursor]) + s
        let joined = Array(head + String(characters[cursor...]))
        cursor = min(Array(head).count, joined.count)
        characters = joined
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(characters.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = characters.count }

    public mutating func wordLeft() {
        while cursor > 0, characters[cursor - 1].isWhitespace { cursor -= 1 }
        while cursor > 0, !characters[cursor - 1].isWhitespace { cursor -= 1 }
    }

    public mutating func wordRight() {
        while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
        while cursor < characters.count, !characters[cursor].isWhitespace { cursor += 1 }
    }

    public mutating func killToStart() {
        characters.removeFirst(cursor)
        cursor = 0
    }

    public mutating func killToEnd() { characters.removeLast(characters.count - cursor) }

    public mutating func killWordBack() {
        let end = cursor
        wordLeft()
        characters.removeSubrange(cursor..<end)
    }

    public mutating func replace(with text: String) { self = LineBuffer(text) }

    /// What to draw in `columns` columns so that the cursor stays in view:
    /// a long line scrolls sideways rather than wrapping, which keeps the
    /// redraw to one row however wide its characters are.
    public func view(columns: Int) -> (text: String, cursorColumn: Int) {
        let room = max(columns - 1, 4)
        let widths = characters.map(TextWidth.columns)
        var start = 0
        var before = widths[..<cursor].reduce(0, +)
        while before > room - 1, start < cursor {
            before -= widths[start]
            start += 1
        }
        var end = cursor
        var used = before
        while end < characters.count, used + widths[end] <= room {
            used += widths[end]
            end += 1
        }
        return (String(characters[start..<end]), before)
    }
}

/// Lines entered earlier, kept in memory only: nothing is ever written to a
/// history file, so what was typed (names, phone numbers) ends with the
/// process. Up and Down walk it; the line being typed is kept as a draft.
public struct LineHistory: Sendable {
    public private(set) var entries: [String] = []
    public static let limit = 500
    private var position: Int?
    private var draft = ""

    public init() {}

    public mutating func add(_ line: String) {
        position = nil
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > Self.limit { entries.removeFirst(entries.count - Self.limit) }
    }

    /// The older entry to show, or nil at the oldest.
    public mutating func up(from current: String) -> String? {
        let next = (position ?? entries.count) - 1
        guard next >= 0 else { return nil }
        if position == nil { draft = current }
        position = next
        return entries[next]
    }

    /// The newer entry to show (the draft after the newest), or nil at the draft.
    public mutating func down() -> String? {
        guard let p = position else { return nil }
        if p + 1 < entries.count {
            position = p + 1
            return entries[p + 1]
        }
        position = nil
        return draft
    }

    public mutating func reset() { position = nil }
}
