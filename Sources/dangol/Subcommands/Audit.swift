import ArgumentParser
import DangolKit
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the access log (owner only): who read or changed which record id, and erasure receipts.")

    @Option(help: "Only entries of this action (show, export, erase, …).") var action: String?
    @Flag(help: "Machine-readable JSON on standard output.") var json = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let entries = try vault.accessLog().filter { action == nil || $0.action == action }
        if json {
            return try JSONOut.print(
                entries.map { e -> [String: Any] in
                    var o: [String: Any] = [
                        "sequence": e.sequence, "time": e.time, "person": e.person, "action": e.action,
                        "records": e.records, "host": e.host,
                    ]
                    if let r = ErasureReceipt(entry: e) { o["receipt"] = r.json }
                    return o
                })
        }
        let rows = entries.map { e in
            [
                String(e.sequence), e.time, e.person, e.action,
                e.records.map { String($0.prefix(8)) }.joined(separator: " "),
                ErasureReceipt(entry: e).map { "\($0.reason) · \($0.figures.remnantsFound) remnants" } ?? "",
            ]
        }
        print(Table.render(header: ["#", "time", "who", "action", "records", "receipt"], rows: rows))
    }
}
