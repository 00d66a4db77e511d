internal import CLibgit2
import Foundation

/// How dangol talks to a remote: where its ssh keys and known_hosts are,
/// whether an unknown host key may be trusted, and who hears progress.
public struct TransportSettings {
    /// The directory holding id_ed25519, id_rsa and known_hosts (~/.ssh).
    public var sshDirectory: String
    /// Trust and record a host key that known_hosts does not have yet.
    /// A changed key is refused all the same.
    public var acceptNewHostKey = false
    /// ssh-agent's socket, when one runs (SSH_AUTH_SOCK).
    public var agentSocket: String?
    /// (objects done, objects total) while a pack is written or received.
    public var progress: ((Int, Int) -> Void)?

    public init(sshDirectory: String, acceptNewHostKey: Bool = false, agentSocket: String? = nil) {
        self.sshDirectory = sshDirectory
        self.acceptNewHostKey = acceptNewHostKey
        self.agentSocket = agentSocket
    }
}

/// Why talking to a remote failed, in terms a user can act on.
public enum RemoteFailure: Error, CustomStringConvertible, Equatable {
    case unknownHost(host: String, fingerprint: String, knownHosts: String)
    case changedHostKey(host: String, fingerprint: String, knownHosts: String, line: Int)
    case revokedHostKey(host: String, fingerprint: String, knownHosts: String, line: Int)
    case noHostKey(host: String)
    case authentication(host: String, tried: [String])
    case rejected(ref: String, status: String)
    case failed(String)

    public var description: String {
        switch self {
        case .unknownHost(let h, let f, let k):
            return "the host key of \(h) is not in \(k) (\(f)); compare it with the server's own "
                + "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it), then run again with --accept-new-host-key"
        case .changedHostKey(let h, let f, let k, let line):
            return "THE HOST KEY OF \(h) HAS CHANGED: the server now shows \(f), which is not the key in \(k) "
                + "line \(line). Someone may be intercepting the connection. Nothing was sent. If the server's key "
                + "really changed, remove that line yourself (ssh-keygen -R) and connect again"
        case .revokedHostKey(let h, let f, let k, let line):
            return "the host key of \(h) (\(f)) is marked @revoked in \(k) line \(line); nothing was sent"
        case .noHostKey(let h):
            return "\(h) did not show a host key dangol can check; nothing was sent"
        case .authentication(let h, let tried):
            return
                "\(h) accepted none of the ssh keys tried (\(tried.isEmpty ? "none found" : tried.joined(separator: ", "))); "
                + "load a key into ssh-agent or put one in ~/.ssh/id_ed25519, without a passphrase prompt"
        case .rejected(let ref, let status):
            return "the remote refused \(ref): \(status)"
        case .failed(let m):
            return m
        }
    }
}

/// The state libgit2's callbacks share during one fetch or push. It lives
/// as long as the call; libgit2 gets an unretained pointer to it.
final class TransportContext {
    let settings: TransportSettings
    /// Host and port from the URL (libgit2 passes the callback the host
    /// only, and known_hosts names non-standard ports).
    let host: String?
    let port: Int
    var failure: RemoteFailure?
    var credentialStep = 0
    var tried = [String]()
    var rejected = [(String, String)]()

    init(settings: TransportSettings, url: String) {
        self.settings = settings
        let parsed = SSHURL(url)
        host = parsed?.host
        port = parsed?.port ?? 22
    }

    var label: String { KnownHosts.label(host: host ?? "", port: port) }
    var knownHosts: KnownHosts { KnownHosts(path: settings.sshDirectory + "/known_hosts") }

    func fillCallbacks(_ cb: inout git_remote_callbacks) {
        cb.payload = Unmanaged.passUnretained(self).toOpaque()
        // libgit2 always passes the payload it was given and a certificate;
        // a missing one fails the connection rather than trusting it.
        cb.certificate_check = { cert, _, host, payload in
            guard let payload, let cert else { return GIT_ECERTIFICATE.rawValue }
            let ctx = Unmanaged<TransportContext>.fromOpaque(payload).takeUnretainedValue()
            return ctx.checkCertificate(cert, host: host.map { String(cString: $0) })
        }
        cb.credentials = { out, _, user, allowed, payload in
            guard let payload, let out else { return GIT_EAUTH.rawValue }
            let ctx = Unmanaged<TransportContext>.fromOpaque(payload).takeUnretainedValue()
            return ctx.credential(out, user: user.map { String(cString: $0) }, allowed: allowed)
        }
        cb.push_update_reference = { ref, status, payload in
            guard let payload else { return 0 }
            let ctx = Unmanaged<TransportContext>.fromOpaque(payload).takeUnretainedValue()
            if let status { ctx.rejected.append((ref.map { String(cString: $0) } ?? "a ref", String(cString: status))) }
            return 0
        }
        cb.push_transfer_progress = { current, total, _, payload in
            guard let payload else { return 0 }
            let ctx = Unmanaged<TransportContext>.fromOpaque(payload).takeUnretainedValue()
            ctx.settings.progress?(Int(current), Int(total))
            return 0
        }
        cb.transfer_progress = { stats, payload in
            guard let payload else { return 0 }
            let ctx = Unmanaged<TransportContext>.fromOpaque(payload).takeUnretainedValue()
            if let s = stats?.pointee { ctx.settings.progress?(Int(s.received_objects), Int(s.total_objects)) }
            return 0
        }
    }

