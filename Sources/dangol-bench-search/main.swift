// dangol-bench-search: the warm side of the search benchmark, in one process
// as `dangol shell` runs it (scripts/bench-search.sh prints it beside the cold
// figures and pass grep). Argon2id is timed on its own and left out of the
// rest; peak memory is counted from just after the unlock, so Argon2id's
// own 256 MiB does not hide what the index costs.
//
//   dangol-bench-search VAULT [--queries N] [--cold]
import DangolKit
import DangolSynth
import Foundation

ProcessHardening.apply()

func ms(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
}

/// A line of /proc/self/status in kB (VmRSS, VmHWM).
func status(_ field: String) -> Double {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

func percentile(_ sorted: [Double], _ q: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)]
}

/// Queries as the front desk types them, drawn from the salon itself.
func mixedQueries(_ records: [(id: RecordID, customer: Customer)], count: Int) -> [String] {
    var gen = SeededGenerator(seed: 11)
    let words = ["두피", "애쉬", "염색", "ppd", "곱슬", "웰라", "6/0", "따가움", "앞머리"]
    let filters = ["service:펌 visited:>2026-06-01", "inactive:>2y", "birthday:3 consent:marketing_sms", "allergy:PPD",
                   "service:염색 김", "visited:2026-03", "이 consent:birthday_coupon", "inactive:>18m service:탈색"]
    return (0..<count).map { i in
        let c = records[Int.random(in: 0..<records.count, using: &gen)].customer
        let phone = c.phone ?? "010-1234-5678"
        switch i % 10 {
        case 0, 1, 2: return String(phone.suffix(4))
        case 3: return phone
        case 4: return String(c.name.prefix(2))
        case 5: return c.name
        case 6: return Hangul.choseong(c.name)
        case 7: return words[i / 10 % words.count]
        case 8: return filters[i / 10 % filters.count]
        default: return String(c.name.prefix(1)) + Hangul.choseong(String(c.name.dropFirst()))
        }
    }
}

var args = Array(CommandLine.arguments.dropFirst())
var queryCount = 300
// --cold: only open the index from the record files (the encrypted cache
// removed first), in a process of its own, so the figures of the cached
// open that follows are not coloured by memory the first one left behind.
let coldOnly = args.contains("--cold")
args.removeAll { $0 == "--cold" }
if let i = args.firstIndex(of: "--queries"), i + 1 < args.count, let n = Int(args[i + 1]) {
    queryCount = n
    args.removeSubrange(i...(i + 1))
}
guard args.count == 1 else {
    FileHandle.standardError.write(Data("usage: dangol-bench-search VAULT [--queries N] [--cold]\n".utf8))
    exit(2)
}

do {
    let locked = try LockedVault.open(at: args[0])
    let passphrase = try Passphrase.read(prompt: "passphrase: ")
    var t = DispatchTime.now()
    let vault = try locked.unlock(passphrase: passphrase)
    let unlockMs = ms(since: t)
    // Peak memory per phase: writing 5 to clear_refs resets VmHWM to the
    // current size. The index is built as every command builds it
    // (Vault.index): first from the record files alone, then from the
    // encrypted index cache that the first build wrote.
    var index: SearchIndex?
    func phase() throws -> (ms: Double, baseKB: Double, peakKB: Double) {
        index = nil
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        let base = status("VmRSS")
        let t = DispatchTime.now()
        index = try vault.index().index
        return (ms(since: t), base, status("VmHWM"))
    }
    if coldOnly {
        try? FileManager.default.removeItem(atPath: args[0] + "/.git/dangol-index")
        let p = try phase()
        print(String(format: "Argon2id unlock: %.0f ms (reported on its own)", unlockMs))
        print(String(format: "open the index from the record files (decrypt on all cores, write the cache): %.0f ms, peak %.0f MB (%.0f MB before)",
                     p.ms, p.peakKB / 1024, p.baseKB / 1024))
        exit(0)
    }
    let cached = try phase()
    guard let index else { exit(1) }  // phase() set it
    let records = index.all().map { (id: $0.id, customer: $0.customer) }
    let failures = try vault.index().failures
    let plaintext = try records.reduce(0) { $0 + (try $1.customer.encoded().count) }
    let plainMB = Double(plaintext) / 1_048_576

    if let only = ProcessInfo.processInfo.environment["BENCH_ONLY"] {
        // Profiling aid: one query, many times.
        let q = try Query.parse(only)
        t = DispatchTime.now()
        for _ in 0..<1000 { _ = index.search(q, limit: 50) }
        print(String(format: "%@: %.3f ms per query", only, ms(since: t) / 1000))
        exit(0)
    }
    let queries = mixedQueries(records, count: queryCount).compactMap { q in (try? Query.parse(q)).map { (q, $0) } }
    for (_, q) in queries.prefix(20) { _ = index.search(q) }  // first touches of the arrays
    var limited = [Double](), unlimited = [Double](), found = 0, slowest = [(Double, String)]()
    for (text, q) in queries {
        t = DispatchTime.now()
        found += index.search(q, limit: 50).count
        limited.append(ms(since: t))
        slowest.append((limited.last!, text))
        t = DispatchTime.now()
        _ = index.search(q)
        unlimited.append(ms(since: t))
    }
    limited.sort()
    unlimited.sort()

    print("vault: \(records.count) customers (\(failures.count) unreadable), plaintext JSON \(String(format: "%.0f", plainMB)) MB")
    print(String(format: "Argon2id unlock:                  %6.0f ms (reported on its own)", unlockMs))
    print(String(format: "open the index from the encrypted index cache: %.0f ms, peak %.0f MB (%.0f MB before): %.2f× plaintext",
                 cached.ms, cached.peakKB / 1024, cached.baseKB / 1024, cached.peakKB / 1024 / plainMB))
    print(String(format: "warm search, %d mixed queries, first 50 shown: p50 %.3f ms  p99 %.3f ms  max %.3f ms",
                 queries.count, percentile(limited, 0.5), percentile(limited, 0.99), limited.last ?? 0))
    print(String(format: "warm search, %d mixed queries, every match:    p50 %.3f ms  p99 %.3f ms  max %.3f ms",
                 queries.count, percentile(unlimited, 0.5), percentile(unlimited, 0.99), unlimited.last ?? 0))
    print("matches in the first 50s: \(found)")
    if ProcessInfo.processInfo.environment["BENCH_SLOWEST"] != nil {
        for (t, q) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(12) { print(String(format: "  %.3f ms  %@", t, q)) }
    }
} catch {
    FileHandle.standardError.write(Data("dangol-bench-search: error: \(error)\n".utf8))
    exit(1)
}
