import DangolCrypto
import Foundation
import XCTest

/// Issue 9, item 5: after a scripted full workflow with marker customers,
/// none of their text, no passphrase, no recovery code and no key is found in
/// the vault, the remote, the clones (git objects decompressed), /tmp, /dev/shm
/// or the runtime directory; dangol's and its editor's command lines and
/// environments hold nothing secret; every file is private; no core file.
final class LeakScanTests: XCTestCase {
    /// Five customers whose every field is text no other test writes.
    struct Marked {
        let number: Int
        let name: String, phone: String, note: String, allergy: String

        init(_ number: Int, _ g: inout MarkerGenerator) {
            self.number = number
            name = g.hangul(3)
            phone = g.phone()
            note = "메모 " + g.token()
            allergy = "알레르기 " + g.token()
        }

        /// Labels name the customer by number: a failure never prints the text.
        var needles: [Needle] {
            Needle.text("customer \(number)'s name", name) + Needle.phone("customer \(number)'s phone", phone)
                + Needle.text("customer \(number)'s note", note) + Needle.text("customer \(number)'s allergy", allergy)
        }
    }

    /// What the workflow leaves to check once its own files are gone.
    struct Seen {
        var editor = [String: [UInt8]]()
        var agent = [String: [UInt8]]()
        var agentCoreFiles = [String]()
        var controlCoreFiles = [String]()
        var repositories = [String]()
        var retentionErased = 0
    }

