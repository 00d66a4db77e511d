import ArgumentParser
import DangolKit
import DangolText
import Foundation

/// A customer's request about their own data, kept in the access log until
/// it is answered (Privacy/Requests.swift).
struct Request: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("cli.request.abstract"),
        discussion: Catalogue.text("cli.request.discussion"),
        subcommands: [RequestRecord.self, RequestList.self, RequestClose.self], defaultSubcommand: RequestRecord.self)
}

struct RequestRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: Catalogue.text("cli.request.record.abstract"))

    @Argument(help: help("help.arg.customer")) var customer: String
    @Argument(help: help("cli.request.kind")) var kind: String
    @Option(help: help("cli.request.received")) var received: String?
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if SubjectRequest.Kind(rawValue: kind) == nil {
            throw ValidationError(Catalogue.text("cli.request.bad_kind", ["kind": kind]))
        }
    }

    func run() throws {
        let vault = try options.unlock()
        let id = try vault.resolve(customer)
        let r = try vault.recordRequest(SubjectRequest.Kind(rawValue: kind)!, for: id,  // checked in validate()
                                        received: received ?? Dates.today())
        print(r.id)
        Report.line("note", Message("cli.request.recorded", ["due": r.due]))
    }
}

struct RequestList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: Catalogue.text("cli.request.list.abstract"))

    @Flag(help: help("help.option.json")) var json = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let open = try options.unlock().openRequests()
        let today = Dates.today()
        if json {
            return try JSONOut.print(open.map { RequestJSON($0, today: today) })
        }
        if open.isEmpty { return say(Message("cli.request.none_open")) }
        print(Table.render(
            header: ["request", "id", "kind", "received", "due", "days"].map { Catalogue.text("cli.request.col.\($0)") },
            rows: open.map { o in
                [String(o.request.id.prefix(8)), String(o.record.prefix(8)), Catalogue.text("request.kind.\(o.request.kind.rawValue)"),
                 o.request.received, o.request.due + (o.overdue(on: today) ? " ⚠" : ""), String(o.age(on: today))]
            }))
    }
}

struct RequestClose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: Catalogue.text("cli.request.close.abstract"))

    @Argument(help: help("cli.request.id")) var request: String
    @Option(help: help("cli.request.outcome")) var outcome: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let closed = try options.unlock().closeRequest(request, outcome: outcome)
        print(closed.request.id)
    }
}
