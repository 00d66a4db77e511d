import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Retention: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.retention"), discussion: Catalogue.text("help.retention.more"))

    @Option(help: help("help.retention.inactive")) var inactive: String?
    @Flag(help: help("help.retention.erase")) var erase = false
    @Flag(help: help("help.retention.yes")) var yes = false
    @Option(help: help("help.retention.reason")) var reason: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let inactive, RetentionPeriod(inactive) == nil {
            throw ValidationError(Catalogue.text("usage.retention.inactive", ["value": inactive]))
        }
        if !erase && (yes || reason != nil) { throw ValidationError(Catalogue.text("usage.retention.with_erase")) }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: Message("role.do.retention"))
        let period = inactive.flatMap(RetentionPeriod.init) ?? vault.retentionPeriod
        let (hits, failures) = try vault.retentionCandidates(inactiveFor: period)
        for f in failures { Report.line("error", f.message) }
        // With --erase --json the receipt alone is printed: it lists the ids.
        if !(erase && output.json) {
            if !hits.isEmpty { try vault.audit("retention", records: hits.map(\.id)) }
            try show(hits)
        }
        if !output.json {
            say(Message(inactive == nil ? "retention.count" : "retention.count_asked",
                        ["n": arg(hits.count), "period": "\(period)"], count: hits.count))
        }
        guard erase, !hits.isEmpty else {
            if erase && output.json { try ErasePrinter.show([], json: true) }
            return
        }
        if !yes { try confirm(hits.count) }
        // The reason is kept in the receipt: in the owner's language, as they would write it.
        let receipt = try vault.erase(hits.map(\.id), reason: reason ?? Catalogue.text("retention.reason", ["period": "\(period)"]),
                                      progress: ErasePrinter.progress)
        try ErasePrinter.show([receipt], json: output.json)
        try ErasePrinter.check(receipt)
    }

    /// Each customer with the date that counts and why: a visit, a consent
    /// answer, their creation, or a change made in the vault.
    func show(_ hits: [RetentionCandidate]) throws {
        func basis(_ a: RetentionCandidate.Activity) -> String {
            Catalogue.text("retention.basis.\(a.basis.rawValue)", ["operation": a.operation ?? ""])
        }
        if output.json {
            return try JSONOut.print(hits.map { RetentionRow($0, reveal: output.reveal) })
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
        guard isatty(0) == 1 else { throw VaultError.usage(Message("retention.confirm_needs_terminal")) }
        let question = Catalogue.text("retention.confirm", ["n": arg(count)])
        FileHandle.standardError.write(Data((question + "\n" + Catalogue.text("retention.confirm_prompt", ["n": arg(count)])).utf8))
        guard (readLine() ?? "").trimmingCharacters(in: .whitespaces) == String(count) else {
            throw VaultError.usage(Message("retention.number_mismatch", ["n": arg(count)]))
        }
    }
}
