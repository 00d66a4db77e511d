import DangolText
import Foundation

extension Vault {
    /// `dangol visit ID` without field flags, and `visit` in the shell: the
    /// visit asked field by field, each answer checked as it is typed. The
    /// customer's allergies and last visit are shown first: they matter for
    /// the colour about to be mixed. Nil when the person cancelled.
    public func askVisit(for id: RecordID, _ asker: Asking, today: String = Dates.today()) throws -> Visit? {
        let c = forDisplay(try read(id))
        try audit("show", records: [id])
        let t = { (key: String) in Catalogue.text(key) }
        asker.tell(Catalogue.text("prompt.new_visit", ["name": c.name, "id": id.short]))
        if !c.allergies.isEmpty {
            asker.tell(Catalogue.text("prompt.allergy_warning", ["allergies": c.allergies.joined(separator: ", ")]))
        }
        if let last = c.visits.max(by: { $0.date < $1.date }) {
            let what = ([last.services.joined(separator: ", ")] + [last.formula].compactMap { $0 }).joined(separator: " · ")
            asker.tell(Catalogue.text("prompt.last_visit", ["date": last.date, "what": what]))
        }
        let questions = [
            Question(key: "date", label: t("field.date"), prompt: Catalogue.text("prompt.date", ["today": today]),
                     fallback: today),
            Question(key: "services", label: t("field.services"), prompt: t("prompt.services"), kind: .list,
                     required: true),
            Question(key: "formula", label: t("field.formula"), prompt: t("prompt.formula")),
            Question(key: "price", label: t("field.price"), prompt: t("prompt.price"), kind: .won),
            Question(key: "reaction", label: t("field.reaction"), prompt: t("prompt.reaction")),
            Question(key: "note", label: t("field.note"), prompt: t("prompt.visit_note")),
            Question(key: "stylist", label: t("field.stylist"),
                     prompt: Catalogue.text("prompt.stylist", ["name": person.name]), fallback: person.name),
        ]
        var interview = Interview(asker: asker, questions: questions) {
            Schema.problem(visit: $0, field: $1, today: today)
        }
        return try interview.run { answers in try Schema.decodeVisit(answers, today: today) }
    }

    /// `dangol visit ID --json -`: one visit as a script gives it.
    public func addVisitJSON(_ bytes: [UInt8], to id: RecordID) throws {
        try addVisit(try Schema.decodeVisit(bytes, stylist: person.name), to: id)
    }
}
