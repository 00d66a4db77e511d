import Foundation

/// OpenSSH's ~/.ssh/known_hosts, as far as dangol needs it: is this host's
/// key the one on file, another one, or none at all; and adding a new one.
/// Plain host patterns (with `*`, `?`, `!` and `[host]:port`) and hashed
/// entries (`|1|base64 salt|base64 HMAC-SHA1(salt, host)`) are read;
/// `@cert-authority` lines are skipped, `@revoked` keys are refused
/// wherever they stand in the file.
public struct KnownHosts {
    public enum Verdict: Equatable {
        case known
        case unknown
        /// On file with another key: the server changed, or someone is in
        /// between. Never overridden by dangol.
        case changed(line: Int)
        case revoked(line: Int)
    }

    public let path: String

    public init(path: String) { self.path = path }

    /// The name known_hosts uses for a host: `[host]:port` unless port 22.
    public static func label(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// OpenSSH's fingerprint of a key blob: SHA256: and unpadded base64.
    public static func fingerprint(sha256: [UInt8]) -> String {
        "SHA256:" + Data(sha256).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// The key type written inside the SSH wire-format blob ("ssh-ed25519").
    public static func keyType(_ blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let n = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard n > 0, n <= 64, blob.count >= 4 + n else { return nil }
        return String(bytes: blob[4..<(4 + n)], encoding: .ascii)
    }

    /// A revoked key is refused wherever its `@revoked` line stands, before
    /// or after a line that trusts it, and whatever host it names: OpenSSH
    /// calls such a key one that "must not ever be accepted", and the first
    /// match must not decide, or a line added above would undo a revocation.
    public func verdict(label: String, key: [UInt8]) -> Verdict {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return .unknown }
        var known = false
        var sawOther: Int?
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }  // @cert-authority: certificates are not used
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let blob = Data(base64Encoded: fields[2]).map(Array.init) else { continue }
            if revoked {
                if blob == key { return .revoked(line: n + 1) }
                continue
            }
            guard Self.matches(patterns: fields[0], label: label) else { continue }
            if blob == key { known = true } else if sawOther == nil { sawOther = n + 1 }
        }
        if known { return .known }
        return sawOther.map { .changed(line: $0) } ?? .unknown
    }

    /// Appends the key, hashed as Debian's ssh_config does (HashKnownHosts),
    /// so the file does not list the hosts it knows.
    public func add(label: String, key: [UInt8]) throws {
        guard let type = Self.keyType(key) else {
            throw GitError(function: "known_hosts", result: .notFound, message: "the server's key has no readable type")
        }
        let salt = (0..<20).map { _ in UInt8.random(in: 0...255) }
        let mac = HMACSHA1.mac(key: salt, message: Array(label.utf8))
        let line =
            "|1|\(Data(salt).base64EncodedString())|\(Data(mac).base64EncodedString()) \(type) "
            + Data(key).base64EncodedString() + "\n"
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw GitError(function: "open(\(path))", result: .notFound, message: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        // A file that does not end in a newline gets one first.
        if let existing = FileManager.default.contents(atPath: path), let last = existing.last, last != 0x0A {
            _ = write(fd, "\n", 1)
        }
        let bytes = Array(line.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw GitError(function: "write(\(path))", result: .notFound, message: String(cString: strerror(errno)))
        }
    }

    /// One host field: comma-separated patterns, `!` negates; or one hash.
    static func matches(patterns: String, label: String) -> Bool {
        if patterns.hasPrefix("|1|") {
            let parts = patterns.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 4, let salt = Data(base64Encoded: String(parts[2])),
                let hash = Data(base64Encoded: String(parts[3]))
            else { return false }
            return HMACSHA1.mac(key: Array(salt), message: Array(label.utf8)) == Array(hash)
        }
        var matched = false
        for p in patterns.split(separator: ",") {
            let negated = p.hasPrefix("!")
            let pattern = negated ? String(p.dropFirst()) : String(p)
            // Host names are case-insensitive. Only * and ? are wildcards
            // (OpenSSH's match_pattern); "[" is literal, as in [host]:port.
            if wildcard(Array(pattern.lowercased().utf8)[...], Array(label.lowercased().utf8)[...]) {
                if negated { return false }
                matched = true
            }
        }
        return matched
    }
}

/// `*` matches any run of bytes, `?` one byte, anything else itself.
func wildcard(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
    guard let c = p.first else { return s.isEmpty }
    switch c {
    case UInt8(ascii: "*"):
        var rest = s
        while true {
            if wildcard(p.dropFirst(), rest) { return true }
            if rest.isEmpty { return false }
            rest = rest.dropFirst()
        }
    case UInt8(ascii: "?"):
        return !s.isEmpty && wildcard(p.dropFirst(), s.dropFirst())
    default:
        return s.first == c && wildcard(p.dropFirst(), s.dropFirst())
    }
}

/// HMAC-SHA1 (RFC 2104), only because OpenSSH hashes known_hosts names
/// with it; nothing in dangol's own format uses SHA-1 for security.
enum HMACSHA1 {
    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var k = key
        if k.count > 64 {
            var h = SHA1()
            h.update(k)
            k = h.finish()
        }
        k += [UInt8](repeating: 0, count: 64 - k.count)
        var inner = SHA1()
        inner.update(k.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA1()
        outer.update(k.map { $0 ^ 0x5c })
        outer.update(inner.finish())
        return outer.finish()
    }
}
