import Foundation
import XCTest

/// Two writers at once: one waits or fails clearly, no update is lost.
final class ConcurrencyTests: XCTestCase {
    func testParallelWritersLoseNoUpdate() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "윤서준", "--phone", "010-4444-1111")
        let perWriter = 8
        let group = DispatchGroup()
        let failures = Failures()
        for writer in 0..<2 {
            DispatchQueue.global().async(group: group) {
                for i in 0..<perWriter {
                    let r = try? s.dangol("visit", id, "--service", "커트", "--note", "w\(writer)-\(i)")
                    if r?.code != 0 { failures.add(r?.err ?? "did not run") }
                }
            }
        }
        group.wait()
        XCTAssertEqual(failures.all, [], "with the default 10 s lock wait every writer gets its turn")
        let json = try JSONSerialization.jsonObject(with: Data(try s.ok("show", id, "--json").utf8)) as! [String: Any]
        let notes = Set((json["visits"] as! [[String: Any]]).compactMap { $0["note"] as? String })
        XCTAssertEqual(notes.count, 2 * perWriter, "an update was lost")
        XCTAssertEqual(try s.commitCount(), 2 + 2 * perWriter)
        XCTAssertEqual(try s.git("fsck", "--full", "--strict").code, 0)
    }

    func testASecondWriterFailsClearlyWhileTheLockIsHeld() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "윤서준", "--phone", "010-4444-1111")
        let fd = open(s.vault + "/.git/dangol.lock", O_RDWR | O_CREAT, 0o600)
        XCTAssertEqual(flock(fd, LOCK_EX), 0)
        defer { close(fd) }
        let r = try s.dangol("visit", id, "--service", "커트", env: ["DANGOL_LOCK_TIMEOUT": "0.3"])
        XCTAssertEqual(r.code, 6)
        XCTAssertTrue(r.err.contains("another dangol is changing this vault"), r.err)
        XCTAssertEqual(try s.commitCount(), 2)
    }
}

/// Error texts collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items = [String]()
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
