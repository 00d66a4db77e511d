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
            for (purpose, granted) in answers where c.consents(to: purpose) != granted || !c.consents.contains(where: { $0.purpose == purpose }) {
                c.consents.append(ConsentEvent(purpose: purpose, granted: granted, date: date ?? Dates.today(),
                                               textVersion: texts.version))
            }
            try tx.put(c, id: id)
        }
    }

    /// Customers with a birthday in `month` who currently consent to birthday
    /// offers; nobody else is ever on the list.
    public func birthdays(month: Int) throws -> (customers: [(id: RecordID, customer: Customer)], failures: [VaultError]) {
        let (records, failures) = try readAll()
        let mm = String(format: "-%02d-", month)
        let list = records.filter { _, c in
            guard let b = c.birthday, b.dropFirst(4).hasPrefix(mm) else { return false }
            return c.consents(to: "birthday_coupon")
        }.sorted { ($0.customer.birthday!.suffix(5), $0.customer.name) < ($1.customer.birthday!.suffix(5), $1.customer.name) }
        return (list, failures)
    }
}
