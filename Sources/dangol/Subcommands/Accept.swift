import ArgumentParser
import DangolKit
import DangolText
import Foundation

/// The two ways out of a vault whose head was committed outside dangol.
struct Accept: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Keep commits made outside dangol (owner only), after looking at them.",
        discussion: """
            dangol changes nothing on a head it did not make (a commit made with plain git: its sealed summary
            does not open). Look at it first (git show COMMIT; dangol check --history lists them all), then name
            the newest one: it and every one under it down to the last commit dangol made are kept, listed in an
            accept commit and in the access log. A dangol.json they changed goes back to what dangol last wrote
            (settings change only through dangol settings). dangol reject goes back instead.
            """)

    @Argument(help: "The vault's head, as git names it (7 or more hex digits).") var commit: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let r = try options.unlock(tolerateTampering: true).accept(commit)
        OutsidePrinter.list(r)
        if r.settingsRestored { Report.line("note", Catalogue.text("accept.settings_restored")) }
        print(Catalogue.text("accept.done", ["n": String(r.commits.count)], count: r.commits.count))
    }
}

struct Reject: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Go back to the last commit dangol made (owner only), setting aside commits made outside it.",
        discussion: """
            The branch moves back to the newest commit dangol made. The commits above it are not deleted: they
            stay under refs/dangol/rejected/ (never pushed) for git to show; --drop deletes them and every object
            only they held, as happens anyway when they put back an erased customer. The access log records it.
            """)

    @Flag(help: "Delete the commits instead of keeping them (an erased customer put back must go).") var drop = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let r = try options.unlock(tolerateTampering: true).reject(drop: drop)
        OutsidePrinter.list(r)
        if let kept = r.keptAt {
            print(Catalogue.text("reject.done", ["commit": String(r.lastGood.prefix(12)), "ref": kept]))
        } else {
            print(Catalogue.text("reject.dropped", ["commit": String(r.lastGood.prefix(12)), "n": String(r.objectsRemoved)]))
        }
        for id in r.erasedPutBack { Report.line("note", Catalogue.text("reject.erased_dropped", ["id": id.hex])) }
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
