import DangolKit
import DangolText
import Foundation
import HTTPTypes
import Hummingbird

/// The back office: birthdays, history and restore, the access log, the
/// customer's requests (a printable copy, erasure) and backups. The role
/// rules are the vault's own (Vault/Roles.swift): what staff may not do is
/// refused by the same call that refuses it on the command line.
enum Office {
    static let handlers: [String: API.Handler] = [
        "birthdays": birthdays, "download-birthdays.csv": birthdaysCSV, "history": history, "restore": restore,
        "activity": activity, "audit": audit, "print": printCopy, "erase": erase, "backup": backup, "push": push,
        "requests": requests, "request": request,
    ]

    /// The customer's requests not yet answered (owner only, as `dangol
    /// request list`): the printable copy answers one to see, the erasure
    /// one to erase (the vault closes them with the export or the erasure).
    static func requests(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let (id, _) = try Customers.customer(call, open)
        let today = Dates.today()
        return Reply.json(["open": try open.vault.openRequests().filter { $0.record == id.hex }.map { r in
            ["id": r.request.id, "kind": r.request.kind.rawValue, "received": r.request.received, "due": r.request.due,
             "overdue": r.overdue(on: today), "label": Catalogue.text("web.request.kinds.\(r.request.kind.rawValue)",
                                                                     language: call.language)]
        }])
    }

    /// Records that the customer asked, dated today: the law's ten days run
    /// from here.
    static func request(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let (id, _) = try Customers.customer(call, open)
        guard let kind = call.form["kind"].flatMap(SubjectRequest.Kind.init(rawValue:)) else {
            throw APIError.refused(.unprocessableContent, "web.error.refused")
        }
        let r = try open.vault.recordRequest(kind, for: id)
        return Reply.json(["id": r.id, "due": r.due])
    }

    /// This month's (or `month`'s) birthdays of customers whose consent to
    /// a birthday offer counts today: the vault's own list, as `dangol
    /// birthdays` prints it.
    static func birthdayList(_ call: Call, _ open: OpenIndex) throws -> (Int, [(RecordID, Customer)]) {
        guard open.vault.seesContacts else {
            throw VaultError.notAllowed(Message("birthdays.staff"))
        }
        let now = Calendar(identifier: .gregorian).component(.month, from: Date())
        let month = call.form["month"].flatMap(Int.init).flatMap { (1...12).contains($0) ? $0 : nil } ?? now
        return (month, try open.vault.birthdays(month: month).customers.map { ($0.id, $0.customer) })
    }

    static func birthdays(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let (month, list) = try birthdayList(call, open)
        if !list.isEmpty { try open.vault.audit("birthdays", records: list.map(\.0)) }
        return Reply.json([
            "month": month,
            "rows": list.map { id, c in
                ["id": id.hex, "name": c.name, "birthday": c.birthday.map(Birthday.withoutYear) ?? "", "phone": View.phone(c)]
            },
        ])
    }

    /// The list as CSV for an SMS service: full numbers, so it is an export
    /// (owner only, logged as one). The file is what the owner asked for;
    /// the page tells them to delete it once it is uploaded.
    static func birthdaysCSV(_ call: inout Call) throws -> Response {
        let open = try call.open()
        try open.vault.requireOwner(to: Message("role.do.export"))
        let (month, list) = try birthdayList(call, open)
        try open.vault.audit("export", records: list.map(\.0))
        var lines = [[call.text("web.csv.name"), call.text("web.csv.phone"), call.text("web.csv.birthday")]]
        lines += list.map { _, c in [c.name, c.phone ?? "", c.birthday.map(Birthday.withoutYear) ?? ""] }
        let csv = "\u{FEFF}" + lines.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        var response = Reply.text(csv, type: "text/csv; charset=utf-8")
        response.headers[.contentDisposition] = "attachment; filename=\"birthdays-\(String(format: "%02d", month)).csv\""
        return response
    }

