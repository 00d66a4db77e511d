import DangolText
import Foundation

/// How long a customer's yes counts. Advertising sent by text message needs
/// the recipient's consent, and the sender must confirm it every two years
/// from the day it was given (정보통신망법 제50조 제8항, 시행령 제62조의3):
/// a yes older than that no longer counts until the customer confirms it
/// again, which `dangol consent ID marketing_sms=yes` records.
public enum ConsentPolicy {
    /// Purposes whose consent must be confirmed again, after this many months.
    public static let renewalMonths: [String: Int] = ["marketing_sms": 24]

    /// What a birthday offer needs: the birthday itself (birthday_coupon) and,
    /// because the coupon goes out by text message, consent to advertising.
    public static let birthdayOffer = ["birthday_coupon", "marketing_sms"]

    /// The day a yes given or confirmed on `date` stops counting, or nil for
    /// a purpose whose consent does not lapse.
    public static func lapse(_ purpose: String, confirmed date: String) -> String? {
        guard let months = renewalMonths[purpose], let day = Dates.parse(date),
              let end = Calendar.gregorianHere.date(byAdding: DateComponents(month: months), to: day)
        else { return nil }
        return Dates.format(end)
    }
}

extension Calendar {
    /// Gregorian in this machine's time zone: the salon's calendar.
    static var gregorianHere: Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone.current
        return cal
    }
}

extension Customer {
    /// The customer's latest answer for a purpose.
    public func latestConsent(_ purpose: String) -> ConsentEvent? { consents.last { $0.purpose == purpose } }

    /// Whether consent to `purpose` counts on `today`: the latest answer is
    /// yes and, for a purpose that must be confirmed again, it has not lapsed.
    public func consents(to purpose: String, on today: String = Dates.today()) -> Bool {
        guard let last = latestConsent(purpose), last.granted else { return false }
        return ConsentPolicy.lapse(purpose, confirmed: last.date).map { today < $0 } ?? true
    }

    /// The day the customer's yes to `purpose` lapses unless confirmed again
    /// (nil when the latest answer is no, or the purpose does not lapse).
    public func consentLapse(_ purpose: String) -> String? {
        guard let last = latestConsent(purpose), last.granted else { return nil }
        return ConsentPolicy.lapse(purpose, confirmed: last.date)
    }
}

/// A customer whose consent must be confirmed again soon, or has lapsed.
public struct ConsentDue: Sendable {
    public let id: RecordID
    public let customer: Customer
    public let purpose: String
    /// When the customer last said yes.
    public let confirmed: String
    /// The day the yes stops counting: the salon must have asked by then.
    public let due: String
    public var lapsed: Bool { due <= Dates.today() }
}

extension Vault {
    /// Customers whose yes to a renewable purpose lapses within `days` of
    /// `today`, or already has, soonest first: whom to ask again.
    public func consentsDue(within days: Int, today: String = Dates.today()) throws
        -> (due: [ConsentDue], failures: [VaultError])
    {
        let until = DayKey.before(today, months: 0, days: -days)
        let (records, failures) = try readAll()
        var out = [ConsentDue]()
        for (id, c) in records {
            for purpose in ConsentPolicy.renewalMonths.keys.sorted() {
                guard let last = c.latestConsent(purpose), last.granted, let due = c.consentLapse(purpose),
                      (DayKey.of(due) ?? .max) <= until
                else { continue }
                out.append(ConsentDue(id: id, customer: c, purpose: purpose, confirmed: last.date, due: due))
            }
        }
        return (out.sorted { ($0.due, $0.customer.name) < ($1.due, $1.customer.name) }, failures)
    }
}
