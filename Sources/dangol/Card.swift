import DangolKit
import DangolText
import Foundation

/// A customer's whole card, as `dangol show` and the shell print it.
/// Allergies and past reactions come first: they are what must not be
/// missed before mixing a colour. Visits are listed newest first.
enum Card {
    static func render(_ c: Customer, id: RecordID, reveal: Bool) -> String {
        let t = { (key: String) in Catalogue.text(key) }
        var out = [String]()
        if !c.allergies.isEmpty {
            out.append(Catalogue.text("prompt.allergy_warning", ["allergies": c.allergies.joined(separator: ", ")]))
        }
        for v in c.visits.sorted(by: { $0.date > $1.date }) {
            guard let r = v.reaction else { continue }
            out.append(Catalogue.text("card.reaction_warning", ["date": v.date, "reaction": r]))
        }
        var rows: [[String]] = [["id", id.hex], [t("field.name"), c.name], [t("field.phone"), phoneText(c, reveal: reveal)]]
        if let e = c.email { rows.append([t("field.email"), e]) }
        if let b = c.birthday { rows.append([t("field.birthday"), b]) }
        if let n = c.note { rows.append([t("field.note"), n]) }
        for (k, v) in c.extra.sorted(by: { $0.key < $1.key }) { rows.append([k, v]) }
        rows.append([t("card.since"), c.created])
        let consents = ConsentEvent.purposes.compactMap { p -> String? in
            guard let last = c.consents.last(where: { $0.purpose == p }) else { return nil }
            return Catalogue.text(last.granted ? "card.consent_yes" : "card.consent_no",
                                  ["purpose": Catalogue.text("purpose.\(p)"), "date": last.date])
        }
        if !consents.isEmpty { rows.append([t("card.consents"), consents.joined(separator: " · ")]) }
        out.append(Table.render(header: ["", ""], rows: rows).split(separator: "\n").dropFirst().joined(separator: "\n"))
        guard !c.visits.isEmpty else { return out.joined(separator: "\n") }
        out.append("\n" + Catalogue.text("card.visits", ["n": arg(c.visits.count)], count: c.visits.count))
        let visitRows = c.visits.sorted(by: { $0.date > $1.date }).map { v in
            [v.date, v.services.joined(separator: ", "), v.formula ?? "", v.price.map(won) ?? "", v.stylist ?? "",
             [v.note, v.reaction.map { Catalogue.text("card.reaction", ["reaction": $0]) }].compactMap { $0 }
                .joined(separator: "; ")]
        }
        out.append(Table.render(header: ["date", "services", "formula", "price", "stylist", "note"].map { t("field.\($0)") },
                                rows: visitRows))
        return out.joined(separator: "\n")
    }
}
