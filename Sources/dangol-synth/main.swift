// dangol-synth: fills a vault with generated customers (never real people),
// for the demo and the benchmarks. The passphrase comes from the usual
// DANGOL_PASSPHRASE_* sources.
//
//   dangol-synth VAULT COUNT [--seed N] [--per-commit N] [--edits-of-one N] [--edits N] [--pack-as-used] [--fast] [--jsonl FILE]
//
// --jsonl FILE      writes the same customers (same seed) as JSON lines instead
//                   of adding them to VAULT: the benchmark's pass store gets
//                   exactly the data the vault has
// --edits-of-one N  then changes the first customer N times, one commit each
//                   (a visit every tenth time, else the note or phone): a
//                   record with a long history, for blame
// --edits N         then N changes spread over all the customers (seeded),
//                   one commit each, as a salon's ordinary days make them:
//                   the erasure benchmark's history
// --history-from D  commits dated from day D (YYYY-MM-DD) to now, evenly, in
//                   the order they are made, instead of all now: a vault with
//                   a past, for the retention benchmark
// --pack-as-used    packs the loose objects whenever a dangol command would
//                   have (past 6,700, checked after each change), so that the
//                   vault has the shape the same history made through dangol
//                   has: several packs and some loose objects
// --fast            no fsync and no working-tree update per commit (the tree
//                   is brought up to date once at the end): benchmark set-up
//                   only, never for a real vault
//
//   dangol-synth VAULT COUNT --in-use YEARS [--visits N] [--reads N] [--regular-visits N] [--layout branch]
//
// --in-use YEARS    a salon's YEARS as dangol records them in use (DangolSynth/
//                   SalonInUse.swift): COUNT customers arriving over the years,
//                   --visits N visits (one customer, the regular, with
//                   --regular-visits of them, 200 by default), each after
//                   its reads (--reads N in all, a search and a show per
//                   visit by default), every change and read an access-log
//                   entry, commits dated when they happen. Prints the
//                   regular's id and an early customer's (added about 1%
//                   into the changes)
// --layout branch   writes format 1, the access log on the data branch, into
//                   a vault of format 1 (made by a dangol from before format
//                   2): the same salon as before the log moved, for the
//                   migration's tests and the before/after benchmark
//
//   dangol-synth --say KEY [NAME=VALUE ...]
//
// prints one line of the catalogue in the reader's language: the demo's
// narration comes from the same catalogue as everything dangol says.
import DangolGit
import DangolKit
import DangolSynth
import DangolText
import Foundation

