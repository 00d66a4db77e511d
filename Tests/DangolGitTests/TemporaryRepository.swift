import DangolGit
import Foundation
import XCTest

/// A test case with a fresh directory under the system temporary directory,
/// removed afterwards, and the real git CLI to check what libgit2 wrote.
class TemporaryRepositoryTestCase: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dangol-git-\(UUID().uuidString)").path
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// Runs /usr/bin/git -C dir with a clean environment (no user config).
    func git(_ args: String...) throws -> (code: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        p.arguments = ["-C", dir] + args
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": dir, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func blob(_ repo: Repository, _ text: String) throws -> ObjectID { try repo.writeBlob(Array(text.utf8)) }
}
