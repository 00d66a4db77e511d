import Foundation
import XCTest

/// dangol retention on a vault with a past: what it lists, and --erase as
/// one rewrite with one receipt.
final class RetentionTests: XCTestCase {
    func json(_ s: Sandbox, _ args: String...) throws -> Any {
        let r = try s.run(Sandbox.binary, args)
        XCTAssertEqual(r.code, 0, "\(args): \(r.err)")
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }

    func testRetentionErasesEveryListedCustomerInOneRewrite() throws {
        let s = try Sandbox()
        try s.initVault()
        // Forty customers and their visits spread over eight years of commits.
        let synth = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().appendingPathComponent("dangol-synth").path
        let made = try s.run(synth, [s.vault, "40", "--seed", "9", "--per-commit", "1", "--edits", "120",
                                     "--history-from", "2018-11-25"])
        XCTAssertEqual(made.code, 0, made.err)

        XCTAssertEqual(try s.dangol("retention", "--inactive", "3 years").code, 2, "a period it cannot read is a usage error")
        let listed = try json(s, "retention", "--inactive", "2y", "--json") as! [[String: Any]]
        let ids = Set(listed.map { $0["id"] as! String })
        XCTAssertGreaterThan(ids.count, 1, "the generated history leaves several customers idle for two years")
        XCTAssertLessThan(ids.count, 40)
        XCTAssertTrue(listed.allSatisfy { ($0["phone"] as? String)?.contains("****") ?? false }, "phones masked")
        let everyone = Set((try json(s, "list", "--json") as! [[String: Any]]).map { $0["id"] as! String })

        // No terminal and no --yes: refused, nothing erased.
        let refused = try s.dangol("retention", "--inactive", "2y", "--erase")
        XCTAssertEqual(refused.code, 2)
        XCTAssertTrue(refused.err.contains("--yes"), refused.err)
        XCTAssertEqual(Set((try json(s, "retention", "--inactive", "2y", "--json") as! [[String: Any]]).map { $0["id"] as! String }), ids)

        let printed = try json(s, "retention", "--inactive", "2y", "--erase", "--yes", "--json") as! [[String: Any]]
        XCTAssertEqual(printed.count, 1, "one receipt")
        let receipt = printed[0]
        XCTAssertEqual(Set(receipt["records"] as? [String] ?? []), ids)
        XCTAssertEqual(receipt["remnants_found"] as? Int, 0)
        XCTAssertEqual(receipt["reason"] as? String, "retention: inactive for more than 2y")
        let receipts = try json(s, "audit", "--action", "erase", "--json") as! [[String: Any]]
        XCTAssertEqual(receipts.count, 1, "one rewrite, one receipt for all of them")

        // Gone from every version; everyone else still there and readable.
        XCTAssertEqual((try json(s, "retention", "--inactive", "2y", "--json") as! [Any]).count, 0)
        let left = Set((try json(s, "list", "--json") as! [[String: Any]]).map { $0["id"] as! String })
        XCTAssertEqual(left, everyone.subtracting(ids))
        let objects = try s.git("rev-list", "--all", "--objects").out
        let messages = try s.git("log", "--all", "--format=%B").out
        for id in ids {
            XCTAssertFalse(objects.contains(id), "no path of \(id) in any commit")
            XCTAssertFalse(messages.contains(id), "no message names \(id)")
        }
        XCTAssertEqual(try s.git("fsck", "--full", "--strict").code, 0)
        XCTAssertEqual(try s.dangol("check").code, 0)
    }
}
