import DangolKit
import DangolSynth
import Foundation
import XCTest

/// Crash trials: dangol killed with SIGKILL at random moments of `set`, `add`,
/// `import`, `erase` and `push` (KillLoop). After each kill the vault opens and
/// `dangol check` and `git fsck --full --strict` pass, every customer is at
/// its old or its new version, and the interrupted work can be finished.
/// Each family runs a fixed number of trials in `make test`; CRASH_TRIALS
/// (or CRASH_TRIALS_<FAMILY>) runs more (scripts/proof.sh).
final class CrashTrialTests: XCTestCase {
    /// Every customer as "name phone" (phones are unique in generated data).
    func customers(_ s: Sandbox) throws -> Set<String> {
        let r = try s.dangol("list", "--json", "--reveal")
        XCTAssertEqual(r.code, 0, "the vault opens: \(r.err)")
        let rows = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]] ?? []
        return Set(rows.map { "\($0["name"] as? String ?? "?") \($0["phone"] as? String ?? "-")" })
    }

    func ids(_ s: Sandbox) throws -> [String] {
        let rows = try JSONSerialization.jsonObject(with: Data(try s.ok("list", "--json").utf8)) as? [[String: Any]]
        return (rows ?? []).compactMap { $0["id"] as? String }
    }

    func note(_ s: Sandbox, _ id: String) throws -> String? {
        let r = try s.dangol("show", id, "--json")
        XCTAssertEqual(r.code, 0, r.err)
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        return json?["note"] as? String
    }

    func key(_ c: Customer) -> String { "\(c.name) \(c.phone ?? "-")" }

    func csv(_ customers: [Customer]) -> String {
        "이름,휴대폰\n" + customers.map { "\($0.name),\($0.phone ?? "")\n" }.joined()
    }

    func testKilledAtAnyMomentOfAChangeTheVaultIsWhole() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "강하늘", "--phone", "010-2020-3030", "--note", "trial start")
        var loop = KillLoop(s)
        for i in 0..<3 { try loop.time(["set", id, "note=trial warm-up \(i)"]) }
        var before = "trial warm-up 2"
        let trials = KillLoop.trials("set", standard: 50)
        for trial in 0..<trials {
            let next = "trial \(trial)"
            try loop.runAndKill(["set", id, "note=\(next)"], trial: trial)
            try loop.assertWhole(trial: trial)
            let now = try note(s, id)
            XCTAssertTrue(now == before || now == next, "trial \(trial): note is \(now ?? "nil")")
            before = now ?? before
        }
        loop.report("set")
        try s.ok("set", id, "note=after the trials")
        XCTAssertEqual(try note(s, id), "after the trials", "the vault takes changes after every crash")
    }

    /// A killed `add`: the new customer is there whole or not at all.
    func testKilledAtAnyMomentOfAnAddTheCustomerIsThereOrNot() throws {
        let s = try Sandbox()
        try s.initVault()
        var salon = SyntheticSalon(seed: 9_101)
        var loop = KillLoop(s)
        for _ in 0..<3 {
            let c = salon.customer()
            try loop.time(["add", "--name", c.name, "--phone", c.phone ?? ""])
        }
        var before = try customers(s)
        for trial in 0..<KillLoop.trials("add", standard: 15) {
            let c = salon.customer()
            try loop.runAndKill(["add", "--name", c.name, "--phone", c.phone ?? ""], trial: trial)
            try loop.assertWhole(trial: trial)
            let now = try customers(s)
            XCTAssertTrue(now == before || now == before.union([key(c)]), "trial \(trial): \(now.count) customers")
            before = now
        }
        loop.report("add")
    }

    /// import promises one commit for the whole file: after a kill, all of
    /// its customers are there or none.
    func testKilledAtAnyMomentOfAnImportAllOrNoneArrive() throws {
        let s = try Sandbox()
        try s.initVault()
        var salon = SyntheticSalon(seed: 9_102)
        var loop = KillLoop(s)
        func batch(_ n: Int) throws -> (file: String, customers: [Customer]) {
            let cs = (0..<5).map { _ in salon.customer() }
            let file = s.root + "/import-\(n).csv"
            try csv(cs).write(toFile: file, atomically: true, encoding: .utf8)
            return (file, cs)
        }
        for i in 0..<3 { try loop.time(["import", try batch(-1 - i).file]) }
        var before = try customers(s)
        for trial in 0..<KillLoop.trials("import", standard: 15) {
            let (file, cs) = try batch(trial)
            try loop.runAndKill(["import", file], trial: trial)
            try loop.assertWhole(trial: trial)
            let now = try customers(s)
            XCTAssertTrue(now == before || now == before.union(cs.map(key)),
                          "trial \(trial): \(now.count - before.count) of \(cs.count) imported")
            before = now
        }
        loop.report("import")
    }

    /// A killed `erase`: the vault has its old history or its new one; the
    /// same erase (or --resume) then finishes it, and git finds nothing of
    /// the customer anywhere.
    func testKilledAtAnyMomentOfAnEraseItFinishesAfterwards() throws {
        let s = try Sandbox()
        try s.initVault()
        var salon = SyntheticSalon(seed: 9_103)
        let trials = KillLoop.trials("erase", standard: 12)
        let all = (0..<(trials + 8)).map { _ in salon.customer() }
        let file = s.root + "/salon.csv"
        try csv(all).write(toFile: file, atomically: true, encoding: .utf8)
        try s.ok("import", file)
        var victims = try ids(s)
        var loop = KillLoop(s)
        for _ in 0..<3 { try loop.time(["erase", victims.removeLast(), "--reason", "요청", "--yes"]) }
        for trial in 0..<trials {
            let id = victims.removeLast()
            // Half of them get a commit of their own, which the rewrite drops;
            // the rest live only in the shared import commit, which it rewrites.
            if trial % 2 == 0 { try s.ok("set", id, "note=trial \(trial)") }
            let path = "records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec"
            let blobs = Set(try s.git("log", "--all", "--format=", "--raw", "--no-abbrev", "--", path).out
                .split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst(3).first.map(String.init) })
            XCTAssertFalse(blobs.isEmpty, "trial \(trial): the record has versions")
            let before = try customers(s)

            try loop.runAndKill(["erase", id, "--reason", "요청", "--yes"], trial: trial)
            try loop.assertWhole(trial: trial)
            let now = try customers(s)
            let shown = try s.dangol("show", id).code
            XCTAssertTrue(shown == 0 && now == before || shown == 4 && now.isSubset(of: before) && now.count == before.count - 1,
                          "trial \(trial): old or new history (show: \(shown), \(before.count) → \(now.count))")
            if shown == 0 {
                // The old history, whole: the references never moved, so nothing was purged.
                for blob in blobs { XCTAssertEqual(try s.git("cat-file", "-e", blob).code, 0, "trial \(trial): \(blob)") }
            }

            let finish = shown == 0
                ? try s.dangol("erase", id, "--reason", "요청", "--yes")
                : try s.dangol("erase", "--resume")
            XCTAssertTrue(finish.code == 0 || shown == 4 && finish.code == 4, "trial \(trial): finishing: \(finish.err)")
            XCTAssertEqual(try s.dangol("show", id).code, 4, "trial \(trial): erased")
            XCTAssertFalse(FileManager.default.fileExists(atPath: s.vault + "/.git/dangol-erase"), "trial \(trial)")
            for blob in blobs {
                XCTAssertNotEqual(try s.git("cat-file", "-e", blob).code, 0, "trial \(trial): \(blob) is left")
            }
            let reachable = try s.git("rev-list", "--all", "--objects").out + (try s.git("log", "--all", "--format=%B").out)
            XCTAssertFalse(reachable.contains(id), "trial \(trial): the id is still named in the history")
            try loop.assertWhole(trial: trial)
            XCTAssertEqual(try customers(s).count, before.count - 1, "trial \(trial): everyone else is there")
        }
        loop.report("erase")
    }

    /// A killed `push` to a path remote: both repositories stay sound, each
    /// remote reference is at its old or its new commit, and the next push
    /// completes. Every third trial pushes after an erasure, so the kill may
    /// land in the forced push or in the purge of the remote.
    func testKilledAtAnyMomentOfAPushTheNextPushCompletes() throws {
        let s = try Sandbox()
        try s.initVault()
        let remote = s.root + "/backup.git"
        var salon = SyntheticSalon(seed: 9_104)
        var regulars = [String]()
        for _ in 0..<3 {
            let c = salon.customer()
            regulars.append(try s.ok("add", "--name", c.name, "--phone", c.phone ?? ""))
        }
        try s.ok("remote", "add", "backup", remote)
        func refs(_ gitDir: String) throws -> [String: String] {
            let out = try s.run("/usr/bin/git", ["--git-dir", gitDir, "for-each-ref", "--format=%(refname) %(objectname)",
                                                  "refs/heads/", "refs/notes/", "refs/tags/"]).out
            return Dictionary(uniqueKeysWithValues: out.split(separator: "\n").map { line in
                let f = line.split(separator: " ")
                return (String(f[0]), String(f[1]))
            })
        }
        var loop = KillLoop(s)
        for i in 0..<3 {
            try s.ok("set", regulars[0], "note=warm-up \(i)")
            try loop.time(["push"])
        }
        for trial in 0..<KillLoop.trials("push", standard: 12) {
            try s.ok("set", regulars[trial % 3], "note=trial \(trial)")
            var gone = Set<String>()
            if trial % 3 == 2 {
                let c = salon.customer()
                let id = try s.ok("add", "--name", c.name, "--phone", c.phone ?? "")
                try s.ok("push")
                let path = "records/\(id.prefix(2))/\(id.dropFirst(2).prefix(2))/\(id).rec"
                gone = Set(try s.git("rev-parse", "HEAD:\(path)").out.split(separator: "\n").map(String.init))
                try s.ok("erase", id, "--reason", "요청", "--yes")
            }
            let old = try refs(remote)
            let new = try refs(s.vault + "/.git")

            try loop.runAndKill(["push"], trial: trial)
            try loop.assertWhole(trial: trial)
            let remoteFsck = try s.run("/usr/bin/git", ["--git-dir", remote, "fsck", "--full", "--strict", "--no-dangling"])
            XCTAssertEqual(remoteFsck.code, 0, "trial \(trial): remote fsck: \(remoteFsck.err)")
            for (ref, at) in try refs(remote) {
                XCTAssertTrue(at == old[ref] || at == new[ref], "trial \(trial): \(ref) at neither its old nor new commit")
            }

            let again = try s.dangol("push")
            XCTAssertEqual(again.code, 0, "trial \(trial): the next push: \(again.err)")
            XCTAssertEqual(try refs(remote), new, "trial \(trial): the remote has the vault's references")
            XCTAssertEqual(try s.run("/usr/bin/git", ["--git-dir", remote, "fsck", "--full", "--strict"]).code, 0)
            for blob in gone {
                let left = try s.run("/usr/bin/git", ["--git-dir", remote, "cat-file", "-e", blob])
                XCTAssertNotEqual(left.code, 0, "trial \(trial): the erased record is still at the remote")
            }
        }
        loop.report("push")
    }
}

