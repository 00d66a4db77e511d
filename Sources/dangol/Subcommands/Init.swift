import ArgumentParser
import DangolCrypto
import DangolKit
import DangolText
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new vault; prints its recovery code once.",
        discussion: """
            The new passphrase is read like any other (DANGOL_PASSPHRASE_FILE, _COMMAND, DANGOL_PASSPHRASE,
            else typed twice). It needs 15 or more characters, must not be a common password, and must not
            be made of your own or the salon's name.
            --kdf-level test makes unlocking nearly free: it exists for test suites only.
            """)

    @Argument(help: "Directory for the new vault (default: --vault, $DANGOL_VAULT, or the current directory).")
    var path: String?

    @Option(help: "The owner's name; it authors the owner's commits.")
    var owner: String?

    @Option(help: "The salon's name, only to refuse a passphrase built from it (not stored).")
    var salon: String?

    @Option(help: "Argon2id cost of the vault's key slots: moderate (default), sensitive, or test (test suites only).")
    var kdfLevel: String = "moderate"

    @Flag(help: "On an existing vault: bring the git wiring (textconv driver, attributes) and working tree up to date.")
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
            return print("vault at \(vault.path) checked: textconv driver and attributes are current")
        }
        let level = KDFParameters.Level(rawValue: kdfLevel)!  // checked in validate()
        if level == .test { Report.warn("--kdf-level test gives no protection against guessing; only for tests") }
        let passphrase = try Passphrase.readNew(.unlock, prompt: "new passphrase for the vault: ")
        guard let owner else { throw ValidationError("name the vault's owner with --owner NAME") }
        let (vault, code) = try Vault.create(at: target, owner: owner, passphrase: passphrase,
                                             kdf: .level(level), salonWords: salon.map { [$0] } ?? [])
        print("created vault at \(vault.path), owner \(vault.person.name)")
        print("recovery code (shown only now; write it on paper and keep it away from this computer):\n")
        fflush(stdout)
        code.withUnsafeBytes { FileHandle.standardOutput.write(Data("    ".utf8) + Data($0) + Data("\n\n".utf8)) }
    }
}
