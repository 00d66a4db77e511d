// dangol-synth: fills a vault with generated customers (never real people),
// for the demo and the benchmarks. The passphrase comes from the usual
// DANGOL_PASSPHRASE_* sources.
//
//   dangol-synth VAULT COUNT [--seed N] [--per-commit N]
import DangolKit
import DangolSynth
import Foundation

ProcessHardening.apply()
var args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, default value: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) else { return value }
    args.removeSubrange(i...(i + 1))
    return n
}
let seed = option("--seed", default: 2026)
let perCommit = option("--per-commit", default: 1000)
guard args.count == 2, let count = Int(args[1]), count >= 0, perCommit > 0 else {
    FileHandle.standardError.write(Data("usage: dangol-synth VAULT COUNT [--seed N] [--per-commit N]\n".utf8))
    exit(2)
}
do {
    let vault = try LockedVault.open(at: args[0]).unlock(passphrase: try Passphrase.read(prompt: "passphrase: "))
    var salon = SyntheticSalon(seed: UInt64(seed))
    let started = Date()
    let isTerminal = isatty(2) == 1
    _ = try vault.addSynthetic(&salon, count: count, perCommit: perCommit) { done in
        if isTerminal { FileHandle.standardError.write(Data("\r\(done)/\(count) customers".utf8)) }
    }
    if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    print(String(format: "added %d generated customers in %.1f s", count, Date().timeIntervalSince(started)))
} catch {
    FileHandle.standardError.write(Data("dangol-synth: error: \(error)\n".utf8))
    exit(ExitCategory.of(error).rawValue)
}
