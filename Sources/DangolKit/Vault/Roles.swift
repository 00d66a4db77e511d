import DangolCrypto
import DangolText
import Foundation

/// What a staff key may do. These limits are kept by this program, not by
/// cryptography: a staff slot wraps the same vault key as the owner's, so a
/// staff member who runs other code on the vault can read and change
/// everything. They stop mistakes and casual overreach, and whatever staff
/// do through dangol is in the access log.
extension Vault {
    public var isOwner: Bool { person.role == .owner }

    /// Refuses, naming what was asked, unless the owner unlocked.
    public func requireOwner(to what: Message) throws {

        guard isOwner else {
            throw VaultError.notAllowed(Message("role.owner_only", ["person": person.name], parts: ["what": what]))
        }
    }

    /// Whether this person sees phone numbers and birthdays in full.
    public var seesContacts: Bool { isOwner || metadata.settings.staffSeesContacts == true }

    /// Refuses --reveal to staff unless the owner allowed it.
    public func checkReveal(_ reveal: Bool) throws {
        if reveal && !seesContacts {
            throw VaultError.notAllowed(Message("role.staff_phones_masked"))
        }
    }

    /// A birthday as this person may see it.
    public func birthdayText(_ birthday: String) -> String {
        seesContacts ? birthday : String(birthday.map { $0.isNumber ? "*" : $0 })
    }
}

extension Vault {
    /// The record as this person may see it: birthday masked for staff
    /// unless the owner allowed it (phones are masked where shown, unless
    /// --reveal, which `checkReveal` refuses to them). For display only:
    /// never written back.
    public func forDisplay(_ c: Customer) -> Customer {
        var c = c
        if !seesContacts { c.birthday = c.birthday.map(birthdayText) }
        return c
    }

    /// What the editor shows: phone and birthday masked for staff.
    func forEditing(_ c: Customer) -> Customer {
        var c = forDisplay(c)
        if !seesContacts { c.phone = c.phone.map(Phone.masked) }
        return c
    }

    /// Puts back what `forEditing` masked, where the person left it masked.
    func unmaskEdited(_ bytes: [UInt8], original: Customer) -> [UInt8] {
        guard !seesContacts, var obj = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            return bytes
        }
        if let p = original.phone, obj["phone"] as? String == Phone.masked(p) { obj["phone"] = p }
        if let b = original.birthday, obj["birthday"] as? String == birthdayText(b) { obj["birthday"] = b }
        return (try? JSONSerialization.data(withJSONObject: obj)).map(Array.init) ?? bytes
    }
}

extension Vault {
    /// A comparison as this person may see it: birthdays masked for staff,
    /// a change of birthday still shown as a change.
    public func forDisplay(_ c: RecordComparison) -> RecordComparison {
        guard !seesContacts else { return c }
        return RecordComparison(
            record: c.record, from: c.from, to: c.to, author: c.author, old: c.old.map(forDisplay),
            new: c.new.map(forDisplay),
            changes: c.changes.map { ch in
                ch.path != "birthday"
                    ? ch
                    : FieldChange(
                        path: ch.path, kind: ch.kind, old: ch.old.map(birthdayText), new: ch.new.map(birthdayText))
            })
    }
}
