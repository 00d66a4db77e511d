import ArgumentParser
import DangolKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the vault: every record at the head decrypts and fits the schema.")

    @OptionGroup var output: OutputOptions
    @OptionGroup var options: VaultOptions

    func run() throws {
        let vault = try options.unlock()
        let (checked, problems) = try vault.checkRecords()
        if output.json {
            try JSONOut.print(["head": try vault.headID(), "records": checked,
                               "problems": problems.map { "\($0)" }] as [String: Any])
        } else {
            for p in problems { Report.line("error", "\(p)") }
            print("\(checked) records checked at \(try vault.headID().prefix(12)): "
                  + (problems.isEmpty ? "no problems" : "\(problems.count) problems"))
        }
        if !problems.isEmpty {
            throw VaultError.integrity(file: "vault", reason: "\(problems.count) damaged record files (listed above)")
        }
    }
}
