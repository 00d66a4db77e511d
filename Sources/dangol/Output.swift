import DangolKit
import Foundation

/// Plain-text tables that line up with Hangul, which takes two columns.
enum Table {
    static func width(_ s: String) -> Int { TextWidth.columns(s) }

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
