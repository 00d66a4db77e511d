import DangolCrypto
import DangolGit
import XCTest

@testable import DangolKit

/// How erasure rewrites a commit message: erased ids out, summary resealed.
final class MessageScrubTests: XCTestCase {
    let gone = RecordID(hex: "3f2a00112233445566778899aabbccdd")!
    let kept = RecordID(hex: "00000000000000000000000000000001")!
    let oldTree = ObjectID(hex: String(repeating: "a", count: 40))!
    let newTree = ObjectID(hex: String(repeating: "b", count: 40))!

    func seal(_ text: String, tree: ObjectID, key: VaultKey) throws -> [UInt8] {
        try SealedText.seal(text, context: CommitMessage.summaryContext(tree: tree), key: key, purpose: .summaries)
    }

    func open(_ message: String, tree: ObjectID, key: VaultKey) throws -> String? {
        guard let sealed = CommitMessage.parse(message).sealedSummary else { return nil }
        return try SealedText.open(sealed, context: CommitMessage.summaryContext(tree: tree), key: key, purpose: .summaries)
    }

    func testSharedCommitLosesTheErasedIdAndItsPartOfTheSummary() throws {
        let key = try VaultKey.generate()
        let summary = "\(gone.short): new customer; \(kept.short): phone changed"
        let message = CommitMessage(operation: "import", records: [gone, kept],
                                    sealedSummary: try seal(summary, tree: oldTree, key: key),
                                    trailers: ["Dangol-Restored-From: 1234"]).text
        let scrub = MessageScrub(erased: [gone], key: key)
        let out = try scrub.scrub(message, oldTree: oldTree, newTree: newTree)
        XCTAssertFalse(out.contains(gone.hex))
        XCTAssertTrue(out.hasPrefix("import \(kept.hex)\n"), out)
        XCTAssertTrue(out.contains("Dangol-Record: \(kept.hex)"))
        XCTAssertTrue(out.contains("Dangol-Restored-From: 1234"), "other trailers stay")
        XCTAssertEqual(try open(out, tree: newTree, key: key), "\(kept.short): phone changed")
        XCTAssertThrowsError(try open(out, tree: oldTree, key: key), "sealed to the new tree only")
    }

    func testUntouchedCommitIsResealedOnlyWhenItsTreeChanged() throws {
        let key = try VaultKey.generate()
        let message = CommitMessage(operation: "visit", records: [kept],
                                    sealedSummary: try seal("\(kept.short): visit added", tree: oldTree, key: key)).text
        let scrub = MessageScrub(erased: [gone], key: key)
        XCTAssertEqual(try scrub.scrub(message, oldTree: oldTree, newTree: oldTree), message)
        let moved = try scrub.scrub(message, oldTree: oldTree, newTree: newTree)
        XCTAssertTrue(moved.hasPrefix("visit \(kept.hex)\n\nDangol-Record: \(kept.hex)\nDangol-Summary: v1."), moved)
        XCTAssertEqual(try open(moved, tree: newTree, key: key), "\(kept.short): visit added")
    }

    func testSummariesAndForeignMessages() throws {
        let key = try VaultKey.generate()
        let scrub = MessageScrub(erased: [gone], key: key)
        XCTAssertEqual(scrub.cleanSummary("restored from 0123abcd: \(gone.short): phone changed; \(kept.short): new customer"),
                       "restored from 0123abcd: \(kept.short): new customer")
        XCTAssertEqual(scrub.cleanSummary("\(gone.short): visit added"), "changes to an erased customer removed")
        XCTAssertEqual(scrub.cleanSummary("2 customers changed (2 new)"), "2 customers changed (2 new)")
        // A message written by hand with git keeps its words; only the id goes.
        let foreign = "fix typo for \(gone.hex)\n\nsee \(gone.hex)\n"
        XCTAssertEqual(try scrub.scrub(foreign, oldTree: oldTree, newTree: newTree), "fix typo for [erased]\n\nsee [erased]\n")
        // A summary sealed under another key cannot be cleaned, so it is dropped.
        let other = try VaultKey.generate()
        let alien = CommitMessage(operation: "set", records: [kept],
                                  sealedSummary: try seal("\(gone.short): x", tree: oldTree, key: other)).text
        XCTAssertFalse(try scrub.scrub(alien, oldTree: oldTree, newTree: newTree).contains("Dangol-Summary"))
    }

    /// Summaries sealed as data: the erased record's part goes, the rest is
    /// sealed again to the new tree, still as data.
    func testStructuredSummariesLoseTheErasedRecords() throws {
        let key = try VaultKey.generate()
        let a = Customer(name: "가", phone: "010-1111-2222", created: "2026-01-01")
        var b = a
        b.phone = "010-3333-4444"
        let summary = ChangeSummary(records: [
            ChangeSummary.Record(id: gone, old: nil, new: a), ChangeSummary.Record(id: kept, old: a, new: b),
        ])
        let message = CommitMessage(operation: "import", records: [gone, kept],
                                    sealedSummary: try summary.seal(tree: oldTree, after: nil, key: key)).text
        let out = try MessageScrub(erased: [gone], key: key).scrub(message, oldTree: oldTree, newTree: newTree)
        XCTAssertFalse(out.contains(gone.hex))
        let opened = StoredSummary(opened: try XCTUnwrap(try open(out, tree: newTree, key: key)))
        XCTAssertEqual(opened.structured?.records?.map(\.id), [kept.short])
        XCTAssertEqual(opened.text(.en), "\(kept.short): phone changed")
        XCTAssertEqual(opened.text(.ko), "\(kept.short): 전화번호 변경")

        let alone = CommitMessage(operation: "add", records: [gone],
                                  sealedSummary: try ChangeSummary(records: [ChangeSummary.Record(id: gone, old: nil, new: a)])
                                    .seal(tree: oldTree, after: nil, key: key)).text
        let scrubbed = try MessageScrub(erased: [gone], key: key).scrub(alone, oldTree: oldTree, newTree: newTree)
        let left = StoredSummary(opened: try XCTUnwrap(try open(scrubbed, tree: newTree, key: key)))
        XCTAssertEqual(left.structured?.erased, true)
        XCTAssertFalse(left.text(.en).contains(gone.short))
    }
}
