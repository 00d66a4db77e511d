import Foundation
import XCTest

/// `make demo`, the README's first command, as a new user runs it: the
/// script itself, on the binaries `make test` built, in Korean and in
/// English. It broke once unseen (a birthday with a year after birthdays
/// became month and day); this test is why it cannot again.
final class DemoTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    func demo(_ s: Sandbox, lang: String) throws -> Sandbox.Output {
        guard FileManager.default.isExecutableFile(atPath: Self.repository + "/.build/debug/dangol-synth") else {
            throw XCTSkip("dangol-synth is not built: make test builds every product before the tests")
        }
        // The demo makes its own vault and passphrase file: none of the sandbox's.
        return try s.run("/bin/sh", [Self.repository + "/scripts/demo.sh"],
                         env: ["LANG": lang, "LC_ALL": "", "LC_MESSAGES": "", "DEMO_KDF": "test",
                               "DANGOL_VAULT": "", "DANGOL_PASSPHRASE_FILE": "", "TMPDIR": s.root])
    }

    func testTheDemoRunsToTheEndInKorean() throws {
        let s = try Sandbox()
        let r = try demo(s, lang: "ko_KR.UTF-8")
        XCTAssertEqual(r.code, 0, r.out + r.err)
        for line in ["만들어 낸 고객 300명을 넣었습니다", "⚠ 알레르기: PPD", "dangol 밖에서 만든 커밋입니다",
                     "문제없음", "삭제 확인서", "찾은 곳: 0", "데모가 끝났습니다"] {
            XCTAssertTrue((r.out + r.err).contains(line), "\(line) missing from:\n\(r.out)\n\(r.err)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: s.root).filter { $0.hasPrefix("dangol-demo.") }
        XCTAssertEqual(left, [], "the throwaway vault is removed at the end")
    }

    func testTheDemoSpeaksEnglishOtherwise() throws {
        let s = try Sandbox()
        let r = try demo(s, lang: "C.UTF-8")
        XCTAssertEqual(r.code, 0, r.out + r.err)
        XCTAssertTrue(r.out.contains("found: 0") && r.out.contains("Demo done"), r.out)
        XCTAssertFalse(r.out.contains("찾은 곳"), "no Korean narration for an English reader")
    }
}
