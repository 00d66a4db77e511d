import DangolTemplates
import DangolText
import Foundation
import Mustache

/// The privacy notice the salon shows its customers (개인정보 처리방침,
/// 개인정보 보호법 제30조; GDPR art. 13): what is collected, why, for how long,
/// who sees it, and how to ask for a copy or an erasure. It is filled from
/// the vault's real settings, so it cannot promise a retention period or a
/// staff rule the vault does not keep. The wording lives in the vault's
/// templates (privacy-LANG.md.mustache), which the owner may adapt.
extension Vault {
    public func privacyNotice(language: Language, date: String = Dates.today()) throws -> String {
        let s = metadata.settings
        guard let salon = s.salonName, let contact = s.salonContact else {
            throw VaultError.usage(Message("notice.needs_salon"))
        }
        let name = "templates/privacy-\(language.rawValue).md.mustache"
        // Vaults made before the notice existed read the built-in layout.
        guard let bytes = try vaultFile(name) ?? Templates.named(String(name.dropFirst("templates/".count))) else {
            throw VaultError.notFound(Message("notice.no_template", ["file": name]))
        }
        let template: MustacheTemplate
        do { template = try MustacheTemplate(string: String(decoding: bytes, as: UTF8.self)) } catch {
            throw VaultError.invalidInput(Message("notice.bad_template", ["file": name, "error": "\(error)"]))
        }
        let texts = try consentTexts(language: language.rawValue)
        let people = try self.people()
        let staff = people.filter { $0.role == .staff }.count
        var context: [String: Any] = [
            "salon": salon, "contact": contact, "date": date,
            "owner": people.first { $0.role == .owner }?.name ?? person.name,
            "retention": retentionPeriod.words(language), "audit_years": String(auditKeepYears),
            "birthday": Catalogue.text(keepsBirthdayYear ? "notice.birthday_with_year" : "notice.birthday",
                                       language: language),
            "extra_fields": extraFields.sorted(),
            "purposes": ConsentEvent.purposes.compactMap { p -> [String: String]? in
                guard let text = texts.purposes[p] else { return nil }
                return ["title": Catalogue.text("consent.purpose.\(p)", language: language), "text": text,
                        "version": texts.version]
            },
            "staff_sees_contacts": s.staffSeesContacts == true,
            "answer_days": String(SubjectRequest.answerDays),
        ]
        if staff > 0 { context["staff"] = String(staff) }
        return template.render(context)
    }
}

extension RetentionPeriod {
    /// "3년", "18 months": the period as a person reads it.
    public func words(_ language: Language = .current) -> String {
        if days == 0 && months % 12 == 0 {
            return Catalogue.text("period.years", ["n": arg(months / 12)], count: months / 12, language: language)
        }
        if days == 0 { return Catalogue.text("period.months", ["n": arg(months)], count: months, language: language) }
        if months == 0 { return Catalogue.text("period.days", ["n": arg(days)], count: days, language: language) }
        return Catalogue.text("period.months", ["n": arg(months)], count: months, language: language) + " "
            + Catalogue.text("period.days", ["n": arg(days)], count: days, language: language)
    }
}
