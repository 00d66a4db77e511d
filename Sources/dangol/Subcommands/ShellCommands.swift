import DangolKit
import DangolText
import Foundation

/// The shell's commands. Reads come from the index in memory; changes go
/// through the same vault operations as the commands of the same name, so
/// they are checked, committed and written to the access log alike.
extension ShellSession {
    func answer(_ cmd: String, _ rest: String) throws {
        switch cmd {
        case "help": print(Catalogue.text("shell.help"))
        case "search":
            let hits = try open.search(rest)
            // A search that finds nobody is logged too: many of them in a
            // row are what probing for a number looks like (audit review).
            if hits.isEmpty {
                try open.vault.audit("search", records: [])
                return Report.line("note", Message("customer.no_match", ["query": rest]))
            }
            try table(hits)
        case "show": try detail(try one(rest))
        case "list": try table(open.index.all())
        case "reindex":
            try open.refresh(force: true)
            say(Message("shell.indexed", ["n": arg(open.index.count)]))
        case "add":
            guard let customer = try open.vault.askCustomer(asker) else { return cancelled() }
            print(try open.vault.add(customer).hex)
            try open.refresh()
        case "visit":
            let id = try one(rest).id
            guard let visit = try open.vault.askVisit(for: id, asker) else { return cancelled() }
            try open.vault.addVisit(visit, to: id)
            try open.refresh()
            print(id.hex)
        case "consent":
            let (query, rest) = Self.split(rest)
            let answers = try ConsentEvent.answers(rest.split(separator: " ").map(String.init))
            let id = try one(query).id
            try open.vault.recordConsent(answers, for: id, language: Language.current.rawValue)
            try open.refresh()
            print(id.hex)
        case "set":
            let (query, rest) = Self.split(rest)
            let assignments = try Vault.assignments(in: rest, extraFields: open.vault.extraFieldNames)
            let id = try one(query).id
            if try !open.vault.set(assignments, on: id) { Report.line("note", Message("set.nothing_changed")) }
            try open.refresh()
            print(id.hex)
        default: Report.line("error", Message("shell.unknown_command", ["command": cmd]))
        }
    }

    /// The command a line's first word names, in English or in Korean (so
    /// that the owner never switches keyboards); nil when it names none.
    static func command(_ word: String) -> String? {
        let korean = ["검색": "search", "찾기": "search", "보기": "show", "카드": "show", "목록": "list",
                      "새고객": "add", "추가": "add", "방문": "visit", "동의": "consent", "수정": "set",
                      "다시읽기": "reindex", "도움말": "help", "끝": "quit", "종료": "quit"]
        let english: Set = ["search", "show", "list", "add", "visit", "consent", "set", "reindex", "help", "quit"]
        if word == "exit" { return "quit" }
        return english.contains(word) ? word : korean[word]
    }

    /// The one customer a token means; several are listed, then refused.
    func one(_ token: String) throws -> SearchIndex.Hit {
        guard !token.isEmpty else { throw VaultError.usage(Message("shell.needs_customer")) }
        do { return try open.find(token) } catch VaultError.ambiguous(let q, let ids) {
            try table(ids.compactMap { open.index.hit(for: $0) })
            throw VaultError.ambiguous(query: q, candidates: ids)
        }
    }

    func cancelled() { Report.line("note", Message("prompt.cancelled")) }

    /// "5678 phone=010-…" → the customer and the rest of the line.
    static func split(_ line: String) -> (String, String) {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
    }
}
