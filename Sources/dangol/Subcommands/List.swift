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
        if output.json {
            try JSONOut.print(sorted.map { id, c -> [String: Any] in
                ["id": id.hex, "name": c.name, "phone": c.phone.map { output.reveal ? $0 : Phone.masked($0) } as Any,
                 "last_visit": c.lastVisit as Any]
            })
        } else {
            let rows = sorted.map { id, c in [id.short, c.name, phoneText(c, reveal: output.reveal), c.lastVisit ?? "-",
                                              "\(c.visits.count)"] }
            print(Table.render(header: ["id", "name", "phone", "last visit", "visits"], rows: rows))
            print("\(records.count) customers")
        }
        if !failures.isEmpty { throw VaultError.integrity(file: "\(failures.count) record files", reason: "could not be read") }
    }
}
