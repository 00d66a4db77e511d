import ArgumentParser
import DangolCrypto
import DangolKit
import DangolText
import Foundation

struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The people who hold a key (owner only): add, list, remove.",
        subcommands: [UserAdd.self, UserList.self, UserRemove.self])
}

struct UserAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Give a person their own passphrase, as staff or owner.",
        discussion: """
            The new person's passphrase is typed twice, or comes from $DANGOL_NEW_PASSPHRASE_FILE,
            $DANGOL_NEW_PASSPHRASE_COMMAND or $DANGOL_NEW_PASSPHRASE. Staff find, show, add visits and edit;
            they cannot erase, export, import, manage people, read the access log or change settings, and see
            phones and birthdays masked unless the owner allows it (dangol settings staff_sees_contacts=yes).
            """)

    @Argument(help: "The person's name (authors their commits).") var name: String
    @Option(help: "staff or owner.") var role: String
    @OptionGroup var options: VaultOptions

    func validate() throws {
        if !["staff", "owner"].contains(role) { throw ValidationError("--role takes staff or owner") }
    }

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: "add people")
        let passphrase = try Passphrase.readNew(.new, prompt: "passphrase for \(name): ")
        try vault.addPerson(name: name, role: role == "owner" ? .owner : .staff, passphrase: passphrase)
        print("\(name) added as \(role)")
    }
}

struct UserList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The people who hold a key.")

    @Flag(help: "Machine-readable JSON on standard output.") var json = false
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: "manage people")
        let people = try vault.people()
        func role(_ p: PersonSlot) -> String { p.role == .owner ? "owner" : "staff" }
        if json { return try JSONOut.print(people.map { ["name": $0.name, "role": role($0), "slot": $0.slotID] }) }
        print(Table.render(header: ["name", "role", "slot"], rows: people.map { [$0.name, role($0), $0.slotID] }))
    }
}

struct UserRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a person's key slot from the vault and from its whole history.")

    @Argument(help: "The person's name.") var name: String
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        try vault.requireOwner(to: "remove people")
        let r = try vault.removePerson(name: name) { Report.line("note", $0) }
        print(Catalogue.text("user.removed", [
            "name": name, "commits": String(r.commitsRewritten), "objects": String(r.objectsRemoved),
            "remnants": String(r.remnantsFound), "scanned": String(r.objectsScanned),
        ]))
        print(Catalogue.text("user.removed_push_note"))
        Report.line(
            "hint", "\(name) knew the vault key while they held a slot; run dangol rekey to give the vault a new one")
        if r.remnantsFound > 0 {
            throw VaultError.integrity(
                file: ".git/objects", reason: Catalogue.text("user.removed_remnants", ["n": String(r.remnantsFound)]))
        }
    }
}
