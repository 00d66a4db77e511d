import DangolCrypto
import DangolText
import Foundation

/// The other commands' side of the unlock agent (see Agent.swift).
public enum AgentClient {
    /// A connection to the agent of this vault, if one listens and runs as
    /// this user.
    static func connect(vaultPath: String) -> Int32? {
        guard let path = try? AgentSocket.path(vaultPath: vaultPath) else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard (try? AgentSocket.withAddress(path, { Glibc.connect(fd, $0, $1) })) == 0,
            AgentSocket.peerUID(fd) == Int(getuid())
        else {
            close(fd)
            return nil
        }
        AgentSocket.setTimeouts(fd, seconds: 2)
        return fd
    }

    /// The slot id and the key the agent holds, or nil when there is none.
    static func fetch(vaultPath: String) -> (slotID: String, key: SecureBytes)? {
        guard let fd = connect(vaultPath: vaultPath) else { return nil }
        defer { close(fd) }
        guard Array("key\n".utf8).withUnsafeBytes({ AgentSocket.writeAll(fd, $0) }),
            let line = AgentSocket.readLine(fd), line.hasPrefix("ok "), line.count == 19,
            let key = try? SecureBytes(count: VaultKey.byteCount),
            key.withUnsafeMutableBytes({ AgentSocket.readExactly(fd, into: $0) })
        else { return nil }
        return (String(line.dropFirst(3)), key)
    }

    /// Asks the agent of this vault to wipe its key and end. False when
    /// there was none.
    @discardableResult
    public static func lock(vaultPath: String) -> Bool {
        guard let fd = connect(vaultPath: vaultPath) else { return false }
        defer { close(fd) }
        _ = Array("lock\n".utf8).withUnsafeBytes { AgentSocket.writeAll(fd, $0) }
        return AgentSocket.readLine(fd) == "locked"
    }
}

extension LockedVault {
    /// Unlocks with the key the vault's agent holds, as the person whose
    /// slot unlocked it (their name and role come from the vault's own slot,
    /// not from the agent). Nil when no agent answers, when it speaks for
    /// another person than `user`, or when its key does not open this vault
    /// (a stale agent after a rekey, say): the caller then asks for a
    /// passphrase as usual.
    public func unlockFromAgent(user: String?) -> Vault? {
        guard let (slotID, secret) = AgentClient.fetch(vaultPath: path),
            let file = slots.persons.first(where: { hex($0.id) == slotID }),
            user == nil || file.slot.name == user,
            let key = try? VaultKey(agentSecret: secret)
        else { return nil }
        let probe = Vault(
            path: path, repo: repo, metadata: metadata, key: key,
            person: Person(name: file.slot.name, role: file.slot.role, slotID: hex(file.id)))
        guard let head = try? probe.head(), (try? probe.summary(of: head)) != nil else { return nil }
        return try? opened(key: key, person: probe.person)
    }
}

extension Vault {
    /// Starts the agent (`executable agent`, a new process of dangol
    /// itself) for this vault and hands it the key over a pipe. Any agent
    /// already running for the vault is locked first.
    public func startAgent(executable: String, idle: TimeInterval) throws {
        AgentClient.lock(vaultPath: path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["agent", "--vault", path, "--idle", String(Int(idle.rounded(.up)))]
        // Nothing secret in its environment: no passphrase variable reaches it.
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DANGOL_") }
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { throw VaultError.io(Message("agent.cannot_start", parts: ["detail": .of(error)])) }
        let fd = input.fileHandleForWriting.fileDescriptor
        let sent =
            Array("\(person.slotID)\n".utf8).withUnsafeBytes { AgentSocket.writeAll(fd, $0) }
            && key.withRawKey { AgentSocket.writeAll(fd, $0) }
        try input.fileHandleForWriting.close()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        guard sent, answer == Data("ready\n".utf8) else {
            throw VaultError.io(Message("agent.did_not_start"))
        }
    }
}
