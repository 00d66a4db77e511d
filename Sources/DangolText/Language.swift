// DangolText is the one message catalogue of both faces, the command line and
// the front-desk page: every text a person reads exists in Korean and English.
import Foundation

/// The language a person reads: Korean or English.
public enum Language: String, CaseIterable, Sendable, Codable {
    case ko
    case en

    /// The process's language: the first of `LC_ALL`, `LC_MESSAGES` and
    /// `LANG` that is set and not empty decides, as POSIX orders them.
    /// Korean for `ko` and `ko_*`, English for anything else (`C`, `POSIX`,
    /// `en_US.UTF-8`, `de_DE`): a machine set to Korean is a Korean salon,
    /// and English is the shared second language everywhere else.
    public static func from(environment env: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = env[name], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("ko") ? .ko : .en
        }
        return .en
    }

    /// A browser's choice from its `Accept-Language` header: the
    /// highest-weighted language that is Korean or English. Korean when the
    /// header names neither (the page is made for a Korean salon first).
    public static func from(acceptLanguage header: String?) -> Language {
        guard let header, !header.isEmpty else { return .ko }
        var best: (Language, Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let tag = parts.first else { continue }
            let lang: Language
            if tag == "ko" || tag.hasPrefix("ko-") { lang = .ko } else if tag == "en" || tag.hasPrefix("en-") { lang = .en } else { continue }
            var q = 1.0
            for p in parts.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            if q > 0, q > (best?.1 ?? 0) { best = (lang, q) }
        }
        return best?.0 ?? .ko
    }

    /// The language of this process, read once from its environment.
    /// `override` lets one process speak another language for one reader
    /// (the server renders each page in the browser's language).
    public static var current: Language {
        get { override ?? fromEnvironment }
        set { override = newValue }
    }

    private static let fromEnvironment = from(environment: ProcessInfo.processInfo.environment)
    nonisolated(unsafe) private static var override: Language?
}
