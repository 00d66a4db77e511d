import DangolKit
import Foundation

/// Plain-text tables that line up with Hangul, which takes two columns.
enum Table {
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            switch u.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                 0xFF00...0xFF60, 0xFFE0...0xFFE6:
                return n + 2
            case 0x0300...0x036F, 0x1160...0x11FF:
                return n  // combining marks and conjoining jamo continue the previous column
            default:
                return n + 1
            }
        }
    }

    static func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - width(s))) }

    static func render(header: [String], rows: [[String]]) -> String {
        var widths = header.map(width)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], width(c)) } }
        let lines = ([header] + rows).map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : pad(c, widths[i]) }.joined(separator: "  ")
        }
        return lines.joined(separator: "\n")
    }
}

enum JSONOut {
    /// One `--json` answer: a shape from DangolKit/Output, on standard output.
    static func print(_ value: some Encodable) throws {
        FileHandle.standardOutput.write(Data(try JSONOutput.text(value).utf8))
    }
}

func phoneText(_ c: Customer, reveal: Bool) -> String {
    guard let p = c.phone else { return "-" }
    return reveal ? p : Phone.masked(p)
}

/// A table header from catalogue keys (`column.name`, …).
func columns(_ keys: String...) -> [String] { keys.map { Catalogue.text($0) } }

/// Label and value rows (show, receipts): labels from the catalogue.
func card(_ rows: [(key: String, value: String)]) -> String {
    Table.render(header: ["", ""], rows: rows.map { [Catalogue.text($0.key), $0.value] })
        .split(separator: "\n").dropFirst().joined(separator: "\n")
}
