import Foundation
import XCTest

/// Guarded memory is locked with mlock, which a low RLIMIT_MEMLOCK refuses
/// (libsodium ignores the refusal). dangol says so, once per command.
final class MemoryLockTests: XCTestCase {
    func testARefusedMemoryLockIsReportedOnce() throws {
        let s = try Sandbox()
        let dir = try Sandbox.makeTemp(in: NSTemporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Root may lock memory beyond the limit (CAP_IPC_LOCK): it runs dangol as nobody.
        var command = "ulimit -l 0; exec "
        if getuid() == 0 {
            let setpriv = "/usr/bin/setpriv"
            guard FileManager.default.isExecutableFile(atPath: setpriv) else {
                throw XCTSkip("needs setpriv to run dangol without CAP_IPC_LOCK as root")
            }
            XCTAssertEqual(chown(dir, 65534, 65534), 0)
            command += "\(setpriv) --reuid=65534 --regid=65534 --clear-groups "
        }
        command += "'\(Sandbox.binary)' init '\(dir)/v' --owner 원장 --kdf-level test"
        let r = try s.run("/bin/sh", ["-c", command], env: [
            "DANGOL_PASSPHRASE_FILE": "", "DANGOL_PASSPHRASE": Sandbox.passphrase, "HOME": dir,
        ])
        XCTAssertEqual(r.code, 0, r.err)
        let warnings = r.err.components(separatedBy: "\n").filter { $0.contains("memory could not be locked") }
        XCTAssertEqual(warnings.count, 1, r.err)

        // With the usual limit there is nothing to report.
        let normal = try s.dangol("init", s.vault, "--owner", "원장", "--kdf-level", "test")
        XCTAssertEqual(normal.code, 0, normal.err)
        XCTAssertFalse(normal.err.contains("memory could not be locked"), normal.err)
    }
}
