import ArgumentParser
import DangolKit
import Foundation

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show the vault's settings, or change them (owner only): NAME=VALUE...",
        discussion: """
            retention_days=1095        customers inactive this long are listed by dangol retention
            audit_keep_years=2         access-log keeping period: 2 years at least, can only go up
            opening_hours=10:00-20:00  access outside these hours stands out in dangol audit review
            staff_sees_contacts=no     whether staff see phone numbers and birthdays in full
            """)

    @Argument(help: "NAME=VALUE pairs to set; none shows them all.") var pairs: [String] = []
    @OptionGroup var options: VaultOptions

    func validate() throws {
        for p in pairs where !p.contains("=") { throw ValidationError("\"\(p)\" is not NAME=VALUE") }
    }

    func run() throws {
        let vault = try options.unlock()
        if pairs.isEmpty {
            return print(Table.render(header: ["setting", "value"], rows: vault.settings.map { [$0.name, $0.value] }))
        }
        try vault.changeSettings(
            pairs.map { p in
                let i = p.firstIndex(of: "=")!  // checked in validate()
                return (String(p[..<i]), String(p[p.index(after: i)...]))
            })
        print("settings changed")
    }
}
