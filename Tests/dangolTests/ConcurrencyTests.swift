import Foundation
import XCTest

/// Two writers at once: one waits or fails clearly, no update is lost.
final class ConcurrencyTests: XCTestCase {
    /// The shape: two processes making 100 changes each (a visit
    /// with a note of its own), to the same customer and to one customer
    /// each. Every change is there, or its writer was told it lost (exit 6,
    /// a clear message) and it is not; the history holds one commit per
    /// saved change and git, `dangol check` and `audit verify` find it whole.
    /// With the default lock wait (10 s) every writer gets its turn; with a
    /// wait shorter than a change, writers lose. CONCURRENCY_CHANGES sets
    /// the count per writer.
    static let perWriter = Int(ProcessInfo.processInfo.environment["CONCURRENCY_CHANGES"] ?? "") ?? 100

    func twoWriters(sameCustomer: Bool, lockWait: String? = nil) throws -> (saved: Int, lost: Int) {
        let s = try Sandbox()
        try s.initVault()
        let first = try s.ok("add", "--name", "윤서준", "--phone", "010-4444-1111")
        let second = sameCustomer ? first : try s.ok("add", "--name", "오지은", "--phone", "010-5151-6262")
        let commitsBefore = try s.commitCount()
        let group = DispatchGroup()
        let saved = Failures(), lost = Failures(), unclear = Failures()
        let t0 = Date()
        for (writer, id) in [first, second].enumerated() {
            DispatchQueue.global().async(group: group) {
                for i in 0..<Self.perWriter {
                    let note = "writer \(writer) change \(i)"
                    let env = lockWait.map { ["DANGOL_LOCK_TIMEOUT": $0] } ?? [:]
                    guard let r = try? s.dangol("visit", id, "--service", "커트", "--note", note, env: env) else {
                        unclear.add("\(note): did not run")
                        continue
                    }
                    if r.code == 0 {
                        saved.add(note)
                    } else if r.code == 6 && r.err.contains("another dangol is changing this vault") {
                        lost.add(note)
                    } else {
                        unclear.add("\(note): exit \(r.code): \(r.err)")
                    }
                }
            }
        }
        group.wait()
        let seconds = Date().timeIntervalSince(t0)
        XCTAssertEqual(unclear.all, [], "every loser is told clearly")
        var present = Set<String>()
        for id in Set([first, second]) {
            let visits = try s.customer(id)?["visits"] as? [[String: Any]] ?? []
            present.formUnion(visits.compactMap { $0["note"] as? String })
        }
        XCTAssertEqual(present, Set(saved.all), "a saved change is missing, or a lost one is there")
        XCTAssertEqual(saved.all.count + lost.all.count, 2 * Self.perWriter)
        XCTAssertEqual(try s.commitCount(), commitsBefore + saved.all.count, "one commit per saved change")
        try s.assertWhole("after two writers")
        print(String(format: "two writers, %@, lock wait %@: %d changes saved, %d refused, %.1f s",
                     sameCustomer ? "same customer" : "different customers", lockWait ?? "10 s",
                     saved.all.count, lost.all.count, seconds))
        return (saved.all.count, lost.all.count)
    }

    func testTwoWritersOnOneCustomerLoseNoChange() throws {
        XCTAssertEqual(try twoWriters(sameCustomer: true).saved, 2 * Self.perWriter)
    }

    func testTwoWritersOnTwoCustomersLoseNoChange() throws {
        XCTAssertEqual(try twoWriters(sameCustomer: false).saved, 2 * Self.perWriter)
    }

    /// A lock wait far shorter than a change: writers lose, each is told,
    /// and what it lost is absent (checked inside).
    func testWritersThatCannotWaitAreToldAndLeaveNoTrace() throws {
        let (saved, _) = try twoWriters(sameCustomer: true, lockWait: "0.01")
        XCTAssertGreaterThan(saved, 0)
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
