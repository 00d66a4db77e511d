import DangolText
import Foundation

/// The vault's settings, in dangol.json: changed by the owner only, each
/// change a commit of its own (and an access-log entry).
extension Vault {
    public static let settingNames = [
        "retention_days", "audit_keep_years", "opening_hours", "staff_sees_contacts", "salon_name", "salon_contact",
    ]

    /// Every setting and its value, as text.
    public var settings: [(name: String, value: String)] {
        let s = metadata.settings
        return [
            ("retention_days", String(s.retentionDays)),
            ("audit_keep_years", String(auditKeepYears)),
            ("opening_hours", openingHours.text),
            ("staff_sees_contacts", s.staffSeesContacts == true ? "yes" : "no"),
            ("salon_name", s.salonName ?? ""),
            ("salon_contact", s.salonContact ?? ""),
        ]
    }

    /// At least two years, as the law asks of an access log.
    public var auditKeepYears: Int { max(2, metadata.settings.auditKeepYears ?? 2) }

    public var openingHours: OpeningHours {
        metadata.settings.openingHours.flatMap(OpeningHours.init(text:)) ?? OpeningHours(open: 10 * 60, close: 20 * 60)
    }

    /// Sets `name=value` pairs in one commit.
    public func changeSettings(_ pairs: [(name: String, value: String)]) throws {
        try requireOwner(to: Message("role.do.change_settings"))
        var meta = metadata
        for (name, value) in pairs {
            switch name {
            case "retention_days":
                guard let days = Int(value), days >= 30, days <= 100 * 365 else {
                    throw VaultError.usage(Message("settings.retention_days"))
                }
                meta.settings.retentionDays = days
            case "audit_keep_years":
                // The period only grows: shortening it would promise less than
                // the entries already written were kept for.
                guard let years = Int(value), years >= auditKeepYears, years <= 100 else {
                    throw VaultError.usage(Message("settings.audit_keep_years", ["minimum": arg(auditKeepYears)]))
                }
                meta.settings.auditKeepYears = years
            case "opening_hours":
                guard let hours = OpeningHours(text: value) else {
                    throw VaultError.usage(Message("settings.opening_hours"))
                }
                meta.settings.openingHours = hours.text
            case "staff_sees_contacts":
                guard let yes = ["yes": true, "no": false][value.lowercased()] else {
                    throw VaultError.usage(Message("settings.staff_sees_contacts"))
                }
                meta.settings.staffSeesContacts = yes
            case "salon_name", "salon_contact":
                let text = value.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
                guard (1...100).contains(text.count), !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
                else { throw VaultError.usage(Message("settings.salon_text", ["name": name])) }
                if name == "salon_name" { meta.settings.salonName = text } else { meta.settings.salonContact = text }
            default:
                throw VaultError.usage(
                    Message("settings.unknown", ["name": name, "settings": Self.settingNames.joined(separator: ", ")]))
            }
        }
        try commitFiles(
            operation: "settings", files: [VaultMetadata.fileName: try meta.encoded(key: key)],
            summary: ChangeSummary(event: .settingsChanged, about: pairs.map(\.name)))
    }
}

/// Opening hours in minutes after midnight, local time.
public struct OpeningHours: Equatable, Sendable {
    public var open: Int
    public var close: Int

    public init(open: Int, close: Int) {
        self.open = open
        self.close = close
    }

    public init?(text: String) {
        let parts = text.split(separator: "-")
        func minutes(_ s: Substring) -> Int? {
            let hm = s.split(separator: ":")
            guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m),
                h * 60 + m <= 24 * 60
            else { return nil }
            return h * 60 + m
        }
        guard parts.count == 2, let o = minutes(parts[0]), let c = minutes(parts[1]), o < c else { return nil }
        self.init(open: o, close: c)
    }

    public var text: String { String(format: "%02d:%02d-%02d:%02d", open / 60, open % 60, close / 60, close % 60) }

    /// Whether a moment falls inside the hours, in this machine's time zone.
    public func contains(_ date: Date, calendar: Calendar = .current) -> Bool {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        let m = (c.hour ?? 0) * 60 + (c.minute ?? 0)
        return m >= open && m < close
    }
}