/// The two faults the push trials found, at fixed points, so that they stay fixed.
final class InterruptedPushTests: XCTestCase {
    func git(_ s: Sandbox, _ gitDir: String, _ args: String...) throws -> Sandbox.Output {
        try s.run("/usr/bin/git", ["--git-dir", gitDir] + args)
    }

    /// Killed after the forced push of an erasure and before the purge of the
    /// remote: the next push must purge it (it used to record the rewrite as
    /// seen first, and the erased record then stayed at the remote for good).
    func testAPushKilledBeforeTheRemotePurgePurgesNextTime() throws {
        let s = try Sandbox()
        try s.initVault()
        let remote = s.root + "/backup.git"
        try s.ok("add", "--name", "오서준", "--phone", "010-1111-2222")
        let erased = try s.ok("add", "--name", "한지민", "--phone", "010-2345-6789")
        try s.ok("remote", "add", "backup", remote)
        try s.ok("push")
        let rec = try s.git("rev-parse", "HEAD:records/\(erased.prefix(2))/\(erased.dropFirst(2).prefix(2))/\(erased).rec")
            .out.trimmingCharacters(in: .whitespacesAndNewlines)
        try s.ok("erase", erased, "--reason", "요청", "--yes")

        let killed = try s.dangol("push", env: ["DANGOL_TEST_CRASH_AT": "remote-purge"])
        XCTAssertEqual(killed.code, SIGKILL, killed.err)
        XCTAssertEqual(try git(s, remote, "cat-file", "-e", rec).code, 0, "killed before the purge: still there")

        let again = try s.dangol("push")
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertNotEqual(try git(s, remote, "cat-file", "-e", rec).code, 0, "the next push purged the remote")
        XCTAssertEqual(try git(s, remote, "fsck", "--full", "--strict").code, 0)
    }

    /// Lock files a killed push or purge leaves in the remote no longer fail
    /// every later push.
    func testLockFilesOfAKilledPushDoNotBlockTheNext() throws {
        let s = try Sandbox()
        try s.initVault()
        let remote = s.root + "/backup.git"
        let id = try s.ok("add", "--name", "오서준", "--phone", "010-1111-2222")
        try s.ok("remote", "add", "backup", remote)
        try s.ok("push")
        try s.ok("set", id, "note=앞머리 짧게")
        for leftover in [remote + "/packed-refs.lock", remote + "/refs/heads/main.lock"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: leftover, contents: Data()), leftover)
        }
        let push = try s.dangol("push")
        XCTAssertEqual(push.code, 0, push.err)
        XCTAssertEqual(try git(s, remote, "rev-parse", "refs/heads/main").out, try s.git("rev-parse", "refs/heads/main").out)
    }
}
