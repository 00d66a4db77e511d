import Foundation
import XCTest

@testable import DangolText

/// The catalogue holds every text in both languages with the same
/// placeholders, and the code uses only keys that exist.
final class CatalogueTests: XCTestCase {
    func testEveryEntryHasBothLanguagesWithTheSamePlaceholders() {
        XCTAssertFalse(Catalogue.entries.isEmpty)
        for (key, entry) in Catalogue.entries.sorted(by: { $0.key < $1.key }) {
            XCTAssertFalse(entry.ko.isEmpty, "\(key): no Korean text")
            XCTAssertFalse(entry.en.isEmpty, "\(key): no English text")
            XCTAssertEqual(Catalogue.placeholders(entry.ko), Catalogue.placeholders(entry.en),
                           "\(key): Korean and English use different placeholders")
            // A Korean text copied from the English one is a missing
            // translation, unless the text has no words to translate.
            if entry.en.contains(where: \.isLetter) && !Self.onlyPlaceholdersAndSymbols(entry.en) {
                XCTAssertTrue(entry.ko.unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) },
                              "\(key): the Korean text has no Hangul: \(entry.ko)")
            }
        }
    }

    func testSingularFormsBelongToAnEntryAndKeepItsPlaceholders() {
        for (key, entry) in Catalogue.entries where key.hasSuffix(".one") {
            let base = String(key.dropLast(4))
            guard let other = Catalogue.entries[base] else { return XCTFail("\(key): no entry \(base)") }
            XCTAssertEqual(Catalogue.placeholders(entry.en).subtracting(["n"]),
                           Catalogue.placeholders(other.en).subtracting(["n"]), key)
        }
    }

    func testKeysAreLowercaseDottedNames() {
        for key in Catalogue.entries.keys {
            XCTAssertNotNil(key.range(of: #"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"#, options: .regularExpression),
                            "\(key): keys are dotted lower-case names")
        }
    }

    func testFillingPlaceholders() {
        XCTAssertEqual(Catalogue.fill("{n} of {total}", ["n": "3", "total": "10"]), "3 of 10")
        XCTAssertEqual(Catalogue.fill("left {unknown} alone", [:]), "left {unknown} alone")
        XCTAssertEqual(Catalogue.fill("{a}{a}", ["a": "{a}"]), "{a}{a}")
        XCTAssertEqual(Catalogue.fill("open { brace", ["x": "1"]), "open { brace")
        XCTAssertEqual(Catalogue.placeholders("{a} and {b_2}, not { c }"), ["a", "b_2"])
    }

    func testMissingKeyShowsItself() {
        XCTAssertEqual(Catalogue.text("no.such.key"), "no.such.key")
    }

    func testLanguageFromTheEnvironment() {
        XCTAssertEqual(Language.from(environment: ["LANG": "ko_KR.UTF-8"]), .ko)
        XCTAssertEqual(Language.from(environment: ["LANG": "C.UTF-8"]), .en)
        XCTAssertEqual(Language.from(environment: [:]), .en)
        XCTAssertEqual(Language.from(environment: ["LANG": "ko_KR.UTF-8", "LC_ALL": "C"]), .en)
        XCTAssertEqual(Language.from(environment: ["LANG": "en_US.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8"]), .ko)
        XCTAssertEqual(Language.from(environment: ["LC_ALL": "", "LANG": "ko"]), .ko)
    }

    func testLanguageFromABrowser() {
        XCTAssertEqual(Language.from(acceptLanguage: "ko-KR,ko;q=0.9,en-US;q=0.8"), .ko)
        XCTAssertEqual(Language.from(acceptLanguage: "en-US,en;q=0.9,ko;q=0.8"), .en)
        XCTAssertEqual(Language.from(acceptLanguage: "de-DE,en;q=0.5"), .en)
        XCTAssertEqual(Language.from(acceptLanguage: "fr"), .ko)
        XCTAssertEqual(Language.from(acceptLanguage: nil), .ko)
        XCTAssertEqual(Language.from(acceptLanguage: "en;q=0, ko;q=0.1"), .ko)
    }

    /// Every key the code names exists, and every entry is used. Swift names
    /// a key as `Message("key"`, `Catalogue.text("key"` or (a command's
    /// help) `help("key"`, the page's script as `t("key"` and its markup as
    /// `data-t="key"`; a key built at run time (`"exit.\(code)"`) makes its
    /// whole family used. Any other string that looks like a key of an area
    /// the catalogue has (`"column.name"` handed to a helper) must exist too.
    func testTheCodeAndTheCatalogueAgree() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        var named = [String: String]()  // key -> a file that names it
        let areas = Set(Catalogue.entries.keys.map { String($0.prefix { $0 != "." }) })
        var literals = Set<String>()
        var families = Set<String>()
        let keyPattern = #"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+"#
        let uses = try NSRegularExpression(
            pattern: #"(?:Message\(|Catalogue\.text\(|\bhelp\(|\bt\(|data-t=)\s*"("# + keyPattern + #")""#)
        let literal = try NSRegularExpression(pattern: #""("# + keyPattern + #")""#)
        let family = try NSRegularExpression(pattern: #""([a-z][a-z0-9_.]*\.)\\\("#)
        // The demo's narration (`dangol-synth --say "demo.intro"`) is the
        // one script that reads the catalogue.
        let demo = sources.deletingLastPathComponent().appendingPathComponent("scripts/demo.sh")
        let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var files = [demo].makeIterator()
        while let url = walker?.nextObject() as? URL ?? files.next() {
            guard ["swift", "js", "html", "mustache", "sh"].contains(url.pathExtension),
                  let text = try? String(contentsOf: url, encoding: .utf8)
            else { continue }
            let range = NSRange(text.startIndex..., in: text)
            for m in uses.matches(in: text, range: range) {
                named[String(text[Range(m.range(at: 1), in: text)!])] = url.lastPathComponent
            }
            for m in literal.matches(in: text, range: range) {
                let key = String(text[Range(m.range(at: 1), in: text)!])
                literals.insert(key)
                if ["swift", "sh"].contains(url.pathExtension), areas.contains(String(key.prefix { $0 != "." })) {
                    named[key] = named[key] ?? url.lastPathComponent
                }
            }
            for m in family.matches(in: text, range: range) {
                families.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
        }
        for (key, file) in named.sorted(by: { $0.key < $1.key }) {
            XCTAssertNotNil(Catalogue.entries[key] ?? Catalogue.entries[key + ".one"],
                            "\(file) names \(key), which the catalogue does not have")
        }
        for key in Catalogue.entries.keys.sorted() {
            let base = key.hasSuffix(".one") ? String(key.dropLast(4)) : key
            XCTAssertTrue(literals.contains(base) || families.contains { base.hasPrefix($0) },
                          "\(key) is in the catalogue but no source names it")
        }
    }

    private static func onlyPlaceholdersAndSymbols(_ text: String) -> Bool {
        var stripped = text
        for name in Catalogue.placeholders(text) { stripped = stripped.replacingOccurrences(of: "{\(name)}", with: "") }
        return !stripped.contains(where: \.isLetter)
    }
}
