import XCTest

@testable import DangolKit

/// Record ids and the fan-out of their paths.
final class RecordIDTests: XCTestCase {
    func testRecordPathsUseTwoLevelsOfFanOut() {
        let id = RecordID(hex: "3f2a00112233445566778899aabbccdd")!
        XCTAssertEqual(id.path, "records/3f/2a/3f2a00112233445566778899aabbccdd.rec")
        XCTAssertEqual(RecordID(path: id.path), id)
        XCTAssertNil(RecordID(path: "records/00/2a/3f2a00112233445566778899aabbccdd.rec"), "a path must match its id")
        XCTAssertEqual(id.short, "3f2a0011")
    }

    func testParsing() {
        XCTAssertEqual(RecordID(hex: "3F2A00112233445566778899AABBCCDD")?.hex, "3f2a00112233445566778899aabbccdd")
        XCTAssertNil(RecordID(hex: "3f2a"))
        XCTAssertNil(RecordID(hex: "zz2a00112233445566778899aabbccdd"))
        XCTAssertNotEqual(RecordID.random(), RecordID.random())
    }
}
