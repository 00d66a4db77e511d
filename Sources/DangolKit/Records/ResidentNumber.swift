import DangolText
import Foundation

/// Korea's Personal Information Protection Act (개인정보 보호법, art. 24-2)
/// forbids collecting resident registration numbers (주민등록번호) without a
/// legal basis a salon does not have. Any field holding one is refused.
public enum ResidentNumber {
    // YYMMDD, optional dash or space, then a gender/century digit 1-8 and six digits.
    private static let pattern = try! NSRegularExpression(  // swift-format-ignore: a constant, valid pattern
        pattern: "(?<![0-9])[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[ .\\-\u{2010}-\u{2015}\u{2212}]?[1-8][0-9]{6}(?![0-9])")

    public static func contains(_ text: String) -> Bool {
        // Full-width digits (０-９) are read as ASCII digits first.
        let folded = text.applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? text
        return pattern.firstMatch(in: folded, range: NSRange(folded.startIndex..., in: folded)) != nil
    }

    static func refuse(in c: Customer) throws {
        var fields: [(String, String?)] = [
            ("name", c.name), ("phone", c.phone), ("email", c.email), ("note", c.note),
        ]
        for (i, a) in c.allergies.enumerated() { fields.append(("allergies[\(i)]", a)) }
        for (k, v) in c.extra { fields.append((k, v)) }
        for (i, v) in c.visits.enumerated() {
            fields += [("visits[\(i)].note", v.note), ("visits[\(i)].formula", v.formula),
                       ("visits[\(i)].reaction", v.reaction), ("visits[\(i)].stylist", v.stylist)]
            for (j, s) in v.services.enumerated() { fields.append(("visits[\(i)].services[\(j)]", s)) }
        }
        for (path, value) in fields {
            if let value, contains(value) {
                throw ValidationFailure(path: path, problem: Message("schema.resident_number"))

            }
        }
    }
}
