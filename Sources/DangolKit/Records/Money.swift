import DangolText
import Foundation

/// Prices are whole won: `80,000원` to a Korean reader, `80,000 won` to
/// an English one.
public enum Won {
    public static func text(_ amount: Int, language: Language = .current) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.groupingSeparator = ","
        f.usesGroupingSeparator = true
        let number = f.string(from: NSNumber(value: amount)) ?? "\(amount)"
        return Catalogue.text("money.won", ["amount": number], language: language)
    }
}

extension ConsentEvent {
    /// A purpose as a person reads it (`marketing_sms`: "문자 광고").
    public static func label(_ purpose: String, language: Language = .current) -> String {
        purposes.contains(purpose) ? Catalogue.text("consent.purpose.\(purpose)", language: language) : purpose
    }
}
