import DangolText
import Foundation

/// The record operations the CLI offers, each one commit.
extension Vault {
    /// Adds a new customer and returns its fresh random id.
    public func add(_ customer: Customer) throws -> RecordID {
        let id = RecordID.random()
        try change(operation: "add") { tx in
            try tx.put(customer, id: id)
        }
        return id
    }

    /// Appends a visit to a customer's history.
    public func addVisit(_ visit: Visit, to id: RecordID) throws {
        try change(operation: "visit") { tx in
            var c = try tx.read(id)
            c.visits.append(visit)
            try tx.put(c, id: id)
        }
    }

    /// The fields `set` can change, and how a text value maps to each.
    public static let settableFields = ["name", "phone", "email", "birthday", "note", "allergies"]

    /// Applies FIELD=VALUE assignments; an empty value clears an optional field.
    /// Returns false when the record already had those values (no commit).
    @discardableResult
    public func set(_ assignments: [(field: String, value: String)], on id: RecordID) throws -> Bool {
        let commit = try change(operation: "set") { tx in
            var c = try tx.read(id)
            for (field, value) in assignments { try Self.apply(field, value, to: &c, extraFields: extraFields) }
            try tx.put(c, id: id)
        }
        return commit != nil
    }

    /// Decrypts and validates every record at the head against the schema.
    public func checkRecords() throws -> (checked: Int, problems: [VaultError], birthdaysWithYear: Int) {
        let (records, failures) = try readAll()
        var problems = failures
        var withYear = 0
        for (id, c) in records {
            if !keepsBirthdayYear, let b = c.birthday, Birthday.hasYear(b) { withYear += 1 }
            var copy = c
            do { try Schema.validate(&copy, extraFields: extraFields) } catch let f as ValidationFailure {
                problems.append(.integrity(file: id.path, reason: Message("check.breaks_schema", parts: ["detail": f.message])))

            }
        }
        return (records.count + failures.count, problems, withYear)
    }

    /// The commit id of the head, for reports.
    public func headID() throws -> String { try head().hex }
}