    /// known_hosts decides; libgit2's own opinion (it has none for ssh) is
    /// never used.
    func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, host: String?) -> Int32 {
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            failure = .failed("only ssh:// and path remotes are supported")
            return GIT_ECERTIFICATE.rawValue
        }
        let hk = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let name = label
        guard hk.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hk.hostkey, hk.hostkey_len > 0 else {
            failure = .noHostKey(host: name)
            return GIT_ECERTIFICATE.rawValue
        }
        let key = Array(UnsafeRawBufferPointer(start: raw, count: hk.hostkey_len))
        let sha = withUnsafeBytes(of: hk.hash_sha256) { Array($0) }
        let fp = KnownHosts.fingerprint(sha256: sha)
        let file = knownHosts
        switch file.verdict(label: name, key: key) {
        case .known:
            return 0
        case .changed(let line):
            failure = .changedHostKey(host: name, fingerprint: fp, knownHosts: file.path, line: line)
        case .revoked(let line):
            failure = .revokedHostKey(host: name, fingerprint: fp, knownHosts: file.path, line: line)
        case .unknown:
            guard settings.acceptNewHostKey else {
                failure = .unknownHost(host: name, fingerprint: fp, knownHosts: file.path)
                return GIT_ECERTIFICATE.rawValue
            }
            do {
                try file.add(label: name, key: key)
                return 0
            } catch {
                failure = .failed("could not add the host key of \(name) to \(file.path): \(error)")
            }
        }
        return GIT_ECERTIFICATE.rawValue
    }

    /// ssh-agent first (when it runs), then ~/.ssh/id_ed25519, then id_rsa;
    /// each tried once, so a refusing server ends the loop instead of
    /// libgit2 asking forever. Keys with a passphrase are not supported:
    /// dangol never prompts for an ssh passphrase.
    func credential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, user: String?,
        allowed: UInt32
    ) -> Int32 {
        guard allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else {
            failure = .failed("the remote asks for a kind of login dangol does not offer (only ssh keys)")
            return GIT_EAUTH.rawValue
        }
        let user = user ?? ProcessInfo.processInfo.userName
        var candidates = [(String, () -> Int32)]()
        if settings.agentSocket != nil {
            candidates.append(("ssh-agent", { git_credential_ssh_key_from_agent(out, user) }))
        }
        for name in ["id_ed25519", "id_rsa"] {
            let key = settings.sshDirectory + "/" + name
            guard FileManager.default.fileExists(atPath: key) else { continue }
            let pub = FileManager.default.fileExists(atPath: key + ".pub") ? key + ".pub" : nil
            candidates.append((key, { git_credential_ssh_key_new(out, user, pub, key, nil) }))
        }
        guard credentialStep < candidates.count else {
            failure = .authentication(host: label, tried: tried)
            return GIT_EAUTH.rawValue
        }
        let (name, make) = candidates[credentialStep]
        credentialStep += 1
        tried.append(name)
        return make()
    }

    /// The error to report for a failed libgit2 call: ours when a callback
    /// refused, else libgit2's own message.
    func error(_ e: Error, remote: String) -> RemoteFailure {
        if let failure { return failure }
        if let g = e as? GitError { return .failed("\(remote): \(g.message)") }
        return .failed("\(remote): \(e)")
    }
}

/// The parts of ssh://[user@]host[:port]/path dangol needs.
public struct SSHURL: Equatable {
    public let user: String?
    public let host: String
    public let port: Int?
    public let path: String

    public init(user: String?, host: String, port: Int?, path: String) {
        self.user = user
        self.host = host
        self.port = port
        self.path = path
    }

    public init?(_ url: String) {
        guard url.hasPrefix("ssh://") else { return nil }
        let rest = url.dropFirst("ssh://".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        var authority = String(rest[..<slash])
        path = String(rest[slash...])
        if let at = authority.lastIndex(of: "@") {
            user = String(authority[..<at])
            authority = String(authority[authority.index(after: at)...])
        } else {
            user = nil
        }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            port = p
        } else {
            host = authority
            port = nil
        }
        guard !host.isEmpty, path.count > 1 else { return nil }
    }
}
