import Foundation
import XCTest

/// Push and clone over a real sshd on loopback, and the host-key policy:
/// an unknown key refused (then trusted with --accept-new-host-key, hashed
/// into known_hosts), a changed key refused even with the flag.
final class SSHRemoteTests: XCTestCase {
    func knownHosts(_ s: Sandbox) -> String { s.root + "/.ssh/known_hosts" }

    func testPushAndCloneOverSSH() throws {
        let s = try Sandbox()
        try s.initVault()
        let server = try SSHServer(sandbox: s)
        defer { server.stop() }
        try server.knownHostsLine.write(toFile: knownHosts(s), atomically: true, encoding: .utf8)
        let a = try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        try s.ok("visit", a, "--service", "염색")
        let url = try server.bareRepository(s, "salon.git")
        try s.ok("remote", "add", "nas", url)
        let push = try s.dangol("push", "nas")
        XCTAssertEqual(push.code, 0, push.err + server.log)
        let remote = server.dir + "/salon.git"
        XCTAssertEqual(try s.run("/usr/bin/git", ["-C", remote, "rev-parse", "main"]).out,
                       try s.git("rev-parse", "main").out)

        let restored = s.root + "/restored"
        let clone = try s.dangol("clone", url, restored, "--history")
        XCTAssertEqual(clone.code, 0, clone.err)
        XCTAssertTrue(clone.out.contains("2 record versions"), clone.out)
        XCTAssertTrue(try s.ok("show", a, "--vault", restored).contains("박서연"))
        XCTAssertEqual(try String(contentsOfFile: knownHosts(s), encoding: .utf8), server.knownHostsLine,
                       "a known host is not written again")
    }

    func testUnknownHostIsRefusedThenAcceptedWithTheFlag() throws {
        let s = try Sandbox()
        try s.initVault()
        let server = try SSHServer(sandbox: s)
        defer { server.stop() }
        try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        let url = try server.bareRepository(s, "salon.git")
        try s.ok("remote", "add", "nas", url)

        let refused = try s.dangol("push", "nas")
        XCTAssertEqual(refused.code, 7)
        XCTAssertTrue(refused.err.contains("[127.0.0.1]:\(server.port)"), refused.err)
        XCTAssertTrue(refused.err.contains(try server.fingerprint(s)), refused.err)
        XCTAssertTrue(refused.err.contains("--accept-new-host-key"), refused.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: knownHosts(s)))
        XCTAssertNotEqual(try s.run("/usr/bin/git", ["-C", server.dir + "/salon.git", "rev-parse", "main"]).code, 0,
                          "nothing was sent")
        XCTAssertEqual(try s.dangol("clone", url, s.root + "/c").code, 7)

        let accepted = try s.dangol("push", "nas", "--accept-new-host-key")
        XCTAssertEqual(accepted.code, 0, accepted.err)
        let line = try String(contentsOfFile: knownHosts(s), encoding: .utf8)
        XCTAssertTrue(line.hasPrefix("|1|"), "hashed, as Debian's ssh does: \(line)")
        XCTAssertFalse(line.contains("127.0.0.1"))
        // OpenSSH itself finds the host in what dangol wrote.
        let found = try s.run("/usr/bin/ssh-keygen", ["-F", "[127.0.0.1]:\(server.port)", "-f", knownHosts(s)])
        XCTAssertEqual(found.code, 0, found.out + found.err)
        try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        XCTAssertEqual(try s.dangol("push", "nas").code, 0, "known now, no flag needed")
        XCTAssertEqual(try s.dangol("clone", url, s.root + "/c").code, 0)
    }

    func testChangedHostKeyIsRefusedEvenWithTheFlag() throws {
        let s = try Sandbox()
        try s.initVault()
        let server = try SSHServer(sandbox: s)
        defer { server.stop() }
        // Another key on file for this host and port, hashed by ssh-keygen -H.
        try SSHServer.keygen(s, s.root + "/impostor")
        let other = try String(contentsOfFile: s.root + "/impostor.pub", encoding: .utf8).split(separator: " ")
        try "[127.0.0.1]:\(server.port) \(other[0]) \(other[1])\n".write(toFile: knownHosts(s), atomically: true,
                                                                         encoding: .utf8)
        XCTAssertEqual(try s.run("/usr/bin/ssh-keygen", ["-H", "-f", knownHosts(s)]).code, 0)
        let before = try String(contentsOfFile: knownHosts(s), encoding: .utf8)
        XCTAssertTrue(before.hasPrefix("|1|"))
        try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        let url = try server.bareRepository(s, "salon.git")
        try s.ok("remote", "add", "nas", url)

        for args in [["push", "nas"], ["push", "nas", "--accept-new-host-key"]] {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, 7, r.err)
            XCTAssertTrue(r.err.contains("THE HOST KEY OF [127.0.0.1]:\(server.port) HAS CHANGED"), r.err)
            XCTAssertTrue(r.err.contains(try server.fingerprint(s)), r.err)
        }
        XCTAssertEqual(try String(contentsOfFile: knownHosts(s), encoding: .utf8), before, "never overwritten")
        XCTAssertEqual(try s.dangol("clone", url, s.root + "/c", "--accept-new-host-key").code, 7)
    }

    /// The key from a running ssh-agent, with no key file in ~/.ssh.
    func testKeyFromSSHAgent() throws {
        let s = try Sandbox()
        try s.initVault()
        let server = try SSHServer(sandbox: s)
        defer { server.stop() }
        try server.knownHostsLine.write(toFile: knownHosts(s), atomically: true, encoding: .utf8)
        let agentKey = s.root + "/agent_key"
        try FileManager.default.moveItem(atPath: s.root + "/.ssh/id_ed25519", toPath: agentKey)
        try FileManager.default.removeItem(atPath: s.root + "/.ssh/id_ed25519.pub")
        let socket = server.dir + "/agent.sock"
        let agent = try Spawned("/usr/bin/ssh-agent", ["-D", "-a", socket])
        defer { agent.stop() }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { usleep(20_000) }
        let added = try s.run("/usr/bin/ssh-add", [agentKey], env: ["SSH_AUTH_SOCK": socket])
        XCTAssertEqual(added.code, 0, added.err)

        try s.ok("add", "--name", "박서연", "--phone", "010-2345-6789")
        try s.ok("remote", "add", "nas", try server.bareRepository(s, "salon.git"))
        XCTAssertEqual(try s.dangol("push", "nas").code, 7, "no agent, no key file: nothing to log in with")
        let r = try s.dangol("push", "nas", env: ["SSH_AUTH_SOCK": socket])
        XCTAssertEqual(r.code, 0, r.err + server.log)
    }
}
