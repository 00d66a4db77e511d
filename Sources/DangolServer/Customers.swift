import DangolKit
import DangolText
import Foundation
import HTTPTypes
import Hummingbird

/// Finding a customer, their card, and the forms that change them. Every
/// response that carries a customer's data is written to the access log
/// before it is sent, as the command line logs what it prints; every change
/// is the vault's own operation (one transaction, schema-checked, logged).
enum Customers {
    static let handlers: [String: API.Handler] = [
        "search": search, "card": card, "reveal": reveal, "phone-check": phoneCheck,
        "add": add, "visit": visit, "edit": edit, "consent-text": consentText, "consent": consent,
    ]

    /// Rows a keystroke's search sends; a query that matches more says so.
    static let shown = 20

    /// Results for what is typed so far. One access-log entry per result
    /// set sent, naming every row in it (SECURITY.md §16).
    static func search(_ call: inout Call) throws -> Response {
        let open = try call.open()
        guard let q = call.form["q"] else { return Reply.json(["rows": [Any]()]) }
        let query: Query
        // As this person may ask it: a staff member who sees numbers masked
        // matches the last four digits or the whole number only.
        do { query = try open.vault.query(q) } catch let e as VaultError {
            // Half-typed filters ("visited:") are normal while typing.
            return Reply.json(["rows": [Any](), "problem": e.description])
        }
        try open.refresh()
        let hits = open.index.search(query, limit: shown + 1)
        let rows = Array(hits.prefix(shown))
        if !rows.isEmpty { try open.vault.audit("search", records: rows.map(\.id)) }
        return Reply.json(["rows": rows.map { View.row($0.id, $0.customer) }, "more": hits.count > shown])
    }

    /// The customer, as one result of the index (already decrypted, in
    /// guarded memory), after the index has caught up with the vault.
    static func customer(_ call: Call, _ open: OpenIndex) throws -> (RecordID, Customer) {
        guard let hex = call.form["id"], let id = RecordID(hex: hex) else {
            throw APIError.refused(.notFound, "web.error.not_found")
        }
        try open.refresh()
        guard let hit = open.index.hit(for: id) else { throw APIError.refused(.notFound, "web.error.not_found") }
        return (id, hit.customer)
    }

    static func card(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let (id, c) = try customer(call, open)
        try open.vault.audit("show", records: [id])
        return Reply.json(View.card(id, open.vault.forDisplay(c), vault: open.vault, language: call.language))
    }

    /// The full phone number: a read of its own in the access log.
    static func reveal(_ call: inout Call) throws -> Response {
        let open = try call.open()
        try open.vault.checkReveal(true)
        let (id, c) = try customer(call, open)
        try open.vault.audit("reveal", records: [id])
        return Reply.json(["phone": c.phone ?? ""])
    }

    /// Who else holds this number, said before saving (a family may share
    /// one, so it is pointed out, not refused). Naming them is a read.
    static func phoneCheck(_ call: inout Call) throws -> Response {
        let open = try call.open()
        guard let typed = call.form["phone"], let phone = Phone.normalize(typed) else {
            return Reply.json(["holders": [Any]()])
        }
        try open.refresh()
        let except = call.form["id"].flatMap(RecordID.init(hex:))
        let holders = open.index.search(try Query.parseForVault(phone), limit: shown)
            .filter { $0.id != except && $0.customer.phone == phone }
        if !holders.isEmpty { try open.vault.audit("search", records: holders.map(\.id)) }
        return Reply.json(["holders": holders.map { ["id": $0.id.hex, "name": $0.customer.name] }])
    }

    static func add(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let f = call.form
        var c = Customer(name: f["name"] ?? "", phone: f["phone"], email: f["email"], birthday: f["birthday"],
                         note: f["note"], created: Dates.today())
        c.allergies = list(f["allergies"])
        let id = try open.vault.add(c)
        return Reply.json(["id": id.hex])
    }

    static func visit(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let f = call.form
        let (id, _) = try customer(call, open)
        var price: Int?
        if let text = f["price"] {
            let digits = text.filter { !",원₩ ".contains($0) }
            guard let n = Int(digits) else { throw APIError.fields(["price": call.text("web.invalid.price")]) }
            price = n
        }
        let v = Visit(date: f["date"] ?? Dates.today(), services: f.all("service").flatMap(list),
                      stylist: f["stylist"], formula: f["formula"], price: price, note: f["note"],
                      reaction: f["reaction"])
        try open.vault.addVisit(v, to: id)
        return Reply.json(["id": id.hex])
    }

    /// The fields the form sent, as `dangol set` takes them. The phone and
    /// (for staff) the birthday are shown masked, so they change only when
    /// something new is typed; a blank text field clears it.
    static func edit(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let f = call.form
        let (id, _) = try customer(call, open)
        var changes = [(field: String, value: String)]()
        if f.has("name") { changes.append(("name", f["name"] ?? "")) }
        for name in ["email", "note", "allergies"] where f.has(name) { changes.append((name, f[name] ?? "")) }
        for name in ["phone", "birthday"] { if let v = f[name] { changes.append((name, v)) } }
        try open.vault.set(changes, on: id)
        return Reply.json(["id": id.hex])
    }

    /// The consent text in force, exactly as it will be recorded.
    static func consentText(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let lang = call.form["lang"] == "en" ? "en" : "ko"
        let t = try open.vault.consentTexts(language: lang)
        return Reply.json([
            "version": t.version, "language": t.language,
            "purposes": ConsentEvent.purposes.compactMap { p in
                t.purposes[p].map { ["purpose": p, "label": call.text("consent.purpose.\(p)"), "text": $0] }
            },
        ])
    }

    /// Records the answers given to the text version the page showed; if
    /// the vault's text changed meanwhile, nothing is recorded.
    static func consent(_ call: inout Call) throws -> Response {
        let open = try call.open()
        let f = call.form
        let (id, _) = try customer(call, open)
        let lang = f["lang"] == "en" ? "en" : "ko"
        guard f["version"] == (try open.vault.consentTexts(language: lang)).version else {
            throw APIError.refused(.conflict, "web.consent.changed")
        }
        var answers = [(purpose: String, granted: Bool)]()
        for p in ConsentEvent.purposes {
            switch f["p_\(p)"] {
            case "yes": answers.append((p, true))
            case "no": answers.append((p, false))
            default: break
            }
        }
        guard !answers.isEmpty else { throw APIError.fields(["consent": call.text("web.consent.none")]) }
        try open.vault.recordConsent(answers, for: id, language: lang)
        return Reply.json(["id": id.hex])
    }

    /// "PPD, 니켈" → ["PPD", "니켈"].
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
