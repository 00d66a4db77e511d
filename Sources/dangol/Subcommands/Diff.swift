import ArgumentParser
import DangolKit
import Foundation

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Field-by-field changes of a customer, or of every customer changed in a date range.",
        discussion: """
            dangol diff ID                 the customer's last change
            dangol diff ID REV             from REV to now (REV: HEAD~3, a commit id or prefix)
            dangol diff ID REV1 REV2       between two versions
            dangol diff 2026-11-01..2026-11-24   every customer changed in that range
            """)

    @Argument(help: "A customer (id, prefix, query) or a date range FROM..TO.") var target: String
    @Argument(help: "Revisions to compare.") var revisions: [String] = []
    @Flag(help: "A unified text diff of the pretty JSON instead.") var unified = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if revisions.count > 2 { throw ValidationError("give at most two revisions") }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        let comparisons: [RecordComparison]
        if let range = DateRange(target) {
            guard revisions.isEmpty else { throw ValidationError("a date range takes no revisions") }
            comparisons = try vault.compare(range: range.from, range.to)
        } else {
            comparisons = [try vault.compare(try vault.resolve(target), revisions: revisions)]
        }
        try vault.audit("diff", records: comparisons.map(\.record))
        let shown = comparisons.map(vault.forDisplay)
        if output.json { return try JSONOut.print(shown.map { $0.json(reveal: output.reveal) }) }
        for c in shown {
            print("customer \(c.record.hex)  \(c.fromLabel) → \(c.toLabel)")
            if unified {
                print(try c.unified(reveal: output.reveal))
            } else {
                for ch in c.changes { print("  " + ch.line(reveal: output.reveal)) }
                if c.changes.isEmpty { print("  no change") }
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
