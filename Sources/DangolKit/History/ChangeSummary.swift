/// Describes what changed in a record in words, field by field, without
/// values: "phone changed, visit added". Shown by `dangol log`, stored only
/// encrypted.
public enum ChangeSummary {
    public static func describe(old: Customer?, new: Customer?) -> String {
        guard let new else { return "customer removed" }
        guard let old else { return "new customer" }
        var parts = [String]()
        func field(_ name: String, _ a: String?, _ b: String?) {
            if a == b { return }
            parts.append(a == nil ? "\(name) set" : b == nil ? "\(name) removed" : "\(name) changed")
        }
        field("name", old.name, new.name)
        field("phone", old.phone, new.phone)
        field("email", old.email, new.email)
        field("birthday", old.birthday, new.birthday)
        field("note", old.note, new.note)
        if old.allergies != new.allergies { parts.append("allergies changed") }
        let added = new.visits.count - old.visits.count
        if added > 0 && Array(new.visits.prefix(old.visits.count)) == old.visits {
            parts.append(added == 1 ? "visit added" : "\(added) visits added")
        } else if old.visits != new.visits {
            parts.append("visits changed")
        }
        if old.consents != new.consents { parts.append("consent changed") }
        for key in Set(old.extra.keys).union(new.extra.keys).sorted() { field(key, old.extra[key], new.extra[key]) }
        return parts.isEmpty ? "no change" : parts.joined(separator: ", ")
    }
}
