import ArgumentParser
import DangolKit

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every customer.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let (records, failures) = try vault.readAll()
        for f in failures { Report.line("error", "\(f)") }
        let sorted = records.sorted { ($0.customer.name, $0.id) < ($1.customer.name, $1.id) }
        try Results.print(sorted, json: output.json, reveal: output.reveal)
        if !output.json { print("\(records.count) customers") }
        if !failures.isEmpty { throw VaultError.integrity(file: "\(failures.count) record files", reason: "could not be read") }
    }
}
