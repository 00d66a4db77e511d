import Foundation

/// A text for a person, kept as its catalogue key and the values of its
/// placeholders until someone reads it, so the same error or summary can be
/// shown in Korean at the counter and in English in a script's log.
public struct Message: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let arguments: [String: String]
    /// Chooses the catalogue's `KEY.one` form in English when it is 1.
    public let count: Int?
    /// Placeholders filled by other messages, rendered in the same language
    /// as this one when it is read ("{reason}" of an integrity error).
    public let parts: [String: Message]

    public init(_ key: String, _ arguments: [String: String] = [:], count: Int? = nil,
                parts: [String: Message] = [:]) {
        self.key = key
        self.arguments = arguments
        self.count = count
        self.parts = parts
    }

    /// Text that is not ours to translate: a path, a library's own message
    /// (libgit2, the system's strerror), a command to type. It reads the
    /// same in every language.
    public static func verbatim(_ text: String) -> Message { Message("text.verbatim", ["text": text]) }

    /// Messages read one after another, joined by `separator` in every language.
    public static func list(_ items: [Message], separator: String = ", ") -> Message {
        var parts = [String: Message]()
        var template = ""
        for (i, m) in items.enumerated() {
            if i > 0 { template += separator }
            template += "{\(i)}"
            parts["\(i)"] = m
        }
        return Message("text.verbatim", ["text": template], parts: parts)
    }

    /// The text in `language`.
    public func text(_ language: Language) -> String {
        if parts.isEmpty { return Catalogue.text(key, arguments, count: count, language: language) }
        if key == "text.verbatim", let template = arguments["text"] {
            // A list: only its own items fill it, never text that came with them.
            return Catalogue.fill(template, parts.mapValues { $0.text(language) })
        }
        var all = arguments
        for (name, part) in parts { all[name] = part.text(language) }
        return Catalogue.text(key, all, count: count, language: language)
    }

    /// The text in the process's language.
    public var description: String { text(.current) }
}

/// Values for placeholders: `["n": arg(3)]` reads better than `"\(3)"`.
public func arg(_ value: some CustomStringConvertible) -> String { value.description }

/// A message kept for later (a failed background push, read by the next
/// command) is stored as its key and values, never as text in one
/// language, so whoever reads it later reads it in their own.
extension Message: Codable {
    enum CodingKeys: String, CodingKey { case key, arguments, count, parts }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(String.self, forKey: .key),
                  try c.decodeIfPresent([String: String].self, forKey: .arguments) ?? [:],
                  count: try c.decodeIfPresent(Int.self, forKey: .count),
                  parts: try c.decodeIfPresent([String: Message].self, forKey: .parts) ?? [:])
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        if !arguments.isEmpty { try c.encode(arguments, forKey: .arguments) }
        try c.encodeIfPresent(count, forKey: .count)
        if !parts.isEmpty { try c.encode(parts, forKey: .parts) }
    }
}
