import ArgumentParser
import DangolKit

struct Retention: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Customers with no visit or change for longer than the vault's retention period.",
        discussion: """
            The period is the vault's setting (dangol.json, settings.retention_days; three years
            unless changed); --inactive asks about another one: 3y, 18m, 400d. A customer counts as
            active on the day of their latest visit, consent answer, creation or change of their record.
            """)

    @Option(help: "Another period than the vault's: 3y, 18m, 400d.") var inactive: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let inactive, RetentionPeriod(inactive) == nil {
            throw ValidationError("--inactive takes a period like 3y, 18m or 400d (\"\(inactive)\")")
        }
    }

    func run() throws {
        let vault = try options.unlock()
        let period = inactive.flatMap(RetentionPeriod.init) ?? vault.retentionPeriod
        let (hits, failures) = try vault.retentionCandidates(inactiveFor: period)
        for f in failures { Report.line("error", "\(f)") }
        try Results.print(hits.map { ($0.id, $0.customer) }, json: output.json, reveal: output.reveal)
        if !output.json {
            let whose = inactive == nil ? "the vault's retention period" : "asked with --inactive"
            print("\(hits.count) customers inactive for more than \(period) (\(whose))")
        }
    }
}
