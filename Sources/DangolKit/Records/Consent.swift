import DangolText
import Foundation

/// The consent texts in force: the vault's own copy of templates/consent-LANG.json.
public struct ConsentTexts: Decodable, Sendable {
    public let version: String
    public let language: String
    public let purposes: [String: String]

    public static let languages = ["ko", "en"]
}

extension Vault {
    public func consentTexts(language: String) throws -> ConsentTexts {
        guard ConsentTexts.languages.contains(language) else {
            throw VaultError.usage(Message("consent.no_language", ["languages": ConsentTexts.languages.joined(separator: ", "),
                                                                   "value": language]))
        }
        let name = "templates/consent-\(language).json"
        guard let bytes = try vaultFile(name) else { throw VaultError.notFound(Message("vault.no_file", ["file": name])) }
        do {
            return try JSONDecoder().decode(ConsentTexts.self, from: Data(bytes))
        } catch {
            throw VaultError.invalidInput(Message("consent.not_texts", ["file": name]))
        }
    }

    /// Records each answer with today's date (or `date`) and the version of
    /// the text the customer was shown. Earlier answers stay: the history is
    /// the proof of when consent was given or withdrawn.
    public func recordConsent(_ answers: [(purpose: String, granted: Bool)], for id: RecordID, language: String,
                              date: String? = nil) throws {
        let texts = try consentTexts(language: language)
        for (purpose, _) in answers where texts.purposes[purpose] == nil {
            throw ValidationFailure(
                path: purpose, problem: Message("consent.not_purpose", ["purposes": ConsentEvent.purposes.joined(separator: ", ")]))

        }
        try change(operation: "consent") { tx in
            var c = try tx.read(id)
            // The same answer on another day, or to another text version, is
            // recorded too: a yes confirmed again renews a consent that lapses.
            for (purpose, granted) in answers {
                let event = ConsentEvent(purpose: purpose, granted: granted, date: date ?? Dates.today(),
                                         textVersion: texts.version)
                if c.latestConsent(purpose) != event { c.consents.append(event) }
            }
            try tx.put(c, id: id)
        }
    }

    /// Customers with a birthday in `month` whose consent to a birthday offer
    /// counts today: to the birthday coupon and to advertising by text
    /// message (not lapsed); nobody else is ever on the list.
    public func birthdays(month: Int, today: String = Dates.today()) throws
        -> (customers: [(id: RecordID, customer: Customer)], failures: [VaultError])
    {
        let (records, failures) = try readAll()
        let list = records.compactMap { id, c -> (md: Int, id: RecordID, customer: Customer)? in
            guard let md = c.birthday.flatMap(Birthday.monthDay), md / 100 == month,
                  ConsentPolicy.birthdayOffer.allSatisfy({ c.consents(to: $0, on: today) })
            else { return nil }
            return (md, id, c)
        }.sorted { ($0.md, $0.customer.name) < ($1.md, $1.customer.name) }
        return (list.map { ($0.id, $0.customer) }, failures)
    }
}
