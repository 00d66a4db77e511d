import Foundation
import Mustache

/// The copy of everything the salon holds about one customer, for the
/// customer who asks (GDPR art. 15, 개인정보 보호법 제35조): the record, every
/// visit, the consent history and who changed the record when. Rendered from
/// the vault's own templates with swift-mustache, never by concatenation.
public enum ExportFormat: String, CaseIterable, Sendable { case json, md, html }

extension Vault {
    public func export(_ id: RecordID, format: ExportFormat, language: String = "ko") throws -> String {
        try requireOwner(to: "export a customer's data")
        let c = try read(id)
        let history = try log(LogFilter(record: id))
        let context = ExportContext(id: id, customer: c, history: history, language: language)
        // An export hands personal data out of the vault: the access log keeps it.
        try audit("export", records: [id], answering: [.access])
        switch format {
        case .json:
            let data = try JSONSerialization.data(withJSONObject: context.json(),
                                                  options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self) + "\n"
        case .md, .html:
            let name = "templates/export.\(format.rawValue).mustache"
            guard let bytes = try vaultFile(name) else { throw VaultError.notFound("the vault has no \(name)") }
            let template: MustacheTemplate
            do { template = try MustacheTemplate(string: String(decoding: bytes, as: UTF8.self)) } catch {
                throw VaultError.invalidInput("\(name) is not a valid mustache template: \(error)")
            }
            return template.render(context.mustache())
        }
    }
}

struct ExportContext {
    let id: RecordID
    let customer: Customer
    let history: [LogEntry]
    let language: String

    var ko: Bool { language == "ko" }

    func label(_ key: String) -> String {
        let table: [String: (String, String)] = [
            "name": ("이름", "Name"), "phone": ("전화번호", "Phone"), "email": ("이메일", "Email"),
            "birthday": ("생일", "Birthday"), "note": ("메모", "Note"), "allergies": ("알레르기", "Allergies"),
            "exported": ("작성일", "Exported"), "record": ("기록 번호", "Record"), "salon_since": ("첫 등록", "Customer since"),
            "details": ("기본 정보", "Details"), "visits": ("방문 기록", "Visits"), "stylist": ("담당", "Stylist"),
            "formula": ("염모제 배합", "Colour formula"), "price": ("금액", "Price"), "reaction": ("반응", "Reaction"),
            "consents": ("동의 내역", "Consent history"), "text_version": ("동의서", "text"),
            "history": ("변경 이력", "Change history"), "none": ("없음", "None"),
            "yes": ("동의", "given"), "no": ("철회·거부", "withdrawn or refused"),
        ]
        let pair = table[key] ?? (key, key)
        return ko ? pair.0 : pair.1
    }

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
        for k in ["exported", "record", "salon_since", "details", "visits", "stylist", "formula", "price", "note",
                  "reaction", "consents", "text_version", "history", "none"] { labels[k] = label(k) }
        return [
            "title": ko ? "고객님의 개인정보 사본" : "What the salon holds about you",
            "intro": ko ? "미용실이 보관하고 있는 고객님의 모든 정보입니다."
                : "This is everything the salon keeps about you.",
            "language": language, "labels": labels, "exported": Dates.today(), "id": id.hex,
            "customer": ["created": customer.created], "fields": fields(),
            "visits": customer.visits.map { v -> [String: Any] in
                ["date": v.date, "services": v.services.joined(separator: ", "), "stylist": v.stylist ?? false,
                 "formula": v.formula ?? false, "price": v.price.map { "\($0)원" } ?? false, "note": v.note ?? false,
                 "reaction": v.reaction ?? false]
            },
            "consents": customer.consents.map { e in
                ["date": e.date, "purpose": e.purpose, "answer": label(e.granted ? "yes" : "no"),
                 "text_version": e.textVersion]
            },
            "history": history.reversed().map { e in
                ["date": e.isoDate, "author": e.author, "summary": e.summary ?? e.operation]
            },
        ]
    }

    func json() throws -> [String: Any] {
        let record = try JSONSerialization.jsonObject(with: Data(try customer.encoded()))
        return [
            "exported": Dates.today(), "id": id.hex, "record": record,
            "history": history.reversed().map { ["date": $0.isoDate, "author": $0.author, "summary": $0.summary as Any] },
        ]
    }
}
