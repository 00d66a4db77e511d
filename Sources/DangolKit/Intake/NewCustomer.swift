import DangolText
import Foundation

extension Vault {
    /// `dangol add` without flags, and `add` in the shell: the new customer's
    /// fields asked one by one, each checked as it is typed. Personal data
    /// comes through the terminal, never through argv, where every user of
    /// the machine can read it and shell history keeps it on disk. Nil when
    /// the person cancelled.
    public func askCustomer(_ asker: Asking, today: String = Dates.today()) throws -> Customer? {
        let extra = extraFields
        let t = { (key: String) in Catalogue.text(key) }
        let questions = [
            Question(key: "name", label: t("field.name"), prompt: t("prompt.name"), required: true),
            Question(key: "phone", label: t("field.phone"), prompt: t("prompt.phone"), tidy: { Phone.normalize($0) ?? $0 }),
            Question(key: "email", label: t("field.email"), prompt: t("prompt.email"), skip: { $0["phone"] != nil },
                     emptyGoesBack: ("phone", t("prompt.need_contact"))),
            Question(key: "birthday", label: t("field.birthday"), prompt: t("prompt.birthday")),
            Question(key: "allergies", label: t("field.allergies"), prompt: t("prompt.allergies"), kind: .list),
            Question(key: "note", label: t("field.note"), prompt: t("prompt.note")),
        ] + extra.sorted().map { Question(key: $0, label: $0, prompt: Catalogue.text("prompt.extra", ["field": $0])) }
        var interview = Interview(asker: asker, questions: questions) { answers, field in
            if let problem = Schema.problem(customer: answers, field: field, extraFields: extra, today: today) {
                return problem
            }
            guard field == "birthday", let typed = answers["birthday"] as? String else { return nil }
            var probe = Customer(name: Schema.standInName, phone: nil, created: today)
            probe.birthday = Birthday.normalized(typed)
            do { try self.refuseUnkeptYear(probe, before: nil) } catch let f as ValidationFailure { return f } catch { return nil }
            return nil
        }
        let phones = PhoneHolders(vault: self)
        interview.accept = { key, answers in
            guard key == "phone", let typed = answers["phone"] as? String, let phone = Phone.normalize(typed) else {
                return true
            }
            let holders = try phones.holding(phone)
            guard !holders.isEmpty else { return true }
            asker.tell(Catalogue.text("prompt.phone_taken", ["ids": holders.map(\.short).joined(separator: ", ")]))
            return Interview.isYes(try asker.ask(t("prompt.phone_taken_confirm")))
        }
        asker.tell(t("prompt.new_customer"))
        return try interview.run { answers in
            try Schema.decode(Array(try JSONSerialization.data(withJSONObject: answers)), extraFields: extra, today: today)
        }
    }

    /// `dangol add --json -`: one record as a script gives it, through the
    /// same checks as every write.
    public func addJSON(_ bytes: [UInt8]) throws -> RecordID {
        try add(try Schema.decode(bytes, extraFields: extraFields))
    }
}

/// Which customers already have a phone number, from the index (built once,
/// on the first number asked about). The lookup shows the person that those
/// records exist, so it is written to the access log like a search.
final class PhoneHolders {
    let vault: Vault
    private var index: SearchIndex?

    init(vault: Vault) { self.vault = vault }

    func holding(_ phone: String) throws -> [RecordID] {
        let index = try self.index ?? vault.index().index
        self.index = index
        let ids = index.search(try Query.parse(Phone.digits(phone))).filter { $0.customer.phone == phone }.map(\.id)
        if !ids.isEmpty { try vault.audit("search", records: ids) }
        return ids
    }
}
