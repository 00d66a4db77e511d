// dangol-bench: in-process timings on an existing vault, for scripts/bench.sh.
// The Argon2id unlock is timed on its own; every other figure excludes it.
//
//   dangol-bench VAULT [--runs N]
import DangolCrypto
import DangolKit
import DangolSynth
import Foundation

ProcessHardening.apply()

func ms(_ start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6 }

func stats(_ xs: [Double]) -> String {
    let s = xs.sorted()
    let p = { (q: Double) in s[min(s.count - 1, Int(Double(s.count - 1) * q + 0.5))] }
    return String(format: "median %7.1f ms   p90 %7.1f ms   max %7.1f ms", p(0.5), p(0.9), s.last ?? 0)
}

var args = Array(CommandLine.arguments.dropFirst())
var runs = 20
if let i = args.firstIndex(of: "--runs"), i + 1 < args.count, let n = Int(args[i + 1]) {
    runs = n
    args.removeSubrange(i...(i + 1))
}
var searchFigures = false
if let i = args.firstIndex(of: "--search") {
    searchFigures = true
    args.remove(at: i)
}
var blameID: RecordID?
if let i = args.firstIndex(of: "--blame"), i + 1 < args.count {
    blameID = RecordID(hex: args[i + 1])
    args.removeSubrange(i...(i + 1))
}
/// Index build, memory and warm query latency, as `dangol shell` serves them.
func searchBench(_ vault: Vault) throws {
    var t = DispatchTime.now()
    let (records, _) = try vault.readAll()
    let decryptMs = ms(t)
    t = DispatchTime.now()
    let index = SearchIndex(records)
    let buildMs = ms(t)
    let plaintext = try records.reduce(0) { $0 + (try $1.customer.encoded().count) }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let peakMB = Double(usage.ru_maxrss) / 1024
    var gen = SeededGenerator(seed: 11)
    var queries = [String]()
    for i in 0..<300 {
        let c = records[Int.random(in: 0..<records.count, using: &gen)].customer
        switch i % 6 {
        case 0: queries.append(String(c.phone?.suffix(4) ?? "1234"))
        case 1: queries.append(String(c.name.prefix(2)))
        case 2: queries.append(Hangul.choseong(c.name))
        case 3: queries.append(["두피", "염색", "애쉬", "PPD", "곱슬"][i % 5])
        case 4: queries.append(["service:펌 visited:>2026-06-01", "inactive:>2y", "birthday:3 consent:marketing_sms",
                                "allergy:PPD", "service:염색 김"][i % 5])
        default: queries.append(c.name)
        }
    }
    var times = [Double]()
    var found = 0
    for q in queries {
        let parsed = try Query.parse(q)
        t = DispatchTime.now()
        found += index.search(parsed, limit: 50).count
        times.append(ms(t))
    }
    print(String(format: "decrypt every record (all cores):              %.0f ms for %d records", decryptMs, records.count))
    print(String(format: "build the index:                               %.0f ms", buildMs))
    print(String(format: "peak resident memory: %.0f MB, plaintext %.0f MB (ratio %.2f)", peakMB,
                 Double(plaintext) / 1_048_576, peakMB / (Double(plaintext) / 1_048_576)))
    print("warm search, \(queries.count) mixed queries:        \(stats(times)) (p99: \(String(format: "%.2f", times.sorted()[Int(Double(times.count - 1) * 0.99)])) ms)")
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
    print("vault: \(ids.count) customers")
    print(String(format: "Argon2id unlock (ops %llu, mem %llu MiB): %.0f ms  (reported on its own)",
                 kdf.opsLimit, kdf.memLimit >> 20, unlockMs))
    print(String(format: "open (read metadata and key slots):          %.1f ms", openMs))
    print(String(format: "list every record id from the fan-out trees:  %.1f ms", listMs))
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
    print("add one customer, mirror updated inline:       \(stats(adds))")
    print("commit one edit, mirror updated inline:        \(stats(edits))")
    print("add one customer, as dangol add does it:        \(stats(deferredAdds))")
    print("commit one edit, as dangol set does it:         \(stats(deferredEdits))")
    print("  then, in the background, the mirror update:   \(stats(mirrors))")
    var logs = [Double]()
    for _ in 0..<5 {
        t = DispatchTime.now()
        _ = try vault.log(LogFilter(limit: 50))
        logs.append(ms(t))
    }
    print("log, newest 50 entries (summaries decrypted):  \(stats(logs))")
    if searchFigures { try searchBench(vault) }
    if let blameID {
        let versions = try vault.versions(of: blameID).count
        var blames = [Double]()
        for _ in 0..<3 {
            t = DispatchTime.now()
            _ = try vault.blame(blameID)
            blames.append(ms(t))
        }
        print("blame, one record with \(versions) versions:       \(stats(blames))")
    }
} catch {
    FileHandle.standardError.write(Data("dangol-bench: error: \(error)\n".utf8))
    exit(1)
}
