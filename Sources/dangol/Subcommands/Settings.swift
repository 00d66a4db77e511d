import ArgumentParser
import DangolKit
import Foundation

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: Catalogue.text("help.settings"), discussion: Catalogue.text("help.settings.more"))

    @Argument(help: help("help.settings.pairs")) var pairs: [String] = []
    @OptionGroup var options: VaultOptions

    func validate() throws {
        for p in pairs where !p.contains("=") { throw ValidationError(Catalogue.text("usage.settings.not_pair", ["value": p])) }
    }

    func run() throws {
        let vault = try options.unlock()
        if pairs.isEmpty {
            return print(Table.render(header: columns("column.setting", "column.value"),
                                      rows: vault.settings.map { [$0.name, $0.value] }))
        }
        try vault.changeSettings(
            pairs.map { p in
                let i = p.firstIndex(of: "=")!  // checked in validate()
                return (String(p[..<i]), String(p[p.index(after: i)...]))
            })
        say(Message("settings.changed"))
    }
}
