import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import customers from CSV or JSONL, all in one commit.",
        discussion: """
            Every row is validated first; bad rows are listed by line number and nothing is imported
            unless --skip-bad. CSV headers may be Korean or English (이름, 휴대폰, 생일, 메모, …);
            --map '휴대폰번호=phone,등급=-' names other columns or drops them (-). Older Korean
            programs export CP949: use --encoding cp949.
            """)

    @Argument(help: "The file to import.") var file: String
    @Option(help: "csv or jsonl (default: from the file name, else csv).") var format: String?
    @Option(help: "utf-8 (default, with or without BOM) or cp949.") var encoding = "utf-8"
    @Option(help: "COLUMN=FIELD pairs, comma-separated; FIELD - drops the column.") var map: String?
    @Flag(help: "Import the valid rows and report the others.") var skipBad = false
    @Flag(help: "Validate only; import nothing.") var dryRun = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let format, ImportFormat(rawValue: format) == nil { throw ValidationError("--format is csv or jsonl") }
        if TextEncoding(rawValue: encoding.lowercased()) == nil { throw ValidationError("--encoding is utf-8 or cp949") }
    }

    func run() throws {
        let path = absolutePath(file)
        guard let data = FileManager.default.contents(atPath: path) else { throw VaultError.notFound("cannot read \(path)") }
        let fmt = format.flatMap(ImportFormat.init(rawValue:)) ?? (path.hasSuffix(".jsonl") ? .jsonl : .csv)
        let opts = ImportOptions(format: fmt, encoding: TextEncoding(rawValue: encoding.lowercased())!,  // validated
                                 mapping: try ColumnMap.parseOverrides(map), skipBad: skipBad, dryRun: dryRun)
        let vault = try options.unlock()
        try vault.requireOwner(to: "import customers")
        let tty = isatty(2) == 1
        let report = try vault.importCustomers(Array(data), options: opts) { done, total in
            if tty { FileHandle.standardError.write(Data("\rimporting \(done)/\(total)".utf8)) }
        }
        if tty { FileHandle.standardError.write(Data("\n".utf8)) }
        for r in report.rejected { Report.line("skipped", "line \(r.line): \(r.problem)") }
        if report.birthYearsDropped > 0 {
            Report.line("note", Catalogue.text("import.birth_years_dropped", ["n": arg(report.birthYearsDropped)],
                                               count: report.birthYearsDropped))
        }
        print(dryRun ? "\(report.rejected.isEmpty ? "all rows are valid" : "valid rows checked"); nothing imported (--dry-run)"
              : "imported \(report.imported) customers (\(report.rejected.count) skipped)")
    }
}
