import Foundation
import XCTest

/// `dangol edit` and `dangol add` in $EDITOR, pass-style: a fake editor
/// script stands in for the person at the keyboard.
final class EditTests: XCTestCase {
    /// Writes an editor script; it gets the file as its last argument.
    func editor(_ s: Sandbox, _ name: String, _ body: String) throws -> String {
        let path = s.root + "/" + name
        try ("#!/bin/sh\nfor f; do :; done\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// Directories dangol leaves in the RAM-backed and temp locations.
    func leftovers() -> [String] {
        ["/dev/shm", NSTemporaryDirectory()].flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("dangol-edit.") }
        }
    }

    /// Searches everything under /dev/shm, and whatever dangol could have made
    /// in the temp directory, for a piece of plaintext.
    func plaintextLeft(_ marker: String) -> Bool {
        var roots = ["/dev/shm"]
        let tmp = NSTemporaryDirectory()
        roots += ((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [])
            .filter { $0.hasPrefix("dangol-edit.") }.map { tmp + "/" + $0 }
        for dir in roots {
            guard let e = FileManager.default.enumerator(atPath: dir) else { continue }
            while let rel = e.nextObject() as? String {
                if let d = FileManager.default.contents(atPath: dir + "/" + rel),
                   d.range(of: Data(marker.utf8)) != nil { return true }
            }
        }
        return false
    }

    func testValidChangeIsCommittedAndNothingIsLeftBehind() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "배수지", "--phone", "010-4321-8765", "--note", "편집전메모")
        let before = try s.commitCount()
        // The editor also records what it was started with and its environment.
        let ed = try editor(s, "ed-ok", """
            printf '%s' "$f" > "\(s.root)/editor-args"
            env > "\(s.root)/editor-env"
            sed -i 's/편집전메모/편집후메모/' "$f"
            """)
        let r = try s.dangol("edit", id, env: ["EDITOR": ed])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(try s.commitCount(), before + 1)
        XCTAssertTrue(try s.ok("show", id, "--json").contains("편집후메모"))
        XCTAssertEqual(leftovers(), [], "the private directory is removed")
        XCTAssertFalse(plaintextLeft("편집"), "plaintext left in /dev/shm or the temp dir")
        let editorEnv = try String(contentsOfFile: s.root + "/editor-env", encoding: .utf8)
        XCTAssertFalse(editorEnv.contains("DANGOL_PASSPHRASE"), "the editor must not see passphrase variables")
        XCTAssertFalse(editorEnv.contains(Sandbox.passphrase))
        let args = try String(contentsOfFile: s.root + "/editor-args", encoding: .utf8)
        XCTAssertTrue(args.hasPrefix("/dev/shm/dangol-edit."), "the file is on the RAM-backed file system: \(args)")
    }

    func testVimIsStartedWithoutSwapUndoOrViminfo() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "배수지", "--phone", "010-4321-8765")
        let dir = s.root + "/bin"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "#!/bin/sh\nprintf '%s ' \"$@\" > \"\(s.root)/vim-args\"\n".write(toFile: dir + "/vim", atomically: true, encoding: .utf8)
        chmod(dir + "/vim", 0o755)
        let r = try s.dangol("edit", id, env: ["EDITOR": dir + "/vim"])
        XCTAssertEqual(r.code, 0, r.err)
        let args = try String(contentsOfFile: s.root + "/vim-args", encoding: .utf8)
        for flag in ["-n", "-i NONE", "noswapfile", "noundofile", "nobackup", "viminfo="] {
            XCTAssertTrue(args.contains(flag), "vim started without \(flag): \(args)")
        }
    }

    func testInvalidJSONReopensWithTheMessageAndKeepsTheText() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "배수지", "--phone", "010-4321-8765")
        let before = try s.commitCount()
        // First round: break the JSON. Second round: check the message is on
        // top and the broken text kept, then fix it.
        let ed = try editor(s, "ed-twice", """
            n=$(cat "\(s.root)/rounds" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\(s.root)/rounds"
            if [ $n = 1 ]; then sed -i 's/"name" : "배수지"/"name" : "배수지" BROKEN/' "$f"; exit 0; fi
            head -1 "$f" > "\(s.root)/first-line"
            grep -c BROKEN "$f" > "\(s.root)/kept"
            sed -i 's/ BROKEN//; s/"배수지"/"배수지2"/' "$f"
            """)
        let r = try s.dangol("edit", id, env: ["EDITOR": ed])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(try String(contentsOfFile: s.root + "/rounds", encoding: .utf8), "2\n")
        XCTAssertEqual(try String(contentsOfFile: s.root + "/first-line", encoding: .utf8), "// not valid JSON\n")
        XCTAssertEqual(try String(contentsOfFile: s.root + "/kept", encoding: .utf8), "1\n", "the user's text was kept")
        XCTAssertEqual(try s.commitCount(), before + 1)
        XCTAssertTrue(try s.ok("show", id, "--json").contains("배수지2"))
    }

    func testSchemaErrorAndResidentNumberReopenTheEditor() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "배수지", "--phone", "010-4321-8765")
        let ed = try editor(s, "ed-rrn", """
            n=$(cat "\(s.root)/rounds" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\(s.root)/rounds"
            if [ $n = 1 ]; then sed -i 's/"phone"/"note" : "900314-2345678",\\n  "phone"/' "$f"; exit 0; fi
            head -1 "$f" > "\(s.root)/first-line"
            : > "$f"
            """)
        let before = try s.commitCount()
        let r = try s.dangol("edit", id, env: ["EDITOR": ed])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(try String(contentsOfFile: s.root + "/first-line", encoding: .utf8).contains("주민등록번호"))
        XCTAssertEqual(try s.commitCount(), before, "an emptied file cancels")
        XCTAssertFalse(plaintextLeft("900314"))
    }

    /// An editor that hands back the broken text it was given would be
    /// opened again forever: without a terminal to ask, dangol stops with
    /// the schema's exit code; at a terminal it asks.
    func testAnEditorThatChangesNothingAfterAMistakeEnds() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "배수지", "--phone", "010-4321-8765")
        let before = try s.commitCount()
        // Round 1 breaks the phone; every later round leaves the file alone.
        let ed = try editor(s, "ed-stuck", """
            n=$(cat "\(s.root)/rounds" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\(s.root)/rounds"
            if [ $n = 1 ]; then sed -i 's/010-4321-8765/12/' "$f"; fi
            if [ $n = 3 ]; then sed -i 's/"12"/"010-1111-2222"/' "$f"; fi
            exit 0
            """)
        let r = try s.dangol("edit", id, env: ["EDITOR": ed])
        XCTAssertEqual(r.code, 8, r.err)
        XCTAssertTrue(r.err.contains("unchanged") && r.err.contains("phone") && r.err.contains("nothing was saved"), r.err)
        XCTAssertEqual(try String(contentsOfFile: s.root + "/rounds", encoding: .utf8), "2\n", "opened twice, not forever")
        XCTAssertEqual(try s.commitCount(), before)
        XCTAssertEqual(leftovers(), [])
        XCTAssertFalse(plaintextLeft("배수지"))

        // At a terminal: asked; c cancels, Enter opens the editor again.
        try FileManager.default.removeItem(atPath: s.root + "/rounds")
        let cancel = try PseudoTerminal(s, ["edit", id], env: ["EDITOR": ed])
        cancel.expect("the editor changed nothing")
        cancel.expect("Enter: edit again · c: cancel")
        cancel.type("c")
        XCTAssertEqual(cancel.finish(), 0, cancel.screen)
        XCTAssertEqual(try s.commitCount(), before)
        try FileManager.default.removeItem(atPath: s.root + "/rounds")
        let again = try PseudoTerminal(s, ["edit", id], env: ["EDITOR": ed])
        again.expect("Enter: edit again · c: cancel")
        again.type("")
        XCTAssertEqual(again.finish(), 0, again.screen)
        XCTAssertEqual(try s.commitCount(), before + 1, "the third round fixed it and it was saved")
        XCTAssertEqual(try String(contentsOfFile: s.root + "/rounds", encoding: .utf8), "3\n")
    }

    func testNoChangeMakesNoCommitAndAKilledEditorSavesNothing() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "배수지", "--phone", "010-4321-8765")
        let before = try s.commitCount()
        let same = try s.dangol("edit", id, env: ["EDITOR": "true"])
        XCTAssertEqual(same.code, 0)
        XCTAssertTrue(same.err.contains("no change"), same.err)
        let killer = try editor(s, "ed-kill", "sed -i 's/배수지/김수지/' \"$f\"; kill -9 $$")
        let killed = try s.dangol("edit", id, env: ["EDITOR": killer])
        XCTAssertNotEqual(killed.code, 0)
        XCTAssertTrue(killed.err.contains("nothing was saved"), killed.err)
        XCTAssertEqual(try s.commitCount(), before)
        XCTAssertEqual(leftovers(), [])
        XCTAssertFalse(plaintextLeft("배수지"))
    }

    /// Starts `dangol edit` with an editor script that writes the path of
    /// the decrypted file to `marker` (then does `then`); returns the running
    /// dangol and that path once the editor has it open.
    func editInBackground(_ s: Sandbox, _ id: String, marker: String, then: String) throws -> (Process, String) {
        let ed = try editor(s, "ed-\((marker as NSString).lastPathComponent)", "echo \"$f\" > \"\(marker)\"; \(then)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Sandbox.binary)
        p.arguments = ["edit", id]
        p.environment = s.env.merging(["EDITOR": ed]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var waited = 0.0
        while !FileManager.default.fileExists(atPath: marker) && waited < 10 {
            usleep(100_000)
            waited += 0.1
        }
        return (p, try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testSIGTERMWipesThePlaintext() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "배수지", "--phone", "010-4321-8765", "--note", "종료시험메모")
        let (p, file) = try editInBackground(s, id, marker: s.root + "/file", then: "sleep 30")
        XCTAssertTrue(FileManager.default.fileExists(atPath: file))
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "the decrypted file survived SIGTERM")
        XCTAssertEqual(leftovers(), [])
        XCTAssertFalse(plaintextLeft("종료시험메모"))
    }

    /// SIGKILL gives dangol no chance to wipe: the next dangol to start does.
    func testAKilledDangolsPlaintextIsWipedAtTheNextStart() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "배수지", "--phone", "010-4321-8765", "--note", "강제종료메모")
        let (p, file) = try editInBackground(s, id, marker: s.root + "/file", then: "echo $$ > \"\(s.root)/pid\"; sleep 30")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        usleep(200_000)
        if let pid = Int32((try? String(contentsOfFile: s.root + "/pid", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") { kill(pid, SIGKILL) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: file), "SIGKILL leaves the file behind")
        XCTAssertTrue(plaintextLeft("강제종료메모"))
        // A dangol that is editing right now keeps its directory.
        let (busy, busyFile) = try editInBackground(s, id, marker: s.root + "/busy-file", then: "sleep 3")

        XCTAssertEqual(try s.dangol("list").code, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file), "the killed dangol's file was not wiped")
        XCTAssertFalse(FileManager.default.fileExists(atPath: (file as NSString).deletingLastPathComponent))
        XCTAssertTrue(FileManager.default.fileExists(atPath: busyFile), "a live edit was swept away")
        busy.waitUntilExit()
        XCTAssertFalse(plaintextLeft("강제종료메모"))
    }

    func testAddWithEditorOpensTheTemplate() throws {
        let s = try Sandbox()
        try s.initVault()
        let ed = try editor(s, "ed-new", """
            cp "$f" "\(s.root)/template-seen"
            sed -i 's/"name": ""/"name": "신규고객"/; s/"phone": ""/"phone": "010-2468-1357"/' "$f"
            """)
        let r = try s.dangol("add", "--editor", env: ["EDITOR": ed])
        XCTAssertEqual(r.code, 0, r.err)
        let id = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(id.count, 32)
        XCTAssertTrue(try String(contentsOfFile: s.root + "/template-seen", encoding: .utf8).contains("\"visits\""))
        let json = try s.ok("show", id, "--json", "--reveal")
        XCTAssertTrue(json.contains("신규고객") && json.contains("010-2468-1357"), json)
        let cancel = try s.dangol("add", "--editor", env: ["EDITOR": "true"])
        XCTAssertEqual(cancel.code, 0)
        XCTAssertTrue(cancel.err.contains("nothing saved"), cancel.err)
    }
}
