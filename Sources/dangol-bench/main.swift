// dangol-bench: in-process timings on an existing vault, for scripts/bench.sh,
// which prints them as the README's table. The Argon2id unlock is timed on its
// own; every other figure excludes it. Prints one JSON object: each figure a
// {"median", "p90", "max"} in milliseconds, or a number. Search figures come
// from dangol-bench-search (scripts/bench-search.sh).
//
//   dangol-bench VAULT [--runs N] [--blame ID]
import DangolCrypto
import DangolKit
import DangolSynth
import Foundation

ProcessHardening.apply()

func ms(_ start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6 }

func stats(_ xs: [Double]) -> [String: Double] {
    let s = xs.sorted()
    let p = { (q: Double) in s[min(s.count - 1, Int(Double(s.count - 1) * q + 0.5))] }
    return ["median": p(0.5), "p90": p(0.9), "max": s.last ?? 0]
}

var args = Array(CommandLine.arguments.dropFirst())
var runs = 20
if let i = args.firstIndex(of: "--runs"), i + 1 < args.count, let n = Int(args[i + 1]) {
    runs = n
    args.removeSubrange(i...(i + 1))
}
var blameID: RecordID?
if let i = args.firstIndex(of: "--blame"), i + 1 < args.count {
    blameID = RecordID(hex: args[i + 1])
    args.removeSubrange(i...(i + 1))
}
guard args.count == 1 else {
    FileHandle.standardError.write(Data("usage: dangol-bench VAULT [--runs N] [--blame ID]\n".utf8))
    exit(2)
}
let path = args[0]
do {
    var t = DispatchTime.now()
    let locked = try LockedVault.open(at: path)
    let openMs = ms(t)
    let passphrase = try Passphrase.read(prompt: "passphrase: ")
    t = DispatchTime.now()
    let vault = try locked.unlock(passphrase: passphrase)
    let unlockMs = ms(t)
    let kdf = locked.metadata.kdfParameters
    t = DispatchTime.now()
    let ids = try vault.recordIDs()
    let listMs = ms(t)

    var salon = SyntheticSalon(seed: 99)
    var adds = [Double](), edits = [Double]()
    var gen = SeededGenerator(seed: 7)
    for i in 0..<runs {
        let c = salon.customer()
        t = DispatchTime.now()
        _ = try vault.add(c)
        adds.append(ms(t))
        let target = ids[Int.random(in: 0..<ids.count, using: &gen)]
        t = DispatchTime.now()
        try vault.set([(field: "phone", value: String(format: "010-7%03d-%04d", i % 1000, Int.random(in: 0...9999, using: &gen)))],
                      on: target)
        edits.append(ms(t))
    }
    var figures: [String: Any] = [
        "customers": ids.count, "unlock_ms": unlockMs, "kdf_ops": kdf.opsLimit, "kdf_mib": kdf.memLimit >> 20,
        "open_ms": openMs, "list_ids_ms": listMs,
    ]
    // As the command line does it: the change is committed, and the working
    // tree and index follow right after (a detached `dangol mirror`), timed
    // here on its own.
    vault.mirrorUpdate = .deferred
    var deferredAdds = [Double](), deferredEdits = [Double](), mirrors = [Double]()
    for i in 0..<runs {
        let c = salon.customer()
        t = DispatchTime.now()
        _ = try vault.add(c)
        deferredAdds.append(ms(t))
        t = DispatchTime.now()
        try vault.refreshMirror()
        mirrors.append(ms(t))
        let target = ids[Int.random(in: 0..<ids.count, using: &gen)]
        t = DispatchTime.now()
        try vault.set([(field: "note", value: "벤치 \(i)")], on: target)
        deferredEdits.append(ms(t))
        try vault.refreshMirror()
    }
    vault.mirrorUpdate = .inline
    figures["add_inline"] = stats(adds)
    figures["edit_inline"] = stats(edits)
    figures["add"] = stats(deferredAdds)
    figures["edit"] = stats(deferredEdits)
    figures["mirror"] = stats(mirrors)
    var logs = [Double]()
    for _ in 0..<5 {
        t = DispatchTime.now()
        _ = try vault.log(LogFilter(limit: 50))
        logs.append(ms(t))
    }
    figures["log50"] = stats(logs)
    if let blameID {
        let versions = try vault.versions(of: blameID).count
        var blames = [Double]()
        for _ in 0..<3 {
            t = DispatchTime.now()
            _ = try vault.blame(blameID)
            blames.append(ms(t))
        }
        figures["blame"] = stats(blames)
        figures["blame_versions"] = versions
    }
    let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("dangol-bench: error: \(error)\n".utf8))
    exit(1)
}
