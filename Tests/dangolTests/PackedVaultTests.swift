import Foundation
import XCTest

/// A vault whose history dangol has packed: everything reads as before, and
/// an erasure rewrites the pack instead of deleting loose files.
final class PackedVaultTests: XCTestCase {
    func testGCThenEveryCommandAndAnErasure() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "팩유지", "--phone", "010-3030-4040")
        let b = try s.ok("add", "--name", "팩삭제", "--phone", "010-5050-6060", "--note", "지울 메모")
        try s.ok("visit", b, "--service", "염색", "--formula", "웰라 6/0")
        try s.ok("set", a, "note=남길 메모")
        let blobs = Set(try s.git("log", "--all", "--format=", "--raw", "--no-abbrev").out.split(separator: "\n")
            .compactMap { line -> String? in
                let f = line.split(separator: " ")
                return f.count >= 5 && line.hasSuffix("\(b).rec") ? String(f[3]) : nil
            }).subtracting([String(repeating: "0", count: 40)])
        XCTAssertEqual(blobs.count, 2)

        let packed = try s.ok("gc")
        XCTAssertTrue(packed.hasPrefix("packed "), packed)
        XCTAssertTrue(try s.git("count-objects", "-v").out.contains("count: 0\n"), "no loose object left")
        XCTAssertEqual(try s.git("fsck", "--full", "--strict").code, 0)
        XCTAssertTrue(try s.ok("search", "4040").contains("팩유지"))
        XCTAssertTrue(try s.ok("show", b).contains("팩삭제"))
        XCTAssertTrue(try s.ok("log", a).contains("note"))

        try s.ok("erase", b, "--reason", "고객 요청", "--yes")
        for blob in blobs { XCTAssertNotEqual(try s.git("cat-file", "-e", blob).code, 0, "\(blob) gone from the pack") }
        XCTAssertEqual(try s.git("fsck", "--full", "--strict").code, 0)
        XCTAssertEqual(try s.dangol("show", b).code, 4)
        XCTAssertTrue(try s.ok("show", a).contains("남길 메모"))
        XCTAssertEqual(try s.dangol("check").code, 0)
    }
}
