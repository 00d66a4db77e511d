import Foundation
import XCTest

/// `dangol unlock` / `lock`: the agent is used when present, answers on a
/// 0600 socket, and is gone after its idle timeout or a lock.
final class AgentTests: XCTestCase {
    /// A vault, and an environment with no passphrase source at all.
    func salon() throws -> (Sandbox, String, [String: String]) {
        let s = try Sandbox()
        let run = s.root + "/run"
        XCTAssertEqual(mkdir(run, 0o700), 0)
        s.env["XDG_RUNTIME_DIR"] = run
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        return (s, id, ["DANGOL_PASSPHRASE_FILE": ""])
    }

    func sockets(_ s: Sandbox) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: s.env["XDG_RUNTIME_DIR"]! + "/dangol")) ?? [])
            .filter { $0.hasSuffix(".sock") }.map { s.env["XDG_RUNTIME_DIR"]! + "/dangol/" + $0 }
    }

    func testUsedWhilePresentAndWipedByLock() throws {
        let (s, id, noPassphrase) = try salon()
        defer { try? s.dangol("lock") }
        XCTAssertEqual(try s.dangol("show", id, env: noPassphrase).code, 2, "no agent yet: no passphrase source")
        try s.ok("unlock", "--timeout", "10m")
        let socket = try XCTUnwrap(sockets(s).first)
        let mode = (try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)
        let dirMode = (try FileManager.default.attributesOfItem(atPath: s.env["XDG_RUNTIME_DIR"]! + "/dangol")[
            .posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(dirMode, 0o700)

        let shown = try s.dangol("show", id, env: noPassphrase)
        XCTAssertEqual(shown.code, 0, shown.err)
        XCTAssertTrue(shown.out.contains("김민지"))
        let visit = try s.dangol("visit", id, "--service", "커트", env: noPassphrase)
        XCTAssertEqual(visit.code, 0, "changes too: \(visit.err)")
        XCTAssertTrue(try s.git("log", "-1", "--invert-grep", "--grep=^audit$", "--format=%an").out.contains("원장"))

        XCTAssertEqual(try s.ok("lock"), "locked")
        XCTAssertEqual(sockets(s), [], "the socket goes with the agent")
        XCTAssertEqual(try s.dangol("show", id, env: noPassphrase).code, 2, "locked: the passphrase is needed again")
        XCTAssertEqual(try s.ok("lock"), "no agent was holding this vault's key")
    }

    func testGoneAfterTheIdleTimeout() throws {
        let (s, id, noPassphrase) = try salon()
        defer { try? s.dangol("lock") }
        try s.ok("unlock", "--timeout", "2s")
        XCTAssertEqual(try s.dangol("show", id, env: noPassphrase).code, 0)
        Thread.sleep(forTimeInterval: 3.5)
        XCTAssertEqual(sockets(s), [])
        XCTAssertEqual(try s.dangol("show", id, env: noPassphrase).code, 2)
    }

    /// The agent's pid, from its command line as `ps` shows it to anyone:
    /// which must not hold the passphrase.
    func agentPid(_ s: Sandbox) throws -> String {
        let ps = try s.run("/bin/ps", ["-eo", "pid=,args="])
        let agentLine = try XCTUnwrap(ps.out.split(separator: "\n").first { $0.contains(" agent --vault \(s.vault) ") })
        XCTAssertFalse(agentLine.contains(Sandbox.passphrase))
        return agentLine.split(separator: " ").first.map(String.init) ?? ""
    }

    func testAgentNeverSeesAPassphraseAndSpeaksForItsPerson() throws {
        let (s, id, noPassphrase) = try salon()
        defer { try? s.dangol("lock") }
        try s.ok("unlock")
        let pid = try agentPid(s)
        if getuid() != 0 {
            // Not dumpable: its own user cannot read its environment either
            // (root can: testTheAgentsEnvironmentHoldsNoPassphraseVariable).
            XCTAssertNil(FileManager.default.contents(atPath: "/proc/\(pid)/environ"), "the agent's environ is readable")
        }
        // No core file, ever: RLIMIT_CORE is 0 in the agent (it is not dumpable either).
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let core = try XCTUnwrap(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
        XCTAssertEqual(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2), ["0", "0"])
        // Its key is in locked memory.
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let locked = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmLck:") })
        XCTAssertNotEqual(locked.split(separator: " ", omittingEmptySubsequences: true)[1], "0", String(locked))
        // Asked for another person, it stands aside and the passphrase is needed.
        XCTAssertEqual(try s.dangol("show", id, env: noPassphrase.merging(["DANGOL_USER": "지수"]) { $1 }).code, 2,
                       "the agent's key is not used for someone else: a passphrase is asked for")
    }

    /// The agent is not dumpable, so only root can read its /proc/PID/environ.
    func testTheAgentsEnvironmentHoldsNoPassphraseVariable() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root: reading a process's /proc/PID/environ that is not dumpable") }
        let (s, _, _) = try salon()
        defer { try? s.dangol("lock") }
        try s.ok("unlock")
        let pid = try agentPid(s)
        let environ = try String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ")), as: UTF8.self)
        XCTAssertTrue(environ.contains("PATH="), "the environment was read")
        XCTAssertFalse(environ.contains("DANGOL_"), "no passphrase variable in the agent's environment")
    }
}

/// The agent's own check of who is asking (SO_PEERCRED), with the directory's
/// protection taken away on purpose: another user still gets nothing.
final class AgentPeerTests: XCTestCase {
    func testAnotherUserGetsNoKeyEvenThroughAnOpenSocket() throws {
        let python = "/usr/bin/python3", setpriv = "/usr/bin/setpriv"
        guard getuid() == 0 else { throw XCTSkip("needs root: connecting to the agent as another user") }
        for tool in [python, setpriv] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("no \(tool): run make test-deps (installs python3 and util-linux)")
        }
        let s = try Sandbox()
        let run = s.root + "/run"
        XCTAssertEqual(mkdir(run, 0o700), 0)
        s.env["XDG_RUNTIME_DIR"] = run
        try s.initVault()
        try s.ok("unlock")
        let dir = run + "/dangol"
        var opened = [(String, mode_t)]()
        defer {
            // Private again, or dangol lock (rightly) would not trust it.
            for (p, mode) in opened { chmod(p, mode) }
            try? s.dangol("lock")
        }
        let socket = dir + "/" + (try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: dir).first))
        // Open every directory on the way and the socket itself to everyone.
        var path = socket
        while path != "/" {
            path = (path as NSString).deletingLastPathComponent
            var st = stat()
            if stat(path, &st) == 0 {
                opened.append((path, st.st_mode & 0o7777))
                chmod(path, st.st_mode & 0o7777 | 0o011)
            }
        }
        chmod(socket, 0o666)
        let client = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.connect(sys.argv[1])
            data = b""
            try:
                s.sendall(b"key\\n")
                s.settimeout(3)
                while True:
                    chunk = s.recv(100)
                    if not chunk: break
                    data += chunk
            except (BrokenPipeError, ConnectionResetError):
                pass  # the agent hung up at once
            print(len(data))
            """
        let asNobody = try s.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", python, "-c", client, socket])
        XCTAssertEqual(asNobody.code, 0, "nobody could connect: \(asNobody.err.suffix(300))")
        XCTAssertEqual(asNobody.out.trimmingCharacters(in: .whitespacesAndNewlines), "0", "the agent answered another user")
        let asRoot = try s.run(python, ["-c", client, socket])
        XCTAssertEqual(asRoot.out.trimmingCharacters(in: .whitespacesAndNewlines), "52", "slot line (20) and key (32) for its own user")
    }
}
