import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The access log (owner only): who read or changed which record id, and erasure receipts.",
        subcommands: [AuditShow.self, AuditVerify.self, AuditReviewCommand.self, AuditIncident.self],
        defaultSubcommand: AuditShow.self)
}

struct AuditShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show and filter the access log.")

    @Option(help: "Only entries of this action (show, search, edit, export, erase, …).") var action: String?
    @Option(help: "Only entries on or after this date (YYYY-MM-DD, local time).") var since: String?
    @Option(name: .customLong("user"), help: "Only entries by this person.") var person: String?
    @Option(help: "Only entries naming this record id (or id prefix).") var record: String?
    @Flag(help: "Machine-readable JSON on standard output.") var json = false
    // --user filters here, so the vault options are spelled out without it
    // (whose slot to try then comes from $DANGOL_USER only).
    @Option(help: "The vault directory (default: $DANGOL_VAULT, else the current directory).") var vault: String?
    @Flag(help: "Unlock with the recovery code printed at init.") var recovery = false
    var options: VaultOptions { VaultOptions(vault: vault, user: nil, recovery: recovery) }

    func validate() throws {
        if let since, !Dates.isValid(since) { throw ValidationError("--since takes a date, YYYY-MM-DD") }
        if let record, record.count < 6 || !record.allSatisfy(\.isHexDigit) {
            throw ValidationError("--record takes a record id or a prefix of at least 6 hex characters")
        }
    }

    func run() throws {
        let vault = try options.unlock()
        let from = since.flatMap { Dates.parse($0) }
        let entries = try vault.accessLog().filter { e in
            (action == nil || e.action == action) && (person == nil || e.person == person)
                && from.map { (e.date ?? .distantPast) >= $0 } ?? true
                && record.map { r in e.records.contains { $0.hasPrefix(r.lowercased()) } } ?? true
        }
        if json {
            return try JSONOut.print(
                entries.map { e -> [String: Any] in
                    var o: [String: Any] = [
                        "sequence": e.sequence, "time": e.time, "person": e.person, "action": e.action,
                        "records": e.records, "host": e.host,
                    ]
                    if let r = ErasureReceipt(entry: e) { o["receipt"] = r.json }
                    return o
                })
        }
        let rows = entries.map { e in
            [
                String(e.sequence), e.time, e.person, e.action,
                e.records.count > 4
                    ? "\(e.records.count) records"
                    : e.records.map { String($0.prefix(8)) }.joined(separator: " "),
                ErasureReceipt(entry: e).map { "\($0.reason) · \($0.figures.remnantsFound) remnants" } ?? "",
            ]
        }
        print(Table.render(header: ["#", "time", "who", "action", "records", "receipt"], rows: rows))
    }
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Check that no access-log entry was removed, edited or reordered, and that the log was not cut short.",
        discussion: "Exits with code 5 and names the file and entry of each problem found.")

    @Flag(help: "Machine-readable JSON on standard output.") var json = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let v = try options.unlock().verifyAccessLog()
        if json {
            try JSONOut.print(
                [
                    "entries": v.entries, "files": v.files, "tips_checked": v.tipsChecked,
                    "problems": v.problems.map { p -> [String: Any] in
                        ["file": p.file, "sequence": p.sequence as Any, "line": p.line as Any, "problem": p.problem]
                    },
                ] as [String: Any])
        } else {
            for p in v.problems { Report.line("error", p.description) }
            if v.problems.isEmpty {
                print("access log whole: \(v.entries) entries in \(v.files) files, \(v.tipsChecked) commit tips agree")
            }
        }
        if !v.problems.isEmpty {
            throw VaultError.integrity(file: "audit/", reason: "\(v.problems.count) problems in the access log")
        }
    }
}

struct AuditReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The monthly review: per person, reads, changes, exports, erasures, after-hours and unusual days.")

    @Option(help: "The month, YYYY-MM (default: this month).") var month: String?
    @Flag(help: "Machine-readable JSON on standard output.") var json = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let month, !Dates.isValid(month + "-01") { throw ValidationError("--month takes YYYY-MM") }
    }

    func run() throws {
        let r = try options.unlock().reviewAccessLog(month: month ?? String(Dates.today().prefix(7)))
        if json {
            return try JSONOut.print(
                r.people.map { p -> [String: Any] in
                    [
                        "person": p.person, "reads": p.reads, "changes": p.changes, "exports": p.exports,
                        "erasures": p.erasures, "customers": p.customers, "outside_hours": p.outsideHours,
                        "unusual_days": p.unusualDays.map { ["day": $0.day, "customers": $0.customers] },
                    ]
                })
        }
        print("access review \(r.month) (opening hours \(r.openingHours.text))")
        print(
            Table.render(
                header: [
                    "who", "reads", "changes", "exports", "erasures", "customers", "outside hours", "unusual days",
                ],
                rows: r.people.map { p in
                    [
                        p.person, "\(p.reads)", "\(p.changes)", "\(p.exports)", "\(p.erasures)", "\(p.customers)",
                        "\(p.outsideHours)",
                        p.unusualDays.map { "\($0.day) (\($0.customers))" }.joined(separator: ", "),
                    ]
                }))
        for p in r.people where p.outsideHours > 0 || !p.unusualDays.isEmpty || p.exports > 0 {
            Report.line("note", "\(p.person): look at these entries with dangol audit --user \(p.person)")
        }
        for o in r.overdueRequests {
            Report.line("warning", Catalogue.text("cli.review.overdue_request", [
                "request": String(o.request.id.prefix(8)), "id": String(o.record.prefix(8)),
                "kind": Catalogue.text("request.kind.\(o.request.kind.rawValue)"), "received": o.request.received,
                "days": arg(o.age()),
            ]))
        }
    }
}
