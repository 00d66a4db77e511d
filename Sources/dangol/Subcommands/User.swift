import ArgumentParser
import DangolCrypto
import DangolKit
import DangolText
import Foundation

struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.user"),
        subcommands: [UserAdd.self, UserList.self, UserRemove.self])
}

struct UserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: Catalogue.text("help.user.add"), discussion: Catalogue.text("help.user.add.more"))

    @Argument(help: help("help.user.name")) var name: String
    @Option(help: help("help.user.role")) var role: String
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if !["staff", "owner"].contains(role) { throw ValidationError(Catalogue.text("person.bad_role")) }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: Message("role.do.add_people"))
        let passphrase = try Passphrase.readNew(.new, prompt: Catalogue.text("prompt.passphrase_for_person", ["person": name]))
        try vault.addPerson(name: name, role: role == "owner" ? .owner : .staff, passphrase: passphrase)
        say(Message("user.added", ["person": name], parts: ["role": Message(role == "owner" ? "role.owner" : "role.staff")]))
    }
}

struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: Catalogue.text("help.user.list"))

    @Flag(help: help("help.option.json")) var json = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: Message("role.do.manage_people"))
        let people = try vault.people()
        if json { return try JSONOut.print(people.map(PersonJSON.init)) }
        print(Table.render(header: columns("column.person", "column.role", "column.slot"),
                           rows: people.map { [$0.name, Catalogue.text($0.role == .owner ? "role.owner" : "role.staff"), $0.slotID] }))
    }
}

struct UserRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: Catalogue.text("help.user.remove"))

    @Argument(help: help("help.user.name_existing")) var name: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: Message("role.do.remove_people"))
        let r = try vault.removePerson(name: name) { Report.line("note", $0) }
        say(Message("user.removed", [
            "person": name, "rewritten": arg(r.commitsRewritten), "removed": arg(r.objectsRemoved),
            "remnants": arg(r.remnantsFound), "scanned": arg(r.objectsScanned),
        ]))
        say(Message("user.removed_push_note"))
        Report.line("hint", Message("user.removed_rekey", ["person": name]))
        if r.remnantsFound > 0 {
            throw VaultError.integrity(file: ".git/objects", reason: Message("user.removed_remnants", ["n": arg(r.remnantsFound)]))
        }
    }
}
