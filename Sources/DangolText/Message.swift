import Foundation

/// A text for a person, kept as its catalogue key and the values of its
/// placeholders until someone reads it, so the same error or summary can be
/// shown in Korean at the counter and in English in a script's log.
public struct Message: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let arguments: [String: String]
    /// Chooses the catalogue's `KEY.one` form in English when it is 1.
    public let count: Int?

    public init(_ key: String, _ arguments: [String: String] = [:], count: Int? = nil) {
        self.key = key
        self.arguments = arguments
        self.count = count
    }

    /// The text in `language`.
    public func text(_ language: Language) -> String {
        Catalogue.text(key, arguments, count: count, language: language)
    }

    /// The text in the process's language.
    public var description: String { text(.current) }
}

/// Values for placeholders: `["n": arg(3)]` reads better than `"\(3)"`.
public func arg(_ value: some CustomStringConvertible) -> String { value.description }
