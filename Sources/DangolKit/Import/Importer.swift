import DangolText
import DangolText
import Foundation

public enum ImportFormat: String, CaseIterable, Sendable { case csv, jsonl }

public struct ImportOptions: Sendable {
    public var format: ImportFormat
    public var encoding: TextEncoding
    public var mapping: [String: String]
    public var skipBad: Bool
    public var dryRun: Bool

    public init(format: ImportFormat, encoding: TextEncoding, mapping: [String: String], skipBad: Bool, dryRun: Bool) {
        self.format = format
        self.encoding = encoding
        self.mapping = mapping
        self.skipBad = skipBad
        self.dryRun = dryRun
    }
}

public struct ImportReport: Sendable {
    public let imported: Int
    /// (line, problem) for each row left out; problems never quote personal data.
    public let rejected: [(line: Int, problem: Message)]
    /// Birthdays that came with a year, kept as month and day only.
    public let birthYearsDropped: Int
}

/// The rows of an import file, validated: what would be imported and what
/// would be left out. Pure (no vault), so the fuzzer drives the same code.
public struct ImportBatch: Sendable {
    public var good = [Customer]()
    /// (line, problem) for each invalid row; problems never quote personal data.
    public var bad = [(line: Int, problem: Message)]()

    /// Decodes, parses and validates `bytes`; throws VaultError.invalidInput
    /// when the file as a whole cannot be read (encoding, quoting, header).
    public init(_ bytes: [UInt8], options: ImportOptions, extraFields: Set<String>, today: String) throws {
        let text = try options.encoding.decode(bytes)
        switch options.format {
        case .csv:
            let rows: [CSV.Row]
            do { rows = try CSV.parse(text) } catch let e as CSV.ParseError { throw VaultError.invalidInput(e.message) }
            guard let header = rows.first else { throw VaultError.invalidInput(Message("import.empty_file")) }
            let map = try ColumnMap(headers: header.fields, overrides: options.mapping, extraFields: extraFields)
            for row in rows.dropFirst() {
                if row.fields.count > header.fields.count {
                    bad.append((row.line, Message("import.too_many_fields",
                                                  ["n": arg(row.fields.count), "header": arg(header.fields.count)])))
                    continue
                }
                check(map.customer(row.fields, today: today), line: row.line, extraFields: extraFields, today: today)
            }
        case .jsonl:
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
                do {
                    good.append(try Schema.decode(Array(line.utf8), extraFields: extraFields, today: today))
                } catch let f as ValidationFailure {
                    bad.append((i + 1, f.message))
                }
            }
        }
    }

    private mutating func check(_ c: Customer, line: Int, extraFields: Set<String>, today: String) {
        var copy = c
        do {
            try Schema.validate(&copy, extraFields: extraFields, today: today)
            good.append(copy)
        } catch let f as ValidationFailure {
            bad.append((line, f.message))
        } catch {
            bad.append((line, .of(error)))
        }
    }
}

extension Vault {
    /// Validates every row first; imports all of them in one commit, or none
    /// (unless `skipBad`, which imports the valid rows and reports the rest).
    public func importCustomers(_ bytes: [UInt8], options: ImportOptions, progress: (Int, Int) -> Void = { _, _ in })
        throws -> ImportReport
    {
        try requireOwner(to: Message("role.do.import"))
        let batch = try ImportBatch(bytes, options: options, extraFields: extraFields, today: Dates.today())
        var (good, bad) = (batch.good, batch.bad)
        if !bad.isEmpty && !options.skipBad {
            let lines = bad.prefix(50).map { Message("import.bad_line", ["line": arg($0.line)], parts: ["problem": $0.problem]) }
            let total = Message("import.rows_invalid", ["n": arg(bad.count), "total": arg(good.count + bad.count)])
            throw VaultError.invalidInput(.list(lines + [total], separator: "\n"))
        }
        if good.isEmpty { throw VaultError.invalidInput(Message("import.nothing")) }
        // Minimal collection: a list that holds birth years comes in with
        // month and day only, unless this vault keeps years on purpose.
        var yearsDropped = 0
        if !keepsBirthdayYear {
            for i in good.indices {
                guard let b = good[i].birthday, Birthday.hasYear(b) else { continue }
                good[i].birthday = Birthday.withoutYear(b)
                yearsDropped += 1
            }
        }
        if options.dryRun { return ImportReport(imported: 0, rejected: bad, birthYearsDropped: yearsDropped) }
        try change(operation: "import") { tx in
            for (i, c) in good.enumerated() {
                try tx.put(c, id: RecordID.random())
                if (i + 1) % 200 == 0 || i + 1 == good.count { progress(i + 1, good.count) }
            }
        }
        return ImportReport(imported: good.count, rejected: bad, birthYearsDropped: yearsDropped)
    }
}