    func testNothingLeaksFromAFullWorkflow() throws {
        // Seeded by the process id too: a run of this test by another user on
        // the same machine (their /tmp files are in this scan when run as root)
        // holds other markers.
        var g = MarkerGenerator(state: 0x6C65_616B ^ UInt64(getpid()))
        let people = (1...5).map { Marked($0, &g) }
        let formula = "웰라 " + g.token(), visitNote = "방문 " + g.token(), reaction = "반응 " + g.token()
        let edited = "편집 " + g.token(), reason = "사유 " + g.token()
        let passphrase = (0..<3).map { _ in g.token().lowercased() }.joined(separator: " ")
        let newPassphrase = (0..<3).map { _ in g.token().lowercased() }.joined(separator: " ")

        let s = try Sandbox()
        // This test's own passphrase, not the one every sandbox shares: other
        // suites running at the same time hold that one in /dev/shm.
        let passFile = s.secrets + "/leak-passphrase", newPassFile = s.secrets + "/leak-new-passphrase"
        for (path, text) in [(passFile, passphrase), (newPassFile, newPassphrase)] {
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8),
                                                         attributes: [.posixPermissions: 0o600]))
        }
        s.env["DANGOL_PASSPHRASE_FILE"] = passFile
        let run = s.root + "/run"
        XCTAssertEqual(mkdir(run, 0o700), 0)
        s.env["XDG_RUNTIME_DIR"] = run
        // The test's own plaintext (CSV, exports, editor script, /proc copies)
        // lives here and is deleted before the scan.
        let probe = s.root + "/probe"
        XCTAssertEqual(mkdir(probe, 0o700), 0)

        let (seen, code, key) = try workflow(s, people: people, probe: probe, passFile: passFile, newPassFile: newPassFile,
                                             texts: (formula, visitNote, reaction, edited, reason))

        let texts = [("a colour formula", formula), ("a visit note", visitNote), ("a reaction", reaction),
                     ("the edited note", edited), ("the erasure reason", reason), ("the first passphrase", passphrase),
                     ("the new passphrase", newPassphrase), ("the recovery code", code)]
        var needles = people.flatMap(\.needles) + texts.flatMap { Needle.text($0.0, $0.1) }
        needles += Needle.text("the recovery code, ungrouped", code.replacingOccurrences(of: "-", with: ""))
        needles += key.flatMap { Needle.secret($0.0, $0.1) }
        let markers = people.count * 4 + texts.count + key.count

        let procChecks = try checkProcesses(seen, needles: needles, binary: Sandbox.binary, probe: probe)

        // Positive control: the scanner finds the test's own plaintext files.
        let control = try LeakScan.scanTrees([probe], needles: needles, work: s.secrets, run: { try s.run($0, $1) })
        XCTAssertTrue(control.hits.keys.contains(probe + "/export.md"), "the scan must find the markers an export holds")
        XCTAssertTrue(control.hits.keys.contains(probe + "/import.csv"), "the scan must find the markers of the CSV input")

        try FileManager.default.removeItem(atPath: probe)
        try FileManager.default.removeItem(atPath: passFile)
        try FileManager.default.removeItem(atPath: newPassFile)

        // 1. Every repository, objects decompressed, and its files on disk.
        var repoBytes = 0
        for repo in seen.repositories {
            let stored = try s.everythingStored(in: repo)
            repoBytes += stored.count
            // Commit messages exist only inside zlib-compressed objects: proof that they were read.
            XCTAssertGreaterThan(LeakScan.occurrences(of: Array("Dangol-Record: ".utf8), in: stored), 0, "objects of \(repo)")
            XCTAssertEqual(LeakScan.hits(needles, in: stored), [:], "found in \(repo)")
        }
        // 2. The temp and RAM-backed directories, whole.
        var roots = ["/tmp", "/dev/shm"]
        let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? "/run/user/\(getuid())"
        for extra in [NSTemporaryDirectory(), runtime, run].map({ $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        where FileManager.default.fileExists(atPath: extra) && !roots.contains(where: { extra == $0 || extra.hasPrefix($0 + "/") }) {
            roots.append(extra)
        }
        let scan = try LeakScan.scanTrees(roots, needles: needles, work: s.secrets, run: { try s.run($0, $1) })
        XCTAssertEqual(scan.hits.mapValues { $0.joined(separator: ", ") }, [:], "plaintext or secrets left behind")
        XCTAssertGreaterThan(scan.files, 0)
        // 3. Modes: 0600 files and 0700 directories, or stricter.
        var modesChecked = 0
        for repo in seen.repositories {
            let (n, bad) = LeakScan.modeProblems(under: repo)
            modesChecked += n
            XCTAssertEqual(bad, [], "open to others in \(repo)")
        }
        // 4. No core file from a dangol killed by SIGSEGV; the control shows one would appear.
        XCTAssertEqual(seen.agentCoreFiles, [], "the agent left a core file")
        print("""
            leak scan: \(scan.files) files, \(scan.bytes) bytes under \(roots.joined(separator: " ")) \
            (\(scan.vanished) vanished while scanning); \(seen.repositories.count) repositories, \(repoBytes) bytes \
            with objects decompressed; \(markers) markers (\(people.count) customers) in \(needles.count) forms; \
            hits \(scan.hits.count); /proc files checked \(procChecks); modes checked \(modesChecked); retention erased \(seen.retentionErased); \
            control core files \(seen.controlCoreFiles.count)
            """)
    }

    /// What the editor saw of itself and of dangol, and what the agent's
    /// /proc files say. Returns how many /proc files were checked.
    func checkProcesses(_ seen: Seen, needles: [Needle], binary: String, probe: String) throws -> Int {
        let e = seen.editor
        let level = String(decoding: try XCTUnwrap(e["dangol-level"], "the editor found dangol among its ancestors"), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let dangol = "up" + level
        var checked = 0
        for (name, bytes) in e where name.hasSuffix(".cmdline") || name.hasSuffix(".environ") {
            XCTAssertEqual(LeakScan.hits(needles, in: bytes), [:], "found in the editor's copy of \(name)")
            checked += 1
        }
        let cmdline = try XCTUnwrap(e[dangol + ".cmdline"]).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(cmdline.first, binary)
        XCTAssertEqual(cmdline.dropFirst().first, "edit", "dangol's argv: \(cmdline)")
        XCTAssertEqual(cmdline.count, 3, "dangol's argv is the command and the id only")
        let editorEnv = String(decoding: try XCTUnwrap(e["editor.environ"]), as: UTF8.self)
        XCTAssertFalse(editorEnv.contains("DANGOL_PASSPHRASE"), "the editor's environment names no passphrase source")
        XCTAssertEqual(LeakScan.coreLimit(try XCTUnwrap(e[dangol + ".limits"])), ["0", "0"], "dangol set its core limit to 0")
        XCTAssertEqual(LeakScan.coreLimit(try XCTUnwrap(e["editor.limits"])), ["0", "0"], "the editor inherits it")
        XCTAssertEqual(LeakScan.caughtFatalSignals(try XCTUnwrap(e[dangol + ".status"])), [],
                       "no crash reporter catches a fatal signal in dangol")
        checked += 3
        let file = String(decoding: try XCTUnwrap(e["editor.file"]), as: UTF8.self)
        XCTAssertEqual(LeakScan.hits(needles, in: Array(file.utf8)), [:], "the plaintext file's path")
        XCTAssertTrue(file.hasPrefix("/dev/shm/dangol-edit."), "the plaintext is on the RAM-backed file system: \(file)")
        XCTAssertEqual(String(decoding: try XCTUnwrap(e["scratch.modes"]), as: UTF8.self), "700\n600\n", "private directory and file")
        XCTAssertEqual(String(decoding: try XCTUnwrap(e["scratch.files"]), as: UTF8.self),
                       ".lock\n" + (file as NSString).lastPathComponent + "\n",
                       "nothing else in the private directory but its (empty) lock")
        XCTAssertEqual(String(decoding: try XCTUnwrap(e["scratch.lock-size"]), as: UTF8.self), "0\n")

        let a = seen.agent
        // The agent is not dumpable: its environment and working directory
        // are root's to read. An ordinary user checks that they are closed
        // to it (AgentTests reads the environment as root).
        for name in getuid() == 0 ? ["cmdline", "environ"] : ["cmdline"] {
            let bytes = try XCTUnwrap(a[name] ?? nil, "the agent's \(name) is readable")
            XCTAssertEqual(LeakScan.hits(needles, in: bytes), [:], "found in the agent's \(name)")
            checked += 1
        }
        XCTAssertFalse(String(decoding: a["environ"] ?? [], as: UTF8.self).contains("DANGOL_"), "no DANGOL_ variable reaches the agent")
        XCTAssertEqual(LeakScan.coreLimit(try XCTUnwrap(a["limits"] ?? nil)), ["0", "0"], "the agent's core limit is 0")
        if getuid() == 0 {
            XCTAssertEqual(String(decoding: a["cwd"] ?? [], as: UTF8.self), probe + "/agent-cwd")
        } else {
            XCTAssertNil(a["environ"] ?? nil, "the agent's environ is open to its own user")
            XCTAssertEqual(a["cwd"], [], "the agent's working directory is open to its own user")
        }
        checked += 1
        let pattern = (try? String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8)) ?? ""
        if !pattern.hasPrefix("|") {
            XCTAssertFalse(seen.controlCoreFiles.isEmpty,
                           "the control shell left no core file although core_pattern writes files: the SIGSEGV check proves nothing")
        }
        return checked
    }

    /// The scripted session. Returns what it saw, the recovery code and the
    /// key with its subkeys.
    func workflow(_ s: Sandbox, people: [Marked], probe: String, passFile: String, newPassFile: String,
                  texts: (formula: String, visitNote: String, reaction: String, edited: String, reason: String))
        throws -> (Seen, String, [(String, [UInt8])])
    {
        var seen = Seen()
        func ok(_ args: String..., env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> String {
            let r = try s.run(Sandbox.binary, args, env: env)
            XCTAssertEqual(r.code, 0, "dangol \(args.first ?? ""): \(r.err.suffix(400))", file: file, line: line)
            return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let initOut = try ok("init", s.vault, "--owner", "원장", "--kdf-level", "test")
        let code = try XCTUnwrap(initOut.range(of: "[0-9A-Z]{4}(-[0-9A-Z]{4}){7}", options: .regularExpression).map { String(initOut[$0]) })
        let key = try vaultKey(s, passphrase: passFile)

        // A past for retention: generated customers (not markers) since 2018.
        let synth = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().appendingPathComponent("dangol-synth").path
        let made = try s.run(synth, [s.vault, "16", "--seed", "41", "--per-commit", "1", "--edits", "40", "--history-from", "2018-11-25"])
        XCTAssertEqual(made.code, 0, made.err)

        var ids = [String]()
        for p in people.prefix(3) {
            ids.append(try ok("add", "--name", p.name, "--phone", p.phone, "--note", p.note))
            try ok("set", ids.last!, "allergies=" + p.allergy)
        }
        try ok("visit", ids[0], "--service", "염색", "--formula", texts.formula, "--note", texts.visitNote, "--reaction", texts.reaction)
        try ok("consent", ids[0], "marketing_sms=yes", "birthday_coupon=no")

        seen.editor = try edit(s, id: ids[0], from: people[0].note, to: texts.edited, probe: probe)

        let csv = "이름,휴대폰,메모,알레르기\n" + people.suffix(2).map { "\($0.name),\($0.phone),\($0.note),\($0.allergy)" }.joined(separator: "\n") + "\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: probe + "/import.csv", contents: Data(csv.utf8)))
        XCTAssertTrue(try ok("import", probe + "/import.csv").contains("imported 2"))

        XCTAssertTrue(try ok("search", String(people[1].phone.suffix(4)), "--json").contains(ids[1]))
        XCTAssertTrue(try ok("search", people[3].name).contains(people[3].name))
        XCTAssertTrue(try ok("show", ids[0], "--reveal").contains(texts.edited))
        try ok("show", ids[1], "--json")
        try ok("list")
        try ok("log", ids[0])
        try ok("diff", ids[0])
        for format in ["md", "html"] {
            try ok("export", ids[0], "--format", format, "-o", probe + "/export." + format)
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: probe + "/export." + format)[.posixPermissions] as? Int, 0o600)
        }
        // textconv decrypts for git through a pipe.
        let patch = try s.git("log", "-p")
        XCTAssertTrue(patch.out.contains(texts.formula), "git log -p shows the decrypted record")

        let usb = s.root + "/usb.git", clone1 = s.root + "/clone1", clone2 = s.root + "/clone2"
        try ok("remote", "add", "usb", usb)
        try ok("push")
        try ok("clone", usb, clone1)

        seen.agent = try agent(s, id: ids[1], probe: probe, seen: &seen)

        try ok("erase", ids[2], "--reason", texts.reason, "--yes")
        let idle = try JSONSerialization.jsonObject(with: Data(try ok("retention", "--inactive", "2y", "--json").utf8)) as? [Any]
        seen.retentionErased = idle?.count ?? 0
        XCTAssertGreaterThan(seen.retentionErased, 0, "the generated past leaves someone idle for two years")
        try ok("retention", "--inactive", "2y", "--erase", "--yes")
        try ok("gc")
        XCTAssertTrue(try ok("audit", "verify").hasPrefix("access log whole"))
        try ok("passwd", env: ["DANGOL_NEW_PASSPHRASE_FILE": newPassFile])
        s.env["DANGOL_PASSPHRASE_FILE"] = newPassFile
        try ok("push")
        try ok("clone", usb, clone2)
        try ok("check", "--history")
        seen.repositories = [s.vault, usb, clone1, clone2]
        return (seen, code, key)
    }

    /// The vault key and its subkeys, opened from the owner's slot the way
    /// dangol does: the scan looks for them too.
    func vaultKey(_ s: Sandbox, passphrase: String) throws -> [(String, [UInt8])] {
        let keys = s.vault + "/keys"
        for file in try FileManager.default.contentsOfDirectory(atPath: keys) where file.hasSuffix(".slot") {
            let slot = try KeySlot.decode(Array(try Data(contentsOf: URL(fileURLWithPath: keys + "/" + file))))
            guard slot.kind == .person else { continue }
            // The passphrase file's text without its final LF, as dangol reads it.
            var secret = Array(try String(contentsOfFile: passphrase, encoding: .utf8).dropLast().utf8)
            let hex = Array(file.dropLast(5))
            let id = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0..<$0 + 2]), radix: 16)! }
            let key = try slot.unwrap(secret: try SecureBytes(consuming: &secret), slotID: id)
            let purposes: [(String, VaultKey.Purpose)] = [
                ("records", .records), ("summaries", .summaries), ("audit", .audit), ("index", .index),
                ("settings", .settings), ("people", .people),
            ]
            return [("the vault key", key.withRawKey { Array($0) })]
                + purposes.map { ("the \($0.0) subkey", key.subkey($0.1).copyBytes()) }
        }
        throw NSError(domain: "no person slot in \(keys)", code: 0)
    }

    /// `dangol edit` started with core files allowed (so a zero limit is
    /// dangol's doing); the editor copies its own and its ancestors' /proc
    /// files up to dangol, then makes the change.
    func edit(_ s: Sandbox, id: String, from: String, to: String, probe: String) throws -> [String: [UInt8]] {
        XCTAssertTrue(FileManager.default.createFile(atPath: probe + "/new-note", contents: Data(to.utf8)))
        let script = probe + "/editor"
        try """
            #!/bin/sh
            for f; do :; done
            d=\(probe)
            cat /proc/self/cmdline > $d/editor.cmdline; cat /proc/self/environ > $d/editor.environ
            cat /proc/self/limits > $d/editor.limits
            p=$PPID; i=0
            while [ "$p" -gt 1 ] && [ $i -lt 4 ]; do
              i=$((i+1))
              for n in cmdline environ limits status; do cat /proc/$p/$n > $d/up$i.$n 2>/dev/null; done
              case "$(tr '\\0' '\\n' < $d/up$i.cmdline | head -1)" in */dangol) echo $i > $d/dangol-level; break;; esac
              p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status)
            done
            printf '%s' "$f" > $d/editor.file
            stat -c '%a' "$(dirname "$f")" "$f" > $d/scratch.modes
            ls -A "$(dirname "$f")" > $d/scratch.files
            stat -c '%s' "$(dirname "$f")/.lock" > $d/scratch.lock-size
            sed -i "s/\(from)/$(cat $d/new-note)/" "$f"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o700)
        let r = try s.run("/bin/sh", Self.allowingCores([Sandbox.binary, "edit", id]), env: ["EDITOR": script])
        XCTAssertEqual(r.code, 0, r.err)
        var out = [String: [UInt8]]()
        for name in try FileManager.default.contentsOfDirectory(atPath: probe) where !name.hasPrefix("new-note") && name != "editor" {
            out[name] = Array(try Data(contentsOf: URL(fileURLWithPath: probe + "/" + name)))
        }
        return out
    }

    /// `dangol unlock` then `lock`, and `unlock` again then SIGSEGV, core
    /// files allowed and the agent's working directory known. Returns the
    /// first agent's /proc files.
    func agent(_ s: Sandbox, id: String, probe: String, seen: inout Seen) throws -> [String: [UInt8]] {
        let cwd = probe + "/agent-cwd", controlDir = probe + "/control-cwd"
        XCTAssertEqual(mkdir(cwd, 0o700), 0)
        XCTAssertEqual(mkdir(controlDir, 0o700), 0)
        func start() throws -> pid_t {
            let r = try s.run("/bin/sh", Self.allowingCores([Sandbox.binary, "unlock", "--timeout", "10m"]), cwd: cwd)
            XCTAssertEqual(r.code, 0, r.err)
            return try XCTUnwrap(Self.pids { $0.dropFirst().starts(with: ["agent", "--vault", s.vault]) }.first, "the agent runs")
        }
        let first = try start()
        defer { if Self.alive(first) { kill(first, SIGKILL) } }
        var files = LeakScan.procFiles(first)
        files["cwd"] = Array(((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(first)/cwd")) ?? "").utf8)
        let shown = try s.dangol("show", id, env: ["DANGOL_PASSPHRASE_FILE": ""])
        XCTAssertEqual(shown.code, 0, "the agent answers: \(shown.err)")
        XCTAssertEqual(try s.dangol("lock").out, "locked\n")
        for _ in 0..<100 where Self.alive(first) { usleep(50_000) }
        XCTAssertFalse(Self.alive(first), "the agent ended at lock")

        // Control: a shell allowed to dump core leaves one where dangol's would go.
        _ = try s.run("/bin/sh", ["-c", "ulimit -c unlimited; kill -SEGV $$"], cwd: controlDir)
        seen.controlCoreFiles = try FileManager.default.contentsOfDirectory(atPath: controlDir).filter { $0.hasPrefix("core") }
        let second = try start()
        defer { if Self.alive(second) { kill(second, SIGKILL) } }
        kill(second, SIGSEGV)
        for _ in 0..<100 where Self.alive(second) { usleep(50_000) }
        XCTAssertFalse(Self.alive(second), "the agent ended on SIGSEGV")
        usleep(200_000)
        seen.agentCoreFiles = try FileManager.default.contentsOfDirectory(atPath: cwd).filter { $0.hasPrefix("core") }
        return files
    }

    /// A shell command line that allows core files, then runs `command`: a
    /// zero core limit seen afterwards is dangol's own doing.
    static func allowingCores(_ command: [String]) -> [String] {
        ["-c", "ulimit -c unlimited && exec \"$0\" \"$@\""] + command
    }

    /// A fatal signal ends dangol at once: no crash report (the Swift
    /// runtime's prints registers and the memory they point to) and no core
    /// file, although the shell that started it allowed core files.
    func testAFatalSignalEndsDangolWithoutACrashReportOrCore() throws {
        let s = try Sandbox()
        let cwd = try Sandbox.makeTemp(in: s.root)
        // dangol waits for this command's output: long enough to be killed.
        let pidFile = s.root + "/helper.pid"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = Self.allowingCores([Sandbox.binary, "init", s.vault, "--owner", "원장", "--kdf-level", "test"])
        p.environment = s.env.merging(["DANGOL_PASSPHRASE_FILE": "",
                                       "DANGOL_PASSPHRASE_COMMAND": "echo $$ > \(pidFile); exec sleep 20"]) { $1 }
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let err = s.root + "/stderr"
        XCTAssertTrue(FileManager.default.createFile(atPath: err, contents: nil))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: pidFile) { usleep(50_000) }
        let helper = pid_t((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
        defer { if let helper { kill(helper, SIGKILL) } }
        let status = try String(contentsOfFile: "/proc/\(p.processIdentifier)/status", encoding: .utf8)
        XCTAssertEqual(LeakScan.caughtFatalSignals(Array(status.utf8)), [])
        kill(p.processIdentifier, SIGSEGV)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        XCTAssertEqual(p.terminationStatus, SIGSEGV)
        let printed = try String(contentsOfFile: err, encoding: .utf8)
        XCTAssertFalse(printed.contains("Registers") || printed.contains("Backtracing"), "a crash report: \(printed.prefix(300))")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cwd), [], "a core file in dangol's directory")
    }

    /// PR_SET_DUMPABLE 0, seen from outside: another process of the same
    /// (unprivileged) user cannot read dangol's /proc/PID/environ, while it can
    /// read its own. Root can read everything, so as root this runs dangol as
    /// nobody; an ordinary user runs it as itself.
    func testAnotherProcessOfTheSameUserCannotReadDangolsEnvironment() throws {
        let setpriv = "/usr/bin/setpriv"
        let asRoot = getuid() == 0
        if asRoot && !FileManager.default.isExecutableFile(atPath: setpriv) {
            throw XCTSkip("no \(setpriv): run make test-deps (installs util-linux)")
        }
        let uid = asRoot ? 65534 : getuid()
        let s = try Sandbox()
        let dir = try Sandbox.makeTemp(in: NSTemporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        if asRoot { XCTAssertEqual(chown(dir, 65534, 65534), 0) }
        // Run as dangol's passphrase command, so dangol is its parent and waits.
        let probe = dir + "/probe"
        try """
            #!/bin/sh
            d=\(dir)
            cat /proc/$PPID/environ > $d/parent.environ 2> $d/parent.err; echo $? > $d/parent.rc
            cat /proc/self/environ > $d/self.environ 2> /dev/null; echo $? > $d/self.rc
            stat -c %u /proc/$PPID/environ > $d/parent.owner; sed -n 's/^Uid:[[:space:]]*//p' /proc/$PPID/status > $d/parent.uid
            exit 1
            """.write(toFile: probe, atomically: true, encoding: .utf8)
        if asRoot { XCTAssertEqual(chown(probe, 65534, 65534), 0) }
        chmod(probe, 0o700)
        let command = [Sandbox.binary, "init", dir + "/v", "--owner", "원장", "--kdf-level", "test"]
        let r = try s.run(asRoot ? setpriv : Sandbox.binary,
                          asRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups"] + command : Array(command.dropFirst()),
                          env: ["DANGOL_PASSPHRASE_FILE": "", "DANGOL_PASSPHRASE_COMMAND": "exec " + probe, "HOME": dir])
        XCTAssertEqual(r.code, 2, "the command fails on purpose: \(r.err)")
        func read(_ name: String) throws -> String {
            try String(contentsOfFile: dir + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(try read("self.rc"), "0", "control: a dumpable process of the user reads its own environ")
        XCTAssertNotEqual(try read("parent.rc"), "0", "dangol's environ was readable to its own user")
        let denied = try read("parent.err")
        XCTAssertTrue(denied.contains("Permission denied"), denied)
        XCTAssertEqual(try read("parent.environ"), "")
        XCTAssertTrue(try read("parent.uid").hasPrefix("\(uid)"), "dangol ran as uid \(uid)")
        XCTAssertEqual(try read("parent.owner"), "0", "a process that is not dumpable has its /proc files owned by root")
    }

    static func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !stat.contains(") Z ")
    }

    /// Processes whose argv satisfies `match`.
    static func pids(where match: ([String]) -> Bool) -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }.filter { pid in
            guard let d = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return match(d.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        }
    }
}
