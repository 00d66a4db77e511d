import DangolKit
import Foundation

/// A customer's whole card, as `dangol show` and the shell print it.
/// Allergies and past reactions come first: they are what must not be
/// missed before mixing a colour. Visits are listed newest first.
enum Card {
    static func render(_ c: Customer, id: RecordID, reveal: Bool) -> String {
        var out = [String]()
        if !c.allergies.isEmpty {
            out.append(Catalogue.text("prompt.allergy_warning", ["allergies": c.allergies.joined(separator: ", ")]))
        }
        let visits = c.visits.sorted { $0.date > $1.date }
        for v in visits {
            guard let r = v.reaction else { continue }
            out.append(Catalogue.text("card.reaction_warning", ["date": v.date, "reaction": r]))
        }
        var rows: [(key: String, value: String)] = [
            ("column.id", id.hex), ("field.name", c.name), ("field.phone", phoneText(c, reveal: reveal)),
        ]
        if let e = c.email { rows.append(("field.email", e)) }
        if let b = c.birthday { rows.append(("field.birthday", b)) }
        if let n = c.note { rows.append(("field.note", n)) }
        for (k, v) in c.extra.sorted(by: { $0.key < $1.key }) { rows.append((k, v)) }
        rows.append(("show.since", c.created))
        let consents = ConsentEvent.purposes.compactMap { p -> String? in
            guard let last = c.consents.last(where: { $0.purpose == p }) else { return nil }
            return Catalogue.text(last.granted ? "card.consent_yes" : "card.consent_no",
                                  ["purpose": Catalogue.text("consent.purpose.\(p)"), "date": last.date])
        }
        if !consents.isEmpty { rows.append(("field.consents", consents.joined(separator: " · "))) }
        out.append(card(rows))
        guard !visits.isEmpty else { return out.joined(separator: "\n") }
        out.append("\n" + Catalogue.text("card.visits", ["n": arg(visits.count)], count: visits.count))
        let visitRows = visits.map { v in
            [v.date, v.services.joined(separator: ", "), v.formula ?? "", v.price.map { Won.text($0) } ?? "", v.stylist ?? "",
             [v.note, v.reaction.map { Catalogue.text("show.reaction", ["reaction": $0]) }].compactMap { $0 }
                .joined(separator: "; ")]
        }
        out.append(Table.render(header: columns("column.date", "column.services", "column.formula", "column.price",
                                                "column.stylist", "column.note"), rows: visitRows))
        return out.joined(separator: "\n")
    }
}
