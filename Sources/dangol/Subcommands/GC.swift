import ArgumentParser
import DangolKit

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: Catalogue.text("help.gc"), discussion: Catalogue.text("help.gc.more"))

    @OptionGroup var options: VaultOptions

    func run() throws {
        let report = try LockedVault.open(at: options.path).packObjects()
        let packed = Message("gc.packed", ["n": arg(report.objectsPacked), "removed": arg(report.looseRemoved)])
        say(report.packsMerged > 1
            ? Message("gc.packed_merged", ["packs": arg(report.packsMerged)], parts: ["packed": packed]) : packed)
    }
}
