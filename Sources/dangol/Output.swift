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
    static func print(_ value: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// A customer as a JSON object with its id, phone masked unless revealed.
    static func customer(_ c: Customer, id: RecordID, reveal: Bool) throws -> [String: Any] {
        var obj = try JSONSerialization.jsonObject(with: Data(try c.encoded())) as! [String: Any]  // swift-format-ignore: encoded() always yields an object
        obj["id"] = id.hex
        if !reveal, let p = c.phone { obj["phone"] = Phone.masked(p) }
        return obj
    }
}

func phoneText(_ c: Customer, reveal: Bool) -> String {
    guard let p = c.phone else { return "-" }
    return reveal ? p : Phone.masked(p)
}

func won(_ n: Int) -> String {
    let f = NumberFormatter()
    f.numberStyle = .decimal
    f.groupingSeparator = ","
    return (f.string(from: NSNumber(value: n)) ?? "\(n)") + "원"
}
