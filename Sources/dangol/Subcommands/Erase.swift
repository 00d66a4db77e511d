import ArgumentParser
import DangolKit
import Foundation

struct Erase: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase customers from the vault's whole history, purge them and print a receipt.",
        discussion: """
            Every version of the customer's record leaves every commit of every branch, tag and note; commits that
            only touched it disappear; its id leaves commit messages and summaries; reflogs and all unreachable
            objects are deleted; a scan then checks that no object id or ciphertext of it remains. The receipt
            (date, who, reason, record id, counts, verification) is appended, encrypted, to the access log.
            Without --yes you are asked to type the customer's name. Copies in remotes and elsewhere are not
            reached: see SECURITY.md. An interrupted erasure is finished by --resume or by any later erase.
            """)

    @Argument(help: "The customers: id, id prefix (6+), or a query matching one customer.") var customers: [String] = []
    @Option(help: "Why the customer is erased (e.g. \"고객 요청 2026-11-24\"); kept encrypted in the receipt.")
    var reason: String?
    @Flag(help: "Do not ask to type the customer's name (for scripts).") var yes = false
    @Flag(help: "Finish an erasure that was interrupted.") var resume = false
    @Flag(help: "Print the receipt as JSON.") var json = false
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if resume && !customers.isEmpty {
            throw ValidationError("--resume finishes the interrupted erasure; name no customer")
        }
        if !resume && customers.isEmpty { throw ValidationError("name the customer to erase (id, id prefix or query)") }
        if !resume && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason is required: say why (it is kept, encrypted, in the receipt)")
        }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: "erase customers")
        let progress = ErasePrinter.progress
        var resumed: ErasureReceipt?
        if vault.pendingErasure || resume {
            guard let r = try vault.resumeErasure(progress: progress) else {
                throw VaultError.notFound("no interrupted erasure to resume")
            }
            try ErasePrinter.show(r, json: json)
            resumed = r
        }
        // Running the same erase again after a crash finishes it; its customers are then already gone.
        let pending = customers.filter { t in !(resumed?.records.contains { $0.hex.hasPrefix(t.lowercased()) } ?? false)
        }
        if pending.isEmpty { return try ErasePrinter.check(resumed) }
        let ids = try pending.map { token -> RecordID in
            do { return try vault.resolve(token) } catch VaultError.ambiguous(let q, let ids) {
                try Candidates.print(ids, vault: vault, reveal: false)
                throw VaultError.ambiguous(query: q, candidates: ids)
            }
        }
        if !yes { try ErasePrinter.confirm(ids, vault: vault) }
        let receipt = try vault.erase(ids, reason: reason ?? "", progress: progress)
        try ErasePrinter.show(receipt, json: json)
        try ErasePrinter.check(receipt)
    }
}

enum ErasePrinter {
    static func progress(_ line: String) {
        if isatty(2) == 1 { Report.line("erase", line) }
    }

    /// Asks for each customer's name, typed, before anything is erased.
    static func confirm(_ ids: [RecordID], vault: Vault) throws {
        guard isatty(0) == 1 else {
            throw VaultError.usage(
                "erasing needs the customer's name typed at a terminal; standard input is not one. "
                    + "Pass --yes to erase without asking")
        }
        for id in ids {
            let c = try vault.read(id)
            FileHandle.standardError.write(
                Data(
                    "customer \(id.short) (phone \(phoneText(c, reveal: false)), last visit \(c.lastVisit ?? "-")) will be erased for good.\ntype the customer's name to confirm: "
                        .utf8))
            guard try vault.nameConfirms(readLine() ?? "", for: id) else {
                throw VaultError.usage("the name typed is not the customer's name; nothing was erased")
            }
        }
    }

    static func show(_ r: ErasureReceipt, json: Bool) throws {
        if json { return try JSONOut.print(r.json) }
        let f = r.figures
        let rows = [
            ["erasure", f.erasure], ["date", r.date], ["by", r.person], ["reason", r.reason],
            ["records", r.records.map(\.hex).joined(separator: " ")], ["commits rewritten", "\(f.commitsRewritten)"],
            ["commits dropped", "\(f.commitsDropped)"], ["objects removed", "\(f.objectsRemoved)"],
            [
                "verification",
                f.remnantsFound == 0
                    ? "0 remnants in \(f.objectsScanned) objects scanned" : "\(f.remnantsFound) REMNANTS FOUND",
            ],
        ]
        print("erasure receipt" + (r.resumed ? " (finished after an interruption)" : ""))
        print(Table.render(header: ["", ""], rows: rows).split(separator: "\n").dropFirst().joined(separator: "\n"))
    }

    static func check(_ r: ErasureReceipt?) throws {
        guard let r, !r.verified else { return }
        throw VaultError.integrity(
            file: ".git/objects",
            reason: "\(r.figures.remnantsFound) remnants of the erased records were found after the purge")
    }
}
