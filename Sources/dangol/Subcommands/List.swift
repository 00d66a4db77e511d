import ArgumentParser
import DangolKit

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.list"))

    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        // The index keeps customers in display order (name, then id) and
        // opens from its encrypted cache.
        let (index, failures) = try vault.index()
        for f in failures { Report.line("error", f.message) }
        try vault.audit("list", records: index.all().map(\.id))
        try Results.print(index.all().map { ($0.id, $0.customer) }, json: output.json, reveal: output.reveal)
        if !output.json { say(Message("list.count", ["n": arg(index.count)], count: index.count)) }
        if !failures.isEmpty {
            throw VaultError.integrity(file: Catalogue.text("list.files", ["n": arg(failures.count)], count: failures.count),
                                       reason: Message("list.unreadable"))
        }
    }
}
