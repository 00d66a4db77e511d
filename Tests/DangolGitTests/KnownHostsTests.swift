import Foundation
import XCTest

@testable import DangolGit

/// known_hosts as OpenSSH writes it; HMAC-SHA1 against RFC 2202.
final class KnownHostsTests: XCTestCase {
    func testHMACSHA1Vectors() {
        // RFC 2202 test cases 1 and 2.
        XCTAssertEqual(hex(HMACSHA1.mac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))),
                       "b617318655057264e28bc0b6fb378c8ef146be00")
        XCTAssertEqual(hex(HMACSHA1.mac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))),
                       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        // Case 6: a key longer than the block is hashed first.
        XCTAssertEqual(hex(HMACSHA1.mac(key: [UInt8](repeating: 0xaa, count: 80),
                                        message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))),
                       "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    }

    func testPatterns() {
        XCTAssertTrue(KnownHosts.matches(patterns: "[nas.local]:2222", label: "[nas.local]:2222"))
        XCTAssertFalse(KnownHosts.matches(patterns: "[nas.local]:2222", label: "nas.local"))
        XCTAssertTrue(KnownHosts.matches(patterns: "other,NAS.local", label: "nas.local"))
        XCTAssertTrue(KnownHosts.matches(patterns: "*.local", label: "nas.local"))
        XCTAssertTrue(KnownHosts.matches(patterns: "nas?.local", label: "nas2.local"))
        XCTAssertFalse(KnownHosts.matches(patterns: "*.local,!nas.local", label: "nas.local"))
        XCTAssertEqual(KnownHosts.label(host: "nas.local", port: 22), "nas.local")
        XCTAssertEqual(KnownHosts.label(host: "nas.local", port: 2222), "[nas.local]:2222")
    }

    func testVerdictsAndHashedAdd() throws {
        let dir = NSTemporaryDirectory() + "kh-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = KnownHosts(path: dir + "/.ssh/known_hosts")
        let key = blob("ssh-ed25519", 1), other = blob("ssh-ed25519", 2)
        XCTAssertEqual(file.verdict(label: "nas", key: key), .unknown)
        try file.add(label: "nas", key: key)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("|1|") && !text.contains("nas"), text)
        XCTAssertEqual(file.verdict(label: "nas", key: key), .known)
        XCTAssertEqual(file.verdict(label: "nas", key: other), .changed(line: 1))
        XCTAssertEqual(file.verdict(label: "[nas]:2222", key: key), .unknown)
        let revoked = "@revoked nas ssh-ed25519 \(Data(other).base64EncodedString())\n"
        try (text + revoked).write(toFile: file.path, atomically: true, encoding: .utf8)
        XCTAssertEqual(file.verdict(label: "nas", key: other), .revoked(line: 2))
        XCTAssertEqual(KnownHosts.keyType(key), "ssh-ed25519")
    }

    /// A revocation wins over a line that trusts the same key, whether it
    /// comes before or after it, and whichever host the line names.
    func testARevokedLineWinsWhereverItStands() throws {
        let dir = NSTemporaryDirectory() + "kh-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = KnownHosts(path: dir + "/known_hosts")
        let key = blob("ssh-ed25519", 3), b64 = Data(blob("ssh-ed25519", 3)).base64EncodedString()
        let trusted = "nas ssh-ed25519 \(b64)\n", revoked = "@revoked * ssh-ed25519 \(b64)\n"
        try (trusted + revoked).write(toFile: file.path, atomically: true, encoding: .utf8)
        XCTAssertEqual(file.verdict(label: "nas", key: key), .revoked(line: 2))
        try (revoked + trusted).write(toFile: file.path, atomically: true, encoding: .utf8)
        XCTAssertEqual(file.verdict(label: "nas", key: key), .revoked(line: 1))
        try (trusted + "@revoked other.host ssh-ed25519 \(b64)\n").write(toFile: file.path, atomically: true, encoding: .utf8)
        XCTAssertEqual(file.verdict(label: "nas", key: key), .revoked(line: 2))
        // A trusted key is still known when another key is on file too.
        let other = Data(blob("ssh-ed25519", 4)).base64EncodedString()
        try ("nas ssh-ed25519 \(other)\n" + trusted).write(toFile: file.path, atomically: true, encoding: .utf8)
        XCTAssertEqual(file.verdict(label: "nas", key: key), .known)
    }

    private func blob(_ type: String, _ fill: UInt8) -> [UInt8] {
        let t = Array(type.utf8)
        return [0, 0, 0, UInt8(t.count)] + t + [0, 0, 0, 32] + [UInt8](repeating: fill, count: 32)
    }

    private func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    func testSSHURLs() {
        XCTAssertEqual(SSHURL("ssh://backup@nas.local/srv/salon.git"),
                       SSHURL(user: "backup", host: "nas.local", port: nil, path: "/srv/salon.git"))
        XCTAssertEqual(SSHURL("ssh://backup@127.0.0.1:2222/srv/s.git")?.port, 2222)
        XCTAssertNil(SSHURL("ssh://backup@nas.local:99999/srv/s.git"))
        XCTAssertNil(SSHURL("https://nas.local/srv/s.git"))
    }
}
