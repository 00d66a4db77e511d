import XCTest

@testable import DangolKit

/// The line editor's rules without a terminal: keys decoded from the bytes
/// terminals send, edits by character, Hangul two columns wide, and the
/// history in memory.
final class LineEditingTests: XCTestCase {
    func keys(_ bytes: [UInt8]) -> [Key] {
        var rest = bytes[...]
        var out = [Key]()
        while let k = Key.read({ rest.popFirst() }) { out.append(k) }
        return out
    }

    func testKeysFromTheBytesTerminalsSend() {
        XCTAssertEqual(keys(Array("가a".utf8)), [.text("가"), .text("a")])
        XCTAssertEqual(keys([0x1B, 0x5B, 0x41, 0x1B, 0x5B, 0x42, 0x1B, 0x5B, 0x43, 0x1B, 0x5B, 0x44]), [.up, .down, .right, .left])
        XCTAssertEqual(keys([0x1B, 0x4F, 0x48, 0x1B, 0x4F, 0x46]), [.home, .end], "SS3 forms (application mode)")
        XCTAssertEqual(keys(Array("\u{1B}[1~\u{1B}[4~\u{1B}[3~\u{1B}[1;5C\u{1B}[1;5D".utf8)),
                       [.home, .end, .delete, .wordRight, .wordLeft])
        XCTAssertEqual(keys([0x0D, 0x0A, 0x7F, 0x08, 0x01, 0x05, 0x15, 0x0B, 0x17, 0x04, 0x03]),
                       [.enter, .enter, .backspace, .backspace, .home, .end, .killToStart, .killToEnd, .killWordBack,
                        .endOfInput, .interrupt])
        XCTAssertEqual(keys([0x09, 0x1B, 0x5B, 0x32, 0x30, 0x7E]), [.ignored, .ignored], "Tab and F9 do nothing")
        XCTAssertEqual(keys([0xEA, 0xB0]), [.ignored], "a UTF-8 sequence cut short")
        XCTAssertEqual(keys([0xFF]), [.ignored])
    }

    func testEditingByCharacter() {
        var line = LineBuffer()
        line.insert("김민")
        line.insert("지")
        XCTAssertEqual(line.text, "김민지")
        line.left()
        line.left()
        line.backspace()
        XCTAssertEqual(line.text, "민지")
        XCTAssertEqual(line.cursor, 0)
        line.end()
        line.insert(" 010")
        line.wordLeft()
        XCTAssertEqual(line.cursor, 3)
        line.killToEnd()
        XCTAssertEqual(line.text, "민지 ")
        line.insert("5678")
        line.killWordBack()
        XCTAssertEqual(line.text, "민지 ")
        line.home()
        line.deleteForward()
        XCTAssertEqual(line.text, "지 ")
        line.right()
        line.killToStart()
        XCTAssertEqual(line.text, " ")
    }

    func testDecomposedHangulJoinsTheCharacterBefore() {
        var line = LineBuffer()
        for scalar in "김".decomposedStringWithCanonicalMapping.unicodeScalars { line.insert(String(scalar)) }
        XCTAssertEqual(line.characters.count, 1, "ᄀ ᅵ ᆷ typed one by one are one character")
        XCTAssertEqual(line.cursor, 1)
    }

    func testALongLineScrollsSoTheCursorStaysInView() {
        XCTAssertEqual(TextWidth.columns("김민지 a"), 8)
        var line = LineBuffer(String(repeating: "가", count: 30))
        let end = line.view(columns: 21)
        XCTAssertLessThanOrEqual(TextWidth.columns(end.text), 20)
        XCTAssertEqual(end.cursorColumn, TextWidth.columns(end.text), "the cursor at the end is in view")
        line.home()
        let start = line.view(columns: 21)
        XCTAssertEqual(start.cursorColumn, 0)
        XCTAssertTrue(start.text.hasPrefix("가"))
    }

    func testHistoryWalksBackAndForthAndKeepsTheDraft() {
        var h = LineHistory()
        for line in ["search 5678", "show 5678", "show 5678", "  "] { h.add(line) }
        XCTAssertEqual(h.entries, ["search 5678", "show 5678"], "no blank lines, no repeats")
        XCTAssertEqual(h.up(from: "li"), "show 5678")
        XCTAssertEqual(h.up(from: "show 5678"), "search 5678")
        XCTAssertNil(h.up(from: "search 5678"), "the oldest")
        XCTAssertEqual(h.down(), "show 5678")
        XCTAssertEqual(h.down(), "li", "back to what was being typed")
        XCTAssertNil(h.down())
        for i in 0..<(LineHistory.limit + 10) { h.add("line \(i)") }
        XCTAssertEqual(h.entries.count, LineHistory.limit)
    }
}
