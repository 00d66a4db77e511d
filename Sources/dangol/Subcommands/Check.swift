import ArgumentParser
import DangolKit
import DangolText
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.check"), discussion: Catalogue.text("help.check.more"))

    @Flag(help: help("help.check.history")) var history = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock(tolerateTampering: true)
        let report = try vault.check(history: history, progress: CheckPrinter.progress)
        CheckPrinter.clearProgress()
        if output.json {
            try JSONOut.print(CheckJSON(report, history: history))
        } else {
            CheckPrinter.show(report, history: history)
        }
        if !report.findings.isEmpty {
            throw VaultError.integrity(
                file: "vault", reason: Message("check.problems_listed", ["n": arg(report.findings.count)],
                                               count: report.findings.count))
        }
    }
}

enum CheckPrinter {
    /// One self-overwriting line on a terminal; nothing otherwise.
    static func progress(_ done: Int, _ total: Int) {
        guard isatty(2) == 1, total > 0 else { return }
        let line = Catalogue.text("check.progress", ["done": arg(done), "total": arg(total)])
        FileHandle.standardError.write(Data("\rdangol: \(line)".utf8))
    }

    static func clearProgress() {
        if isatty(2) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func show(_ report: CheckReport, history: Bool) {
        for a in report.accepted {
            Report.line("note", Message("check.kind", ["kind": a.kind.rawValue], parts: ["finding": a.message]))
        }
        for f in report.findings {
            Report.line("error", Message("check.kind", ["kind": f.kind.rawValue], parts: ["finding": f.message]))
            if let repair = f.repair { Report.line("hint", Message("check.to_repair", parts: ["repair": repair])) }
        }
        let what =
            history
            ? Message("check.what.history", ["n": arg(report.records), "commits": arg(report.commits)])
            : Message("check.what.head", ["n": arg(report.records), "head": String(report.head.prefix(12))])
        let outcome =
            report.findings.isEmpty
            ? Message("check.no_problems")
            : Message("check.problems", ["n": arg(report.findings.count)], count: report.findings.count)
        say(Message("check.summary", parts: ["what": what, "outcome": outcome]))
        if report.birthdaysWithYear > 0 {
            Report.line("note", Message("cli.check.birthdays_with_year", ["n": arg(report.birthdaysWithYear)],
                                        count: report.birthdaysWithYear))
        }
    }
}
