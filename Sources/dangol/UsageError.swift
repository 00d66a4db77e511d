import DangolKit
import Foundation

/// Argument mistakes, in dangol's own shape and the reader's language:
/// `dangol: error: …`, then the usage line and where to read more as hints.
/// swift-argument-parser words its parse errors in English; the few it has
/// are recognised and said again from the catalogue (its own text is kept
/// for any other).
enum UsageError {
    static func report(message: String, full: String) -> Never {
        Report.line("error", translate(message))
        let lines = full.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let usage = lines.first(where: { $0.hasPrefix("Usage: ") }) {
            Report.line("hint", Message("usage.usage", ["usage": String(usage.dropFirst("Usage: ".count))]))
        }
        if let see = lines.first(where: { $0.hasPrefix("See '") }), let end = see.range(of: " --help'") {
            Report.line("hint", Message("usage.see_help", ["command": String(see["See '".endIndex..<end.lowerBound])]))
        }
        exit(ExitCategory.usage.rawValue)
    }

    /// The library's sentence as a catalogue message, when it is one of its own.
    static func translate(_ text: String) -> Message {
        for (pattern, key, names) in patterns {
            guard let m = try? NSRegularExpression(pattern: pattern)
                .firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            else { continue }
            var values = [String: String]()
            for (i, name) in names.enumerated() {
                if let r = Range(m.range(at: i + 1), in: text) { values[name] = String(text[r]) }
            }
            return Message(key, values)
        }
        return .verbatim(text)
    }

    static let patterns: [(String, String, [String])] = [
        (#"^Missing expected argument '(.+)'$"#, "usage.missing_argument", ["name"]),
        (#"^Unknown option '(.+)'\. Did you mean '(.+)'\?$"#, "usage.unknown_option_suggest", ["name", "suggestion"]),
        (#"^Unknown option '(.+)'$"#, "usage.unknown_option", ["name"]),
        (#"^Missing value for '(.+)'$"#, "usage.missing_value", ["name"]),
        (#"^Unexpected argument '(.+)'$"#, "usage.unexpected_argument", ["name"]),
        (#"^\d+ unexpected arguments: (.+)$"#, "usage.unexpected_argument", ["name"]),
        (#"^The value '(.*)' is invalid for '([^']+)'$"#, "usage.invalid_value", ["value", "name"]),
    ]
}
