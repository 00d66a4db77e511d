import ArgumentParser
import DangolKit

struct Mirror: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.mirror"), shouldDisplay: false)

    @OptionGroup var options: VaultOptions

    func run() throws {
        try LockedVault.open(at: options.path).syncMirror()
    }
}
