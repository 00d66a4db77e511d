import ArgumentParser
import DangolCrypto
import DangolKit
import DangolText
import Foundation

@main
struct Dangol: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dangol",
        abstract: Catalogue.text("help.dangol"),
        discussion: Catalogue.text("help.dangol.more") + "\n\n" + Catalogue.text("help.exit_codes") + "\n"
            + ExitCategory.allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n"),

        version: "0.1.0",
        subcommands: [
            Init.self, Add.self, Visit.self, SetFields.self, Show.self, List.self, Search.self, Shell.self, Check.self,
            Edit.self, Consent.self, Birthdays.self, Export.self, Import.self, SchemaCommand.self, Request.self, Notice.self,
            Log.self, Diff.self, Blame.self, Restore.self, Erase.self, Retention.self, Audit.self, GC.self,
            RemoteCommand.self, Push.self, Clone.self, Passwd.self, Rekey.self, User.self, SettingsCommand.self,
            Accept.self, Reject.self, Unlock.self, Lock.self, Serve.self, Textconv.self, Mirror.self, AgentCommand.self,
        ]
    )

    /// Parses, runs, and maps every error to one line and its exit code.
    static func main() {
        ProcessHardening.apply()
        MemoryLock.report = { code in
            Report.warn(Message("memory.not_locked", ["reason": String(cString: strerror(code))]))
        }
        // Decrypted documents a killed dangol left in its editor's directory.
        StaleScratch.sweep()
        do {
            var command = try parseAsRoot()
            try command.run()
            Session.finish()
        } catch let cancelled as Interrupted {
            // Ctrl-C at a question: nothing was saved; 130 as for a shell's SIGINT.
            Report.line("note", cancelled.message)
            Foundation.exit(130)
        } catch let error as VaultError {
            Report.fail(error)
        } catch let error as ValidationFailure {
            Report.fail(error)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // Argument mistakes from ArgumentParser, or an unexpected error.
            if error is CleanExit || String(describing: type(of: error)).contains("CommandError")
                || error is ValidationError
            {
                UsageError.report(message: message(for: error), full: fullMessage(for: error))
            }

            Report.fail(error)
        }
    }
}
