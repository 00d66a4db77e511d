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
        var rows: [(key: String, value: String)] = [
            ("column.id", id.hex), ("field.name", c.name), ("field.phone", phoneText(c, reveal: output.reveal)),
        ]
        if let e = c.email { rows.append(("field.email", e)) }
        if let b = c.birthday { rows.append(("field.birthday", b)) }
        if !c.allergies.isEmpty { rows.append(("field.allergies", c.allergies.joined(separator: ", "))) }
        if let n = c.note { rows.append(("field.note", n)) }
        for (k, v) in c.extra.sorted(by: { $0.key < $1.key }) { rows.append((k, v)) }
        rows.append(("show.since", c.created))
        print(card(rows))
        if !c.visits.isEmpty {
            print("\n" + Catalogue.text("field.visits"))
            let visitRows = c.visits.map { v in
                [v.date, v.services.joined(separator: ", "), v.formula ?? "", v.price.map { Won.text($0) } ?? "",
                 [v.note, v.reaction.map { Catalogue.text("show.reaction", ["reaction": $0]) }].compactMap { $0 }
                    .joined(separator: "; ")]
            }
            print(Table.render(header: columns("column.date", "column.services", "column.formula", "column.price",
                                               "column.note"), rows: visitRows))
        }
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
