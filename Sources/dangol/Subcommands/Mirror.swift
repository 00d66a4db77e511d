import ArgumentParser
import DangolKit

struct Mirror: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the working tree and index level with the vault's history (run by dangol itself).",
        shouldDisplay: false)

    @OptionGroup var options: VaultOptions

    func run() throws {
        try LockedVault.open(at: options.path).syncMirror()
    }
}
