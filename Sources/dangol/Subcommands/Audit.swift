import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.audit"),
        subcommands: [AuditShow.self, AuditVerify.self, AuditReviewCommand.self, AuditIncident.self],
        defaultSubcommand: AuditShow.self)
}

struct AuditShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: Catalogue.text("help.audit.show"))

    @Option(help: help("help.audit.action")) var action: String?
    @Option(help: help("help.audit.since")) var since: String?
    @Option(name: .customLong("user"), help: help("help.audit.user")) var person: String?
    @Option(help: help("help.audit.record")) var record: String?
    @Flag(help: help("help.option.json")) var json = false
    // --user filters here, so the vault options are spelled out without it
    // (whose slot to try then comes from $DANGOL_USER only).
    @Option(help: help("help.option.vault")) var vault: String?
    @Flag(help: help("help.option.recovery")) var recovery = false
    var options: VaultOptions { VaultOptions(vault: vault, user: nil, recovery: recovery) }

    func validate() throws {
        if let since, !Dates.isValid(since) { throw ValidationError(Catalogue.text("usage.since_date")) }
        if let record, record.count < 6 || !record.allSatisfy(\.isHexDigit) {
            throw ValidationError(Catalogue.text("usage.audit.record"))
        }
    }

    func run() throws {
        // The owner reads the log also while the vault waits for them to
        // look at a commit made outside dangol.
        let vault = try options.unlock(tolerateTampering: true)
        let from = since.flatMap { Dates.parse($0) }
        let entries = try vault.accessLog().filter { e in
            (action == nil || e.action == action) && (person == nil || e.person == person)
                && from.map { (e.date ?? .distantPast) >= $0 } ?? true
                && record.map { r in e.records.contains { $0.hasPrefix(r.lowercased()) } } ?? true
        }
        if json { return try JSONOut.print(entries.map(AuditEntryJSON.init)) }
        let rows = entries.map { e in
            [
                String(e.sequence), LocalTime.text(stored: e.time, seconds: true), e.person,
                e.recovered == true ? Catalogue.text("audit.recovered_action", ["action": e.action]) : e.action,
                e.records.count > 4
                    ? Catalogue.text("audit.records_count", ["n": arg(e.records.count)])
                    : e.records.map { String($0.prefix(8)) }.joined(separator: " "),
                ErasureReceipt(entry: e).map {
                    Catalogue.text("audit.receipt_cell", ["reason": $0.reason, "n": arg($0.figures.remnantsFound)],
                                   count: $0.figures.remnantsFound)
                } ?? "",
            ]
        }
        print(Table.render(header: columns("column.sequence", "column.time", "column.who", "column.action",
                                           "column.records", "column.receipt"), rows: rows))
    }
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: Catalogue.text("help.audit.verify"),
        discussion: Catalogue.text("help.audit.verify.more"))

    @Flag(help: help("help.option.json")) var json = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let v = try options.unlock(tolerateTampering: true).verifyAccessLog()
        if json {
            try JSONOut.print(AuditVerificationJSON(v))
        } else {
            for p in v.problems { Report.line("error", p.message) }
            if v.problems.isEmpty {
                say(Message("audit.verify.whole", ["entries": arg(v.entries), "tips": arg(v.tipsChecked)]))
                if v.recovered > 0 { say(Message("audit.verify.recovered", ["n": arg(v.recovered)])) }
            }
        }
        if !v.problems.isEmpty {
            throw VaultError.integrity(file: "audit/", reason: Message("audit.verify.problems", ["n": arg(v.problems.count)],
                                                                       count: v.problems.count))
        }
    }
}

struct AuditReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "review", abstract: Catalogue.text("help.audit.review"))

    @Option(help: help("help.audit.month")) var month: String?
    @Flag(help: help("help.option.json")) var json = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let month, !Dates.isValid(month + "-01") { throw ValidationError(Catalogue.text("usage.audit.month")) }
    }

    func run() throws {
        let r = try options.unlock().reviewAccessLog(month: month ?? String(Dates.today().prefix(7)))
        if json { return try JSONOut.print(r.people.map(ReviewJSON.init)) }
        say(Message("audit.review.title", ["month": r.month, "hours": r.openingHours.text]))
        print(
            Table.render(
                header: columns("column.who", "column.reads", "column.changes", "column.exports", "column.erasures",
                                "column.customers", "column.outside_hours", "column.unusual_days"),
                rows: r.people.map { p in
                    [
                        p.person, "\(p.reads)", "\(p.changes)", "\(p.exports)", "\(p.erasures)", "\(p.customers)",
                        "\(p.outsideHours)",
                        p.unusualDays.map { "\($0.day) (\($0.customers))" }.joined(separator: ", "),
                    ]
                }))
        for p in r.people {
            for b in p.searchBursts {
                Report.warn(Message("review.search_burst", [
                    "person": p.person, "searches": arg(b.searches), "start": b.start,
                    "minutes": arg(Vault.burstWindowMinutes), "threshold": arg(Vault.burstSearches),
                ]))
            }
        }
        for p in r.people where p.outsideHours > 0 || !p.unusualDays.isEmpty || p.exports > 0 || !p.searchBursts.isEmpty {
            Report.line("note", Message("audit.review.look", ["person": p.person]))
        }
        for o in r.overdueRequests {
            Report.warn(Message("cli.review.overdue_request", [
                "request": String(o.request.id.prefix(8)), "id": String(o.record.prefix(8)), "received": o.request.received,
                "days": arg(o.age()),
            ], parts: ["kind": Message("request.kind.\(o.request.kind.rawValue)")]))
        }
    }
}