    /// Quoted when needed; a leading = + - @ is defused, so a spreadsheet
    /// never runs a name as a formula.
    static func csvField(_ s: String) -> String {
        var v = s
        if let first = v.first, "=+-@".contains(first) { v = "'" + v }
        if v.contains(where: { ",\"\r\n".contains($0) }) { v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return v
    }

    /// One customer's versions, newest first: who, when, and each field
    /// that changed (phones masked; birthdays too for staff).
    static func history(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let (id, _) = try Customers.customer(call, open)
        let vault = open.vault
        let versions = try vault.versions(of: id)
        try vault.audit("diff", records: [id])
        var out = [[String: Any]]()
        for (i, v) in versions.enumerated() {
            let before = i > 0 ? versions[i - 1].customer : nil
            // A new record's every field is "added": the timeline says it was
            // created instead of listing them.
            let changes = try (before == nil ? [] : FieldDiff.between(before, v.customer)).map { ch -> [String: Any] in
                func shown(_ s: String?) -> String {
                    guard let s else { return "" }
                    if ch.path == "birthday" { return vault.birthdayText(s) }
                    return FieldChange.maskIfPhone(ch.path, s, reveal: false)
                }
                return ["path": ch.path, "label": View.field(ch.path, call.language), "kind": ch.kind.rawValue,
                        "old": shown(ch.old), "new": shown(ch.new)]
            }
            out.append(["commit": v.commit, "author": v.author, "date": Self.local(v.date), "changes": changes,
                        "created": before == nil && v.customer != nil,
                        "removed": v.customer == nil, "current": i == versions.count - 1])
        }
        return Reply.json(["id": id.hex, "versions": Array(out.reversed())])
    }

    static func restore(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let (id, _) = try Customers.customer(call, open)
        guard let commit = call.form["commit"], commit.count == 40, commit.allSatisfy(\.isHexDigit) else {
            throw APIError.refused(.notFound, "web.error.not_found")
        }
        let changed = try open.vault.restore(id, from: commit)
        return Reply.json(["id": id.hex, "changed": changed])
    }

    /// The vault's recent changes (not the access log's reads).
    static func activity(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let entries = try open.vault.log(LogFilter(limit: 40))
        return Reply.json([
            "entries": entries.map { e in
                ["date": local(e.date), "author": e.author, "operation": e.operation,
                 "label": View.operation(e.operation, call.language),
                 "summary": e.summary?.text(call.language) ?? "", "records": e.records.map(\.hex)]
            }
        ])
    }

    /// The access log (owner only): the newest entries, the month's review
    /// and the chain's verification.
    static func audit(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let vault = open.vault
        let entries = try vault.accessLog()
        let month = call.form["month"] ?? String(Dates.today().prefix(7))
        let review = try vault.reviewAccessLog(month: month)
        let check = try vault.verifyAccessLog()
        return Reply.json([
            "entries": entries.suffix(200).reversed().map { e in
                ["time": e.date.map(local) ?? e.time, "person": e.person, "action": e.action,
                 "label": View.operation(e.action, call.language),
                 "records": e.records.count, "host": e.host]
            },
            "month": review.month,
            "review": review.people.map { p in
                ["person": p.person, "reads": p.reads, "changes": p.changes, "exports": p.exports,
                 "erasures": p.erasures, "customers": p.customers, "outsideHours": p.outsideHours,
                 "unusualDays": p.unusualDays.map { "\($0.day) (\($0.customers))" }]
            },
            "verified": ["entries": check.entries, "files": check.files, "problems": check.problems.map(\.description)],
        ])
    }

    /// The copy handed to a customer who asks what the salon holds (owner
    /// only; an export, logged as one by the vault).
    static func printCopy(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let (id, _) = try Customers.customer(call, open)
        let text = try open.vault.export(id, format: .json, language: call.language)
        let copy = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return Reply.json([
            "salon": open.vault.metadata.settings.salonName ?? "", "today": Dates.today(), "copy": copy,
            "purposeLabels": View.purposeLabels(call.language),
        ])
    }

    /// Erases after the customer's name was typed to confirm, then hands
    /// back the receipt. Staff are refused before anything is read.
    static func erase(_ call: inout Call) throws -> Response {
        let open = try call.open()
        try open.vault.requireOwner(to: Message("role.do.erase"))
        let (id, _) = try Customers.customer(call, open)
        guard try open.vault.nameConfirms(call.form["confirm"] ?? "", for: id) else {
            throw APIError.fields(["confirm": call.text("web.erase.mismatch")])
        }
        guard let reason = call.form["reason"] else { throw APIError.fields(["reason": call.text("web.erase.reason_needed")]) }
        let r = try open.vault.erase([id], reason: reason)
        try open.refresh(force: true)
        return Reply.json([
            "erasure": r.figures.erasure, "date": r.date, "person": r.person, "reason": r.reason,
            "records": r.records.map(\.hex), "commitsRewritten": r.figures.commitsRewritten,
            "objectsRemoved": r.figures.objectsRemoved, "objectsScanned": r.figures.objectsScanned,
            "remnants": r.figures.remnantsFound, "verified": r.verified,
        ])
    }

    static func backup(_ call: inout Call) throws -> Response {
        _ = try call.open()
        let remotes = try LockedVault.open(at: call.desk.vaultPath).remoteStatuses()
        return Reply.json(["remotes": remotes.map { r in
            ["name": r.name, "url": r.url, "autoPush": r.autoPush, "lastPush": r.lastPush ?? "",
             "ahead": r.ahead as Any, "rewritten": r.rewrittenSince, "failure": r.autoPushFailure ?? ""]
        }])
    }

    static func push(_ call: inout Call) throws -> Response {
        _ = try call.open()
        let locked = try LockedVault.open(at: call.desk.vaultPath)
        let report = try locked.push(remote: try call.form["remote"] ?? locked.defaultRemote(),
                                     settings: .fromEnvironment())
        return Reply.json([
            "remote": report.remote, "pushed": report.pushed.count, "forced": report.forced.map(\.ref),
            "remnants": report.remotePurged?.remnantsFound as Any,
        ])
    }

    /// A time as the salon reads it: local, to the minute (the one
    /// formatter of times for people).
    static func local(_ date: Date) -> String { LocalTime.text(date) }
}
