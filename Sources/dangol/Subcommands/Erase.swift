import ArgumentParser
import DangolKit
import Foundation

struct Erase: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.erase"), discussion: Catalogue.text("help.erase.more"))

    @Argument(help: help("help.erase.customers")) var customers: [String] = []
    @Option(help: help("help.erase.reason")) var reason: String?
    @Flag(help: help("help.erase.yes")) var yes = false
    @Flag(help: help("help.erase.resume")) var resume = false
    @Flag(help: help("help.erase.json")) var json = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if resume && !customers.isEmpty { throw ValidationError(Catalogue.text("usage.erase.resume_alone")) }
        if !resume && customers.isEmpty { throw ValidationError(Catalogue.text("usage.erase.name_customer")) }
        if !resume && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(Catalogue.text("usage.erase.reason"))
        }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: Message("role.do.erase"))
        let progress = ErasePrinter.progress
        var receipts = [ErasureReceipt]()
        if vault.pendingErasure || resume {
            guard let r = try vault.resumeErasure(progress: progress) else {
                throw VaultError.notFound(Message("erase.nothing_to_resume"))
            }
            receipts.append(r)
        }
        // Running the same erase again after a crash finishes it; its customers are then already gone.
        let pending = customers.filter { t in !receipts.contains { $0.records.contains { $0.hex.hasPrefix(t.lowercased()) } } }
        if !pending.isEmpty {
            let ids = try pending.map { token -> RecordID in
                do { return try vault.resolve(token) } catch VaultError.ambiguous(let q, let ids) {
                    try Candidates.print(ids, vault: vault, reveal: false)
                    throw VaultError.ambiguous(query: q, candidates: ids)
                }
            }
            if !yes { try ErasePrinter.confirm(ids, vault: vault) }
            receipts.append(try vault.erase(ids, reason: reason ?? "", progress: progress))
        }
        try ErasePrinter.show(receipts, json: json)
        for r in receipts { try ErasePrinter.check(r) }
    }
}

enum ErasePrinter {
    static func progress(_ line: Message) {
        if isatty(2) == 1 { Report.line("erase", line) }
    }

    /// Asks for each customer's name, typed, before anything is erased.
    static func confirm(_ ids: [RecordID], vault: Vault) throws {
        guard isatty(0) == 1 else { throw VaultError.usage(Message("erase.confirm_needs_terminal")) }
        for id in ids {
            let c = try vault.read(id)
            let question = Catalogue.text(
                "erase.confirm", ["id": id.short, "phone": phoneText(c, reveal: false), "last_visit": c.lastVisit ?? "-"])
            FileHandle.standardError.write(Data((question + "\n" + Catalogue.text("erase.confirm_prompt")).utf8))
            guard try vault.nameConfirms(readLine() ?? "", for: id) else {
                throw VaultError.usage(Message("erase.name_mismatch"))
            }
        }
    }

    /// The receipts as a table each, or as one JSON array.
    static func show(_ receipts: [ErasureReceipt], json: Bool) throws {
        if json { return try JSONOut.print(receipts.map(ReceiptJSON.init)) }
        for r in receipts {
            let f = r.figures
            say(Message(r.resumed ? "erase.receipt.title_resumed" : "erase.receipt.title"))
            print(card([
                ("erase.receipt.erasure", f.erasure), ("erase.receipt.time", LocalTime.text(stored: r.date)),
                ("erase.receipt.by", r.person), ("erase.receipt.reason", r.reason),
                ("erase.receipt.records", r.records.map(\.hex).joined(separator: " ")),
                ("erase.receipt.commits_rewritten", "\(f.commitsRewritten)"),
                ("erase.receipt.commits_dropped", "\(f.commitsDropped)"),
                ("erase.receipt.objects_removed", "\(f.objectsRemoved)"),
                ("erase.receipt.verification",
                 f.remnantsFound == 0
                    ? Catalogue.text("erase.receipt.verified", ["n": arg(f.objectsScanned)])
                    : Catalogue.text("erase.receipt.remnants", ["n": arg(f.remnantsFound)])),
            ]))
        }
    }

    static func check(_ r: ErasureReceipt) throws {
        guard !r.verified else { return }
        throw VaultError.integrity(
            file: ".git/objects", reason: Message("erase.remnants_found", ["n": arg(r.figures.remnantsFound)]))
    }
}
