import DangolText

/// RFC 4180 CSV: quoted fields, doubled quotes, commas and line breaks inside
/// quotes, CRLF or LF. Each row keeps the line number it starts on, so a bad
/// row can be named the way a spreadsheet shows it.
public enum CSV {
    public struct Row: Equatable, Sendable {
        public let line: Int
        public let fields: [String]
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public var message: Message { Message("import.quote_not_closed", ["line": arg(line)]) }
        public var description: String { message.description }

    }

    public static func parse(_ text: String) throws -> [Row] {
        var rows = [Row]()
        var fields = [String]()
        var field = ""
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var chars = Array(text.unicodeScalars)[...]
        var sawAnything = false
        func endRow() {
            fields.append(field)
            field = ""
            // Blank lines between records carry nothing.
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
        }
        while let c = chars.popFirst() {
            sawAnything = true
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true
            case ",": fields.append(field); field = ""
            case "\r" where chars.first == "\n": continue
            case "\n", "\r":
                endRow()
                line += 1
                rowStart = line
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw ParseError(line: rowStart) }
        if sawAnything && (!field.isEmpty || !fields.isEmpty) { endRow() }
        return rows
    }
}
