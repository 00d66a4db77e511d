import Foundation
import XCTest

/// A real OpenSSH server for one test: its own host key, authorized key and
/// sshd_config in a temporary directory, listening on a free loopback port,
/// stopped when the test ends. It runs as the user who runs the tests: an
/// sshd started by an ordinary user can log in only that same user, which is
/// all a test needs. dangol reaches it as ssh://USER@127.0.0.1:PORT with the
/// client key in the sandbox's $HOME/.ssh.
final class SSHServer {
    static let sshd = "/usr/sbin/sshd"
    let dir: String
    let port: Int
    /// The account the server logs in: the one running the tests.
    let user: String
    let hostPublicKey: String
    private let process: Spawned

    /// Skips the test (with the command that installs it) when sshd is missing.
    init(sandbox s: Sandbox) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sshd) else {
            throw XCTSkip("no \(Self.sshd): run make test-deps (installs openssh-server)")
        }
        guard let account = getpwuid(getuid()) else { throw NSError(domain: "getpwuid", code: Int(errno)) }
        user = String(cString: account.pointee.pw_name)
        // Started by root, sshd insists on its privilege-separation directory,
        // even with everything else in our own temporary directory; started
        // by anyone else it separates nothing and needs none.
        if getuid() == 0 {
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        }
        dir = try Sandbox.makeTemp(in: "/tmp")
        try Self.keygen(s, dir + "/host_key")
        hostPublicKey = try String(contentsOfFile: dir + "/host_key.pub", encoding: .utf8)
        let ssh = s.root + "/.ssh"
        try FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: ssh + "/id_ed25519") { try Self.keygen(s, ssh + "/id_ed25519") }
        try FileManager.default.copyItem(atPath: ssh + "/id_ed25519.pub", toPath: dir + "/authorized_keys")
        port = try Self.freePort()
        try """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(dir)/host_key
            PidFile \(dir)/sshd.pid
            AuthorizedKeysFile \(dir)/authorized_keys
            StrictModes no
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PrintMotd no
            LogLevel VERBOSE
            """.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
        process = try Spawned(Self.sshd, ["-D", "-f", dir + "/sshd_config", "-e"], stderr: dir + "/sshd.log")
        try waitForListening()
    }

    deinit { stop() }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    var log: String { (try? String(contentsOfFile: dir + "/sshd.log", encoding: .utf8)) ?? "" }

    /// ssh://USER@127.0.0.1:PORT/<dir>/<name>, a bare repository made by git.
    func bareRepository(_ s: Sandbox, _ name: String) throws -> String {
        let path = dir + "/" + name
        XCTAssertEqual(try s.run("/usr/bin/git", ["init", "-q", "--bare", "-b", "main", path]).code, 0)
        return "ssh://\(user)@127.0.0.1:\(port)\(path)"
    }

    /// The known_hosts line for this server, as ssh itself would write it unhashed.
    var knownHostsLine: String {
        let parts = hostPublicKey.split(separator: " ")
        return "[127.0.0.1]:\(port) \(parts[0]) \(parts[1])\n"
    }

    /// OpenSSH's own fingerprint of the host key (ssh-keygen -lf).
    func fingerprint(_ s: Sandbox) throws -> String {
        let out = try s.run("/usr/bin/ssh-keygen", ["-lf", dir + "/host_key.pub"]).out
        return String(out.split(separator: " ")[1])
    }

    static func keygen(_ s: Sandbox, _ path: String) throws {
        let r = try s.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "dangol-test", "-f", path])
        XCTAssertEqual(r.code, 0, r.err)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw NSError(domain: "bind", code: Int(errno)) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    private func waitForListening() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(port).bigEndian
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if rc == 0 { return }
            guard process.isRunning else { throw NSError(domain: "sshd exited: \(log)", code: 1) }
            usleep(50_000)
        }
        throw NSError(domain: "sshd did not listen on \(port): \(log)", code: 1)
    }
}

/// A long-running child (sshd, ssh-agent) started with posix_spawn and
/// reaped by its own pid. Not Foundation's Process: its child monitor
/// blocks in wait4 on a still-running child and then never reaps the short
/// dangol children the test waits for.
final class Spawned {
    let pid: pid_t
    private var reaped = false

    init(_ executable: String, _ args: [String], env: [String: String] = [:], stderr: String = "/dev/null") throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + args).map { strdup($0) } + [nil]
        let envList = ["PATH=/usr/bin:/bin"] + env.map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = envList.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw NSError(domain: "posix_spawn \(executable)", code: Int(rc)) }
        pid = child
    }

    var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            reaped = true
            return false
        }
        return true
    }

    func stop() {
        guard !reaped else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        reaped = true
    }

    deinit { stop() }
}
