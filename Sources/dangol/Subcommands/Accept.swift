import ArgumentParser
import DangolKit
import DangolText
import Foundation

/// The two ways out of a vault whose head was committed outside dangol.
struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.accept"), discussion: Catalogue.text("help.accept.more"))

    @Argument(help: help("help.accept.commit")) var commit: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let r = try options.unlock(tolerateTampering: true).accept(commit)
        OutsidePrinter.list(r)
        if r.settingsRestored { Report.line("note", Message("accept.settings_restored")) }
        say(Message("accept.done", ["n": arg(r.commits.count)], count: r.commits.count))
    }
}

struct Reject: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.reject"), discussion: Catalogue.text("help.reject.more"))

    @Flag(help: help("help.reject.drop")) var drop = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let r = try options.unlock(tolerateTampering: true).reject(drop: drop)
        OutsidePrinter.list(r)
        if let kept = r.keptAt {
            say(Message("reject.done", ["commit": String(r.lastGood.prefix(12)), "ref": kept]))
        } else {
            say(Message("reject.dropped", ["commit": String(r.lastGood.prefix(12)), "n": arg(r.objectsRemoved)]))
        }
        for id in r.erasedPutBack { Report.line("note", Message("reject.erased_dropped", ["id": id.hex])) }
    }
}

enum OutsidePrinter {
    static func list(_ r: OutsideResolution) {
        print(Table.render(
            header: [Catalogue.text("outside.commit"), Catalogue.text("outside.date"),
                     Catalogue.text("outside.author"), Catalogue.text("outside.files")],
            rows: r.commits.map { [String($0.id.prefix(12)), $0.date, $0.author, String($0.changed.count)] }))
    }
}
