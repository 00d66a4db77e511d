import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Retention: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Customers with no visit or change for longer than the vault's retention period.",
        discussion: """
            The period is the vault's setting (dangol.json, settings.retention_days; three years
            unless changed); --inactive asks about another one: 3y, 18m, 400d. A customer counts as
            active on the day of their latest visit, consent answer, creation or change of their record.
            --erase erases every customer listed in one rewrite of the history (see dangol erase), after
            you type how many they are (--yes for scripts); the receipt names the period as the reason.
            """)

    @Option(help: "Another period than the vault's: 3y, 18m, 400d.") var inactive: String?
    @Flag(help: "Erase every customer listed, in one rewrite.") var erase = false
    @Flag(help: "With --erase: do not ask to confirm (for scripts).") var yes = false
    @Option(help: "With --erase: the reason kept in the receipt (default: the retention period).") var reason: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let inactive, RetentionPeriod(inactive) == nil {
            throw ValidationError("--inactive takes a period like 3y, 18m or 400d (\"\(inactive)\")")
        }
        if !erase && (yes || reason != nil) { throw ValidationError("--yes and --reason go with --erase") }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: "review customers for retention")
        let period = inactive.flatMap(RetentionPeriod.init) ?? vault.retentionPeriod
        let (hits, failures) = try vault.retentionCandidates(inactiveFor: period)
        for f in failures { Report.line("error", "\(f)") }
        // With --erase --json the receipt alone is printed: it lists the ids.
        if !(erase && output.json) {
            if !hits.isEmpty { try vault.audit("retention", records: hits.map(\.id)) }
            try show(hits)
        }
        if !output.json {
            let whose = inactive == nil ? "the vault's retention period" : "asked with --inactive"
            print("\(hits.count) customers inactive for more than \(period) (\(whose))")
        }
        guard erase, !hits.isEmpty else { return }
        if !yes { try confirm(hits.count) }
        let receipt = try vault.erase(hits.map(\.id), reason: reason ?? "retention: inactive for more than \(period)",
                                      progress: ErasePrinter.progress)
        try ErasePrinter.show(receipt, json: output.json)
        try ErasePrinter.check(receipt)
    }

    /// Each customer with the date that counts and why: a visit, a consent
    /// answer, their creation, or a change made in the vault.
    func show(_ hits: [RetentionCandidate]) throws {
        func basis(_ a: RetentionCandidate.Activity) -> String {
            Catalogue.text("retention.basis.\(a.basis.rawValue)", ["operation": a.operation ?? ""])
        }
        if output.json {
            return try JSONOut.print(hits.map { h -> [String: Any] in
                ["id": h.id.hex, "name": h.customer.name, "phone": h.customer.phone.map { output.reveal ? $0 : Phone.masked($0) } as Any,
                 "last_visit": h.customer.lastVisit as Any,
                 "active": ["date": h.activity.date, "basis": h.activity.basis.rawValue,
                            "operation": h.activity.operation as Any] as [String: Any]]
            })
        }
        print(Table.render(
            header: ["id", "name", "phone", "active", "basis"].map { Catalogue.text("cli.retention.col.\($0)") },
            rows: hits.map { h in
                [h.id.short, h.customer.name, phoneText(h.customer, reveal: output.reveal), h.activity.date, basis(h.activity)]
            }))
    }

    /// Erasing many at once is confirmed by typing how many: a number read
    /// off the list just printed, not a reflex "y".
    func confirm(_ count: Int) throws {
        guard isatty(0) == 1 else {
            throw VaultError.usage("erasing needs a confirmation typed at a terminal; standard input is not one. "
                                   + "Pass --yes to erase without asking")
        }
        FileHandle.standardError.write(Data("these \(count) customers will be erased for good from every version of the vault.\ntype their number (\(count)) to confirm: ".utf8))
        guard (readLine() ?? "").trimmingCharacters(in: .whitespaces) == String(count) else {
            throw VaultError.usage("the number typed is not \(count); nothing was erased")
        }
    }
}