ProcessHardening.apply()
var args = Array(CommandLine.arguments.dropFirst())
if args.first == "--say", args.count >= 2 {
    var values = [String: String]()
    for pair in args.dropFirst(2) {
        guard let eq = pair.firstIndex(of: "=") else { continue }
        values[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
    }
    print(Catalogue.text(args[1], values))
    exit(0)
}
func option(_ name: String, default value: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) else { return value }
    args.removeSubrange(i...(i + 1))
    return n
}
func flag(_ name: String) -> Bool {
    guard let i = args.firstIndex(of: name) else { return false }
    args.remove(at: i)
    return true
}
let seed = option("--seed", default: 2026)
let perCommit = option("--per-commit", default: 1000)
let editsOfOne = option("--edits-of-one", default: 0)
let spreadEdits = option("--edits", default: 0)
let inUseYears = option("--in-use", default: 0)
let inUseVisits = option("--visits", default: 0)
let inUseReads = option("--reads", default: -1)
let regularVisits = option("--regular-visits", default: 200)
var branchLayout = false
if let i = args.firstIndex(of: "--layout"), i + 1 < args.count {
    guard ["branch", "ref"].contains(args[i + 1]) else { fatalError("--layout takes branch or ref") }
    branchLayout = args[i + 1] == "branch"
    args.removeSubrange(i...(i + 1))
}
let fast = flag("--fast")
let packAsUsed = flag("--pack-as-used")
var historyFrom: Date?
if let i = args.firstIndex(of: "--history-from"), i + 1 < args.count {
    guard let d = Dates.parse(args[i + 1]) else { fatalError("--history-from takes YYYY-MM-DD") }
    historyFrom = d
    args.removeSubrange(i...(i + 1))
}
var jsonlPath: String?
if let i = args.firstIndex(of: "--jsonl"), i + 1 < args.count {
    jsonlPath = args[i + 1]
    args.removeSubrange(i...(i + 1))
}
guard args.count == 2, let count = Int(args[1]), count >= 0, perCommit > 0 else {
    FileHandle.standardError.write(Data(
        "usage: dangol-synth VAULT COUNT [--seed N] [--per-commit N] [--edits-of-one N] [--edits N] [--pack-as-used] [--fast]\n".utf8))
    exit(2)
}
if let jsonlPath {
    var salon = SyntheticSalon(seed: UInt64(seed))
    let lines = try (0..<count).map { _ in String(decoding: try salon.customer().encoded(), as: UTF8.self)
        .replacingOccurrences(of: "\n", with: "") }
    guard FileManager.default.createFile(atPath: jsonlPath, contents: Data((lines.joined(separator: "\n") + "\n").utf8),
                                         attributes: [.posixPermissions: 0o600])
    else { fatalError("cannot write \(jsonlPath)") }
    exit(0)
}
do {
    let locked = try LockedVault.open(at: args[0])
    if branchLayout {
        guard locked.metadata.format == 1 else {
            FileHandle.standardError.write(Data("dangol-synth: --layout branch needs a vault of format 1\n".utf8))
            exit(2)
        }
        locked.migrates = false
    }
    let vault = try locked.unlock(passphrase: try Passphrase.read(prompt: "passphrase: "))
    if fast {
        Libgit2.setFsync(false)
        vault.mirrorUpdate = .none
    }
    /// Commit k is dated start + k steps; the customers and visits written
    /// in it are dated back from that day, so records and history agree.
    final class HistoryClock {
        let start: Date, step: TimeInterval
        var made = 0
        init(start: Date, commits: Int) {
            self.start = start
            step = Date().timeIntervalSince(start) / Double(max(commits, 1))
        }
        func peek() -> Date { start.addingTimeInterval(Double(made) * step) }
        func next() -> Date {
            defer { made += 1 }
            return peek()
        }
    }
    let clock = historyFrom.map { HistoryClock(start: $0, commits: (count + perCommit - 1) / perCommit + editsOfOne + spreadEdits) }
    if let clock { vault.commitClock = clock.next }
    var salon = SyntheticSalon(seed: UInt64(seed))
    let started = Date()
    let isTerminal = isatty(2) == 1
    if inUseYears > 0 {
        let visits = inUseVisits
        let plan = SalonInUse(
            seed: UInt64(seed), years: inUseYears, customers: count, visits: visits,
            reads: inUseReads >= 0 ? inUseReads : 2 * visits, regularVisits: regularVisits)
        try vault.play(plan, salon: &salon) { i in
            if packAsUsed { try vault.packAsUsed() }
            if isTerminal && (i % 1000 == 999 || i == plan.events.count - 1) {
                FileHandle.standardError.write(Data("\r\(i + 1)/\(plan.events.count) events".utf8))
            }
        }
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        if fast { try vault.refreshMirror() }
        print(String(format: "a salon's %d years: %d customers, %d visits, %d reads in %.1f s", inUseYears, count, visits,
                     inUseReads >= 0 ? inUseReads : 2 * visits, Date().timeIntervalSince(started)))
        print("regular: \(plan.ids[plan.regular].hex)")
        print("early: \(plan.ids[plan.early].hex)")
        exit(0)
    }
    let ids = try vault.addSynthetic(&salon, count: count, perCommit: perCommit, today: clock?.peek) { done in
        if packAsUsed { try vault.packAsUsed() }
        if isTerminal && (done % 1000 == 0 || done == count) {
            FileHandle.standardError.write(Data("\r\(done)/\(count) customers".utf8))
        }
    }
    if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    // A long history as a real customer gets one: a visit now and then, and
    // many small changes (notes, phone) in between.
    if let first = ids.first {
        for i in 0..<editsOfOne {
            if i % 10 == 0 {
                try vault.addVisit(salon.visit(daysAgo: editsOfOne - i), to: first)
            } else if i % 10 == 5 {
                try vault.set([(field: "phone", value: salon.phone())], on: first)
            } else {
                try vault.set([(field: "note", value: "메모 \(i): " + salon.name())], on: first)
            }
            if packAsUsed { try vault.packAsUsed() }
        }
    }
    var pick = SeededGenerator(seed: UInt64(seed) &+ 1)
    for i in 0..<(ids.isEmpty ? 0 : spreadEdits) {
        let who = ids[Int.random(in: 0..<ids.count, using: &pick)]
        if let clock { salon.today = clock.peek() }
        if i % 3 == 0 {
            try vault.set([(field: "note", value: "메모 \(i): " + salon.name())], on: who)
        } else {
            try vault.addVisit(salon.visit(daysAgo: clock == nil ? (spreadEdits - i) / 10 : 0), to: who)
        }
        if packAsUsed { try vault.packAsUsed() }
    }
    if fast { try vault.refreshMirror() }
    print(String(format: "added %d generated customers%@%@ in %.1f s", count,
                 editsOfOne > 0 ? " and \(editsOfOne) edits of one" : "", spreadEdits > 0 ? " and \(spreadEdits) edits" : "",
                 Date().timeIntervalSince(started)))
    if editsOfOne > 0, let first = ids.first { print("edited: \(first.hex)") }
} catch {
    FileHandle.standardError.write(Data("dangol-synth: error: \(error)\n".utf8))
    exit(ExitCategory.of(error).rawValue)
}
