import DangolKit
import DangolText
import Foundation

/// Customers as the page receives them: phones masked (the full number is
/// a logged reveal of its own), birthdays as the person's role allows.
enum View {
    static func phone(_ c: Customer) -> String { c.phone.map(Phone.masked) ?? "" }

    /// One search result.
    static func row(_ id: RecordID, _ c: Customer) -> [String: Any] {
        ["id": id.hex, "name": c.name, "phone": phone(c), "lastVisit": c.lastVisit ?? "",
         "warn": !c.allergies.isEmpty || c.visits.contains { $0.reaction != nil }]
    }

    static func visit(_ v: Visit) -> [String: Any] {
        ["date": v.date, "services": v.services, "stylist": v.stylist ?? "", "formula": v.formula ?? "",
         "price": v.price as Any, "note": v.note ?? "", "reaction": v.reaction ?? ""]
    }

    /// The card: what nobody may miss first (allergies, reactions), then
    /// the last formula, the visits newest first, the consents.
    static func card(_ id: RecordID, _ c: Customer, vault: Vault, language: Language) -> [String: Any] {
        let visits = c.visits.sorted { $0.date > $1.date }
        let lastFormula = visits.first { $0.formula != nil }
        return [
            "id": id.hex, "name": c.name, "phone": phone(c), "hasPhone": c.phone != nil,
            "canReveal": vault.seesContacts, "email": c.email ?? "", "birthday": c.birthday ?? "",
            "note": c.note ?? "", "created": c.created, "allergies": c.allergies,
            "reactions": visits.compactMap { v in v.reaction.map { ["date": v.date, "text": $0] } },
            "lastFormula": lastFormula.map { ["date": $0.date, "formula": $0.formula ?? ""] } as Any,
            "visits": visits.map(visit),
            "consents": c.consents.reversed().map { e in
                ["purpose": e.purpose, "label": Catalogue.text("consent.purpose.\(e.purpose)", language: language),
                 "granted": e.granted, "date": e.date, "version": e.textVersion]
            },
            "consentNow": ConsentEvent.purposes.map { ["purpose": $0, "yes": c.consents(to: $0)] },
            "extra": c.extra, "purposeLabels": purposeLabels(language),
        ]
    }

    static func purposeLabels(_ language: Language) -> [String: String] {
        Dictionary(uniqueKeysWithValues: ConsentEvent.purposes.map {
            ($0, Catalogue.text("consent.purpose.\($0)", language: language))
        })
    }

    /// A changed field in words: `visits[+1]` is "시술 (+1)", `phone` "전화번호".
    static func field(_ path: String, _ language: Language) -> String {
        let head = String(path.prefix { $0 != "[" && $0 != "." })
        let rest = path.dropFirst(head.count)
        guard Catalogue.entries["web.field.\(head)"] != nil else { return path }
        return Catalogue.text("web.field.\(head)", language: language) + (rest.isEmpty ? "" : " " + rest)
    }

    /// An operation or access-log action in words; one the catalogue does
    /// not know (a newer dangol's) shows as its name.
    static func operation(_ name: String, _ language: Language) -> String {
        let key = name.replacingOccurrences(of: "-", with: "_")
        return Catalogue.entries["web.op.\(key)"] == nil ? name : Catalogue.text("web.op.\(key)", language: language)
    }
}
