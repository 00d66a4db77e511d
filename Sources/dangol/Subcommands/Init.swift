import ArgumentParser
import DangolCrypto
import DangolKit
import DangolText
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: Catalogue.text("help.init"), discussion: Catalogue.text("help.init.more"))

    @Argument(help: help("help.init.path"))
    var path: String?

    @Option(help: help("help.init.owner"))
    var owner: String?

    @Option(help: help("help.init.salon"))
    var salon: String?

    @Option(help: help("help.init.kdf_level"))
    var kdfLevel: String = "moderate"

    @Flag(help: help("help.init.repair"))
    var repair = false

    @OptionGroup var options: VaultOptions

    func validate() throws {
        guard let level = KDFParameters.Level(rawValue: kdfLevel), level != .interactive else {
            throw ValidationError(Catalogue.text("init.below_floor"))
        }
    }

    func run() throws {
        let target = path.map(absolutePath) ?? options.path
        if repair {
            // Unlocking repairs the wiring and the working-tree mirror.
            let vault = try VaultOptions(vault: target, user: options.user, recovery: options.recovery).unlock()
            return say(Message("init.repaired", ["path": vault.path]))
        }
        let level = KDFParameters.Level(rawValue: kdfLevel)!  // checked in validate()
        if level == .test { Report.warn(Message("init.test_kdf")) }
        let passphrase = try Passphrase.readNew(.unlock, prompt: Catalogue.text("prompt.new_vault_passphrase"))
        guard let owner else { throw ValidationError(Catalogue.text("usage.init.owner")) }
        let (vault, code) = try Vault.create(at: target, owner: owner, passphrase: passphrase,
                                             kdf: .level(level), salonWords: salon.map { [$0] } ?? [])
        say(Message("init.created", ["path": vault.path, "owner": vault.person.name]))
        say(Message("init.recovery_code"))
        print("")
        fflush(stdout)
        code.withUnsafeBytes { FileHandle.standardOutput.write(Data("    ".utf8) + Data($0) + Data("\n\n".utf8)) }
    }
}
