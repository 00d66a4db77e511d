import Foundation
import XCTest

/// Sealed summaries and access-log entries are padded to size buckets: the
/// length of what git stores says neither which field changed nor how many
/// customers a search showed.
final class PaddedSizesTests: XCTestCase {
    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    func testSummariesAndLogEntriesHaveBucketSizes() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678")
        let b = try s.ok("add", "--name", "김민서", "--phone", "010-2222-5678")
        try s.ok("add", "--name", "김민호", "--phone", "010-3333-5678")
        try s.ok("set", a, "phone=010-1234-9999")
        try s.ok("set", b, "name=김민주", "note=두피 예민, 염색 전 패치 테스트", "birthday=02-03")
        try s.ok("search", "김민지")
        try s.ok("search", "김민")

        let overhead = 24 + 16
        func boxSize(_ base64: String) throws -> Int { try XCTUnwrap(Data(base64Encoded: base64)).count }
        // Summaries: one per commit, each 256 bytes (+ nonce and tag) at this size.
        var summaries = [String: Int]()
        for c in lines(try s.git("rev-list", "HEAD").out) {
            let message = try s.git("log", "-1", "--format=%B", c).out
            let subject = message.split(separator: "\n").first.map(String.init) ?? ""
            guard let trailer = lines(message).first(where: { $0.hasPrefix("Dangol-Summary: ") }) else { continue }
            let body = String(trailer.dropFirst("Dangol-Summary: ".count).drop { $0 != "." }.dropFirst())
            summaries[subject] = try boxSize(body)
        }
        XCTAssertEqual(summaries["set \(a)"], 256 + overhead, "\(summaries)")
        XCTAssertEqual(summaries["set \(a)"], summaries["set \(b)"], "one field or three: the same size")
        XCTAssertTrue(summaries.values.allSatisfy { [256, 512, 1024].map { $0 + overhead }.contains($0) }, "\(summaries)")

        // The access log: every line a 512-byte bucket here, the search that
        // showed one customer as long as the one that showed three.
        let logLines = try s.accessLogLines()
        XCTAssertEqual(logLines.count, 7, "three adds, two sets, two searches")
        for l in logLines { XCTAssertEqual(try boxSize(l), 512 + overhead) }
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try s.ok("audit", "--json").utf8)) as? [[String: Any]])
        let searches = entries.filter { $0["action"] as? String == "search" }.map { ($0["records"] as? [String])?.count }
        XCTAssertEqual(searches, [1, 3])
    }
}
