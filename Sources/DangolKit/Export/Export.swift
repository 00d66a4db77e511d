import DangolText
import Foundation
import Mustache

/// The copy of everything the salon holds about one customer, for the
/// customer who asks (GDPR art. 15, 개인정보 보호법 제35조): the record, every
/// visit, the consent history and who changed the record when. Rendered from
/// the vault's own templates with swift-mustache, never by concatenation.
public enum ExportFormat: String, CaseIterable, Sendable { case json, md, html }

extension Vault {
    public func export(_ id: RecordID, format: ExportFormat, language: Language = .ko) throws -> String {
        try requireOwner(to: Message("role.do.export"))
        let c = try read(id)
        let history = try log(LogFilter(record: id))
        let context = ExportContext(id: id, customer: c, history: history, language: language)
        // An export hands personal data out of the vault: the access log keeps it.
        try audit("export", records: [id], answering: [.access])
        switch format {
        case .json:
            return try JSONOutput.text(context.json())
        case .md, .html:
            let name = "templates/export.\(format.rawValue).mustache"
            guard let bytes = try vaultFile(name) else { throw VaultError.notFound(Message("vault.no_file", ["file": name])) }
            let template: MustacheTemplate
            do { template = try MustacheTemplate(string: String(decoding: bytes, as: UTF8.self)) } catch {
                throw VaultError.invalidInput(Message("export.bad_template", ["file": name, "detail": "\(error)"]))
            }
            return template.render(context.mustache())
        }
    }
}

/// What the export's layouts are filled with. Labels come from the
/// catalogue (`export.label.*`) in the language the customer reads, so a
/// vault's own copy of the layout only arranges them.
struct ExportContext {
    let id: RecordID
    let customer: Customer
    let history: [LogEntry]
    let language: Language

    static let labelKeys = [
        "exported", "record", "salon_since", "details", "visits", "stylist", "formula", "price", "note", "reaction",
        "consents", "text_version", "history", "none",
    ]

    func label(_ key: String) -> String { Catalogue.text("export.label.\(key)", language: language) }

    func fields() -> [[String: String]] {
        var rows: [(String, String?)] = [
            (label("name"), customer.name), (label("phone"), customer.phone), (label("email"), customer.email),
            (label("birthday"), customer.birthday), (label("note"), customer.note),
            (label("allergies"), customer.allergies.isEmpty ? nil : customer.allergies.joined(separator: ", ")),
        ]
        rows += customer.extra.keys.sorted().map { ($0, customer.extra[$0]) }
        return rows.compactMap { k, v in v.map { ["label": k, "value": $0] } }
    }

    func mustache() -> [String: Any] {
        var labels: [String: String] = [:]
        for k in Self.labelKeys { labels[k] = label(k) }
        return [
            "title": Catalogue.text("export.title", language: language),
            "intro": Catalogue.text("export.intro", language: language),
            "language": language.rawValue, "labels": labels, "exported": Dates.today(), "id": id.hex,
            "customer": ["created": customer.created], "fields": fields(),
            "visits": customer.visits.map { v -> [String: Any] in
                ["date": v.date, "services": v.services.joined(separator: ", "), "stylist": v.stylist ?? false,
                 "formula": v.formula ?? false, "price": v.price.map { Won.text($0, language: language) } ?? false,
                 "note": v.note ?? false, "reaction": v.reaction ?? false]
            },
            "consents": customer.consents.map { e in
                ["date": e.date, "purpose": ConsentEvent.label(e.purpose, language: language),
                 "answer": label(e.granted ? "yes" : "no"), "text_version": e.textVersion]
            },
            // `date` and `author` are what layouts copied into older vaults name.
            "history": history.reversed().map { e in
                let time = LocalTime.text(e.date)
                let summary = e.summary?.text(language) ?? e.operation
                return ["date": time, "time": time, "author": e.author, "person": e.author, "summary": summary]
            },
        ]
    }

    func json() throws -> ExportJSON {
        ExportJSON(
            exported: Dates.today(), id: id.hex, record: try JSONRecord(customer),
            history: history.reversed().map {
                ExportJSON.Change(time: LocalTime.iso($0.date), person: $0.author, summary: $0.summary?.text(language))
            })
    }
}
