import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.import"), discussion: Catalogue.text("help.import.more"))

    @Argument(help: help("help.import.file")) var file: String
    @Option(help: help("help.import.format")) var format: String?
    @Option(help: help("help.import.encoding")) var encoding = "utf-8"
    @Option(help: help("help.import.map")) var map: String?
    @Flag(help: help("help.import.skip_bad")) var skipBad = false
    @Flag(help: help("help.import.dry_run")) var dryRun = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if let format, ImportFormat(rawValue: format) == nil { throw ValidationError(Catalogue.text("usage.import.format")) }
        if TextEncoding(rawValue: encoding.lowercased()) == nil {
            throw ValidationError(Catalogue.text("usage.import.encoding"))
        }
    }

    func run() throws {
        let path = absolutePath(file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VaultError.notFound(Message("file.cannot_read", ["path": path]))
        }
        let fmt = format.flatMap(ImportFormat.init(rawValue:)) ?? (path.hasSuffix(".jsonl") ? .jsonl : .csv)
        let opts = ImportOptions(format: fmt, encoding: TextEncoding(rawValue: encoding.lowercased())!,  // validated
                                 mapping: try ColumnMap.parseOverrides(map), skipBad: skipBad, dryRun: dryRun)
        let vault = try options.unlock()
        try vault.requireOwner(to: Message("role.do.import"))
        let tty = isatty(2) == 1
        let report = try vault.importCustomers(Array(data), options: opts) { done, total in
            if tty {
                let line = Catalogue.text("import.progress", ["done": arg(done), "total": arg(total)])
                FileHandle.standardError.write(Data("\r\(line)".utf8))
            }
        }
        if tty { FileHandle.standardError.write(Data("\n".utf8)) }
        for r in report.rejected {
            Report.line("skipped", Message("import.bad_line", ["line": arg(r.line)], parts: ["problem": r.problem]))
        }
        if report.birthYearsDropped > 0 {
            Report.line("note", Message("import.birth_years_dropped", ["n": arg(report.birthYearsDropped)],
                                        count: report.birthYearsDropped))
        }
        if dryRun {
            say(Message(report.rejected.isEmpty ? "import.dry_run_all_valid" : "import.dry_run_checked"))
        } else {
            say(Message("import.done", ["n": arg(report.imported), "skipped": arg(report.rejected.count)],
                        count: report.imported))
        }
    }
}
