import ArgumentParser
import DangolKit
import DangolText
import Foundation

/// The privacy notice for the salon's customers, filled from the vault's
/// own settings (Privacy/Notice.swift).
struct Notice: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("cli.notice.abstract"), discussion: Catalogue.text("cli.notice.discussion"))

    @Option(help: help("cli.notice.lang")) var lang: String?
    @Option(name: [.short, .long], help: help("cli.notice.output")) var output: String?
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let lang, Language(rawValue: lang) == nil { throw ValidationError(Catalogue.text("cli.notice.bad_lang")) }
    }

    func run() throws {
        let text = try options.unlock().privacyNotice(language: lang.flatMap(Language.init(rawValue:)) ?? .current)
        guard let output else { return FileHandle.standardOutput.write(Data(text.utf8)) }
        let path = absolutePath(output)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw VaultError.io(Message("cli.notice.cannot_write", ["file": path]))
        }
        Report.line("note", Message("cli.notice.wrote", ["file": path]))
    }
}
