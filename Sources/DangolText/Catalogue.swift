import Foundation

/// The messages, from `catalogue.json` embedded in the binary. Each entry
/// has a Korean and an English text with the same `{placeholders}`; an
/// English text may have a `KEY.one` sibling for a count of one (Korean
/// does not inflect for number). A test holds every entry to that.
public enum Catalogue {
    public struct Entry: Codable, Equatable, Sendable {
        public let ko: String
        public let en: String

        public func text(_ language: Language) -> String { language == .ko ? ko : en }
    }

    /// Every entry by key, parsed once.
    public static let entries: [String: Entry] = {
        do {
            return try JSONDecoder().decode([String: Entry].self, from: Data(PackageResources.catalogue_json))
        } catch {
            // The file is part of the binary and a test parses it: reaching
            // this means the build itself is broken.
            fatalError("dangol: the message catalogue in this binary does not parse: \(error)")
        }
    }()

    /// `key`'s text with its placeholders filled. A key missing from the
    /// catalogue shows itself rather than nothing, so a slip is visible and
    /// the test that every used key exists catches it.
    public static func text(_ key: String, _ arguments: [String: String] = [:], count: Int? = nil,
                            language: Language = .current) -> String {
        var entry = entries[key]
        if count == 1, let one = entries[key + ".one"] { entry = one }
        guard let entry else { return key }
        return fill(entry.text(language), arguments)
    }

    /// Replaces each `{name}` with its value; an unknown name stays as it is.
    static func fill(_ template: String, _ arguments: [String: String]) -> String {
        if arguments.isEmpty || !template.contains("{") { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            if let value = arguments[name] { out += value } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// The `{placeholder}` names a text uses, for the catalogue's tests.
    public static func placeholders(_ text: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = rest[rest.index(after: open)..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { names.insert(String(name)) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The entries of one language as a plain dictionary, for the front-desk
    /// page's script (which reads the same catalogue).
    public static func table(_ language: Language, prefix: String = "") -> [String: String] {
        var out = [String: String]()
        for (key, entry) in entries where key.hasPrefix(prefix) { out[key] = entry.text(language) }
        return out
    }
}
