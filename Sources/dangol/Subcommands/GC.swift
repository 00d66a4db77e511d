import ArgumentParser
import DangolKit

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Pack the vault's loose git objects and merge its packs into one; needs no passphrase.",
        discussion: """
            dangol packs loose objects on its own, in the background after a change, once about 6,700 have
            piled up (git's own threshold), and an erasure merges the packs it rewrites. A packed history
            makes erasure much faster: it copies what it keeps instead of deleting old objects one file at
            a time.
            """)

    @OptionGroup var options: VaultOptions

    func run() throws {
        let report = try LockedVault.open(at: options.path).packObjects()
        print("packed \(report.objectsPacked) loose objects; \(report.looseRemoved) loose files removed"
            + (report.packsMerged > 1 ? "; \(report.packsMerged) packs merged into one" : ""))
    }
}
