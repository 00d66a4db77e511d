import ArgumentParser
import DangolKit
import Foundation

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: Catalogue.text("help.show"))

    @Argument(help: help("help.arg.customer")) var customer: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.checkReveal(output.reveal)
        let id: RecordID
        do { id = try vault.resolve(customer) } catch VaultError.ambiguous(let q, let ids) {
            try Candidates.print(ids, vault: vault, reveal: output.reveal)
            throw VaultError.ambiguous(query: q, candidates: ids)
        }
        try vault.audit("show", records: [id])
        var c = vault.forDisplay(try vault.read(id))
        if output.json {
            if !output.reveal { c.phone = c.phone.map(Phone.masked) }
            return try JSONOut.print(JSONRecord(id: id, customer: c))
        }
        print(Card.render(c, id: id, reveal: output.reveal))
    }
}

/// Lists the customers an ambiguous query matched, so the user can pick one.
enum Candidates {
    static func print(_ ids: [RecordID], vault: Vault, reveal: Bool) throws {
        try vault.audit("search", records: Array(ids.prefix(20)))
        let rows = try ids.prefix(20).map { id -> [String] in
            let c = try vault.read(id)
            return [id.short, c.name, phoneText(c, reveal: reveal), c.lastVisit ?? "-"]
        }
        let table = Table.render(header: columns("column.id", "column.name", "column.phone", "column.last_visit"), rows: rows)
        FileHandle.standardError.write(Data((table + "\n").utf8))
    }
}
