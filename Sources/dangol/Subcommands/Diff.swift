import ArgumentParser
import DangolKit
import Foundation

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.diff"), discussion: Catalogue.text("help.diff.more"))

    @Argument(help: help("help.diff.target")) var target: String
    @Argument(help: help("help.diff.revisions")) var revisions: [String] = []
    @Flag(help: help("help.diff.unified")) var unified = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if revisions.count > 2 { throw ValidationError(Catalogue.text("usage.diff.two_revisions")) }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        let comparisons: [RecordComparison]
        if let range = DateRange(target) {
            guard revisions.isEmpty else { throw ValidationError(Catalogue.text("usage.diff.range_no_revisions")) }
            comparisons = try vault.compare(range: range.from, range.to)
        } else {
            comparisons = [try vault.compare(try vault.resolve(target), revisions: revisions)]
        }
        try vault.audit("diff", records: comparisons.map(\.record))
        let shown = comparisons.map(vault.forDisplay)
        if output.json { return try JSONOut.print(shown.map { ComparisonJSON($0, reveal: output.reveal) }) }
        for c in shown {
            say(Message("compare.header", ["id": c.record.hex, "from": c.fromLabel, "to": c.toLabel]))
            if unified {
                print(try c.unified(reveal: output.reveal))
            } else {
                for ch in c.changes { print("  " + ch.line(reveal: output.reveal)) }
                if c.changes.isEmpty { print("  " + Catalogue.text("summary.no_change")) }
            }
        }
    }
}

struct DateRange {
    let from: String
    let to: String
    init?(_ s: String) {
        let parts = s.components(separatedBy: "..")
        guard parts.count == 2, Dates.isValid(parts[0]), Dates.isValid(parts[1]) else { return nil }
        from = parts[0]
        to = parts[1]
    }
}
