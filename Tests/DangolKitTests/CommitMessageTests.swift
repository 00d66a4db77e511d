import Foundation
import XCTest

@testable import DangolKit

/// Commit messages carry the operation and record ids; the summary only sealed.
final class CommitMessageTests: XCTestCase {
    let ids = [RecordID(hex: "3f2a00112233445566778899aabbccdd")!, RecordID(hex: "00000000000000000000000000000001")!]

    func testTextAndParseRoundTrip() {
        let m = CommitMessage(
            operation: "set", records: ids, sealedSummary: [1, 2, 3, 250], trailers: ["Dangol-Restored-From: abc"])
        let parsed = CommitMessage.parse(m.text)
        XCTAssertEqual(parsed, m)
        XCTAssertEqual(
            CommitMessage.parse(CommitMessage(operation: "init", records: [], sealedSummary: nil).text),
            CommitMessage(operation: "init", records: [], sealedSummary: nil))
    }

    func testTheTextHoldsOnlyTheOperationIdsAndBase64Trailers() throws {
        let summary: [UInt8] = Array("phone changed".utf8)
        let m = CommitMessage(operation: "set", records: ids, sealedSummary: summary)
        XCTAssertEqual(
            m.text,
            """
            set 3f2a00112233445566778899aabbccdd 00000000000000000000000000000001

            Dangol-Record: 3f2a00112233445566778899aabbccdd
            Dangol-Record: 00000000000000000000000000000001
            Dangol-Summary: v1.\(Data(summary).base64EncodedString())

            """)
        let allowed = try NSRegularExpression(
            pattern: "^(set( [0-9a-f]{32})+|Dangol-Record: [0-9a-f]{32}|Dangol-Summary: v1\\.[A-Za-z0-9+/]+=*|)$")
        for line in m.text.split(separator: "\n", omittingEmptySubsequences: false) {
            let s = String(line)
            XCTAssertNotNil(allowed.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), s)
        }
        XCTAssertFalse(m.text.contains("phone"))
    }

    func testManyRecordsAreCountedInTheSubject() {
        let many = (0..<5).map { _ in RecordID.random() }
        let m = CommitMessage(operation: "import", records: many, sealedSummary: nil)
        XCTAssertTrue(m.text.hasPrefix("import 5 records\n\n"))
        XCTAssertEqual(CommitMessage.parse(m.text).records, many)
        XCTAssertTrue(
            CommitMessage(operation: "visit", records: Array(many.prefix(3)), sealedSummary: nil).text
                .hasPrefix("visit \(many[0].hex) \(many[1].hex) \(many[2].hex)\n"))
    }

    func testForeignMessagesParseToNothingPersonal() {
        let parsed = CommitMessage.parse("Fix typo in 김민지's note\n\nSigned-off-by: x\n")
        XCTAssertEqual(parsed.operation, "Fix")
        XCTAssertEqual(parsed.records, [])
        XCTAssertNil(parsed.sealedSummary)
        XCTAssertEqual(parsed.trailers, [])
    }
}
