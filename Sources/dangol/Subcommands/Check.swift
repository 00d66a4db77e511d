import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the vault: every record decrypts and fits the schema.",
        discussion: """
            Without --history: every record file at the head, and the access log. With --history: every version of
            every record that any branch or tag ever held (each distinct file read once, decrypted on all cores),
            and every commit's encrypted summary; git checks each object's hash as it reads it. Findings are listed
            by record file, with the command that repairs them where there is one. Exit code 5 if anything is wrong.
            """)

    @Flag(help: "Decrypt and validate every version of every record in the whole history.") var history = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let report = try vault.check(history: history, progress: CheckPrinter.progress)
        CheckPrinter.clearProgress()
        if output.json {
            try JSONOut.print(
                [
                    "head": report.head, "commits": report.commits, "records": report.records,
                    "history": history, "findings": report.findings.map(\.json),
                    "birthdays_with_year": report.birthdaysWithYear,
                ] as [String: Any])
        } else {
            CheckPrinter.show(report, history: history)
        }
        if !report.findings.isEmpty {
            throw VaultError.integrity(file: "vault", reason: "\(report.findings.count) problems found (listed above)")
        }
    }
}

enum CheckPrinter {
    /// One self-overwriting line on a terminal; nothing otherwise.
    static func progress(_ done: Int, _ total: Int) {
        guard isatty(2) == 1, total > 0 else { return }
        FileHandle.standardError.write(Data("\rdangol: checking \(done)/\(total) record versions".utf8))
    }

    static func clearProgress() {
        if isatty(2) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func show(_ report: CheckReport, history: Bool) {
        for f in report.findings {
            Report.line("error", "[\(f.kind.rawValue)] \(f)")
            if let repair = f.repair { Report.line("hint", "to repair: \(repair)") }
        }
        let what =
            history
            ? "\(report.records) record versions in \(report.commits) commits"
            : "\(report.records) records at \(report.head.prefix(12))"
        print("\(what) checked: " + (report.findings.isEmpty ? "no problems" : "\(report.findings.count) problems"))
        if report.birthdaysWithYear > 0 {
            Report.line("note", Catalogue.text("cli.check.birthdays_with_year", ["n": arg(report.birthdaysWithYear)],
                                               count: report.birthdaysWithYear))
        }
    }
}
