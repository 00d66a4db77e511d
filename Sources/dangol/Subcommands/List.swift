import ArgumentParser
import DangolKit

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every customer.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        // The index keeps customers in display order (name, then id) and
        // opens from its encrypted cache.
        let (index, failures) = try vault.index()
        for f in failures { Report.line("error", "\(f)") }
        try vault.audit("list", records: index.all().map(\.id))
        try Results.print(index.all().map { ($0.id, $0.customer) }, json: output.json, reveal: output.reveal)
        if !output.json { print("\(index.count) customers") }
        if !failures.isEmpty { throw VaultError.integrity(file: "\(failures.count) record files", reason: "could not be read") }
    }
}
