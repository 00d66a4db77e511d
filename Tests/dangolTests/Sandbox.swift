import Foundation
import XCTest

/// A temporary home for one end-to-end test: a vault path, a passphrase file
/// on a RAM-backed file system, and a way to run the real `dangol` binary.
final class Sandbox {
    static let passphrase = "violet staple orbit canyon"
    let root: String
    let secrets: String
    let vault: String
    var env: [String: String]

    init() throws {
        root = try Self.makeTemp(in: NSTemporaryDirectory())
        let ram = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : root
        secrets = try Self.makeTemp(in: ram)
        vault = root + "/salon"
        let pass = secrets + "/passphrase"
        // 0600 from the start, as a user's passphrase file should be.
        guard FileManager.default.createFile(atPath: pass, contents: Data((Self.passphrase + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown) }
        env = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": root, "LANG": "C.UTF-8",
            "DANGOL_PASSPHRASE_FILE": pass, "DANGOL_VAULT": vault,
            // Tests run git right after dangol: mirror before returning.
            "DANGOL_MIRROR": "inline",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        ]
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
        try? FileManager.default.removeItem(atPath: secrets)
    }

    static func makeTemp(in dir: String) throws -> String {
        var template = ((dir.hasSuffix("/") ? dir : dir + "/") + "dangol-test.XXXXXX").utf8CString
        guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw NSError(domain: "mkdtemp", code: Int(errno))
        }
        return String(cString: p)
    }

    /// The dangol binary built next to this test bundle (or $DANGOL_BIN).
    static let binary: String = {
        if let b = ProcessInfo.processInfo.environment["DANGOL_BIN"] { return b }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("dangol").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        for arg in CommandLine.arguments where arg.hasSuffix(".xctest") {
            let candidate = URL(fileURLWithPath: arg).deletingLastPathComponent().appendingPathComponent("dangol").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/dangol"
    }()

    struct Output {
        let code: Int32
        let out: String
        let err: String
    }

    @discardableResult
    func run(_ executable: String, _ args: [String], env extra: [String: String] = [:], cwd: String? = nil,
             input: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.environment = env.merging(extra) { $1 }
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        // Files, not pipes: a chatty child can never block on a full pipe.
        let outPath = root + "/.out-\(UUID().uuidString)", errPath = root + "/.err-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        p.standardInput = FileHandle.nullDevice
        if let input {
            // Standard input from a file on the RAM-backed directory (it may
            // hold a customer's data), unlinked as soon as it is open.
            let inPath = secrets + "/.in-\(UUID().uuidString)"
            _ = FileManager.default.createFile(atPath: inPath, contents: Data(input.utf8), attributes: [.posixPermissions: 0o600])
            p.standardInput = FileHandle(forReadingAtPath: inPath)
            try? FileManager.default.removeItem(atPath: inPath)
        }
        try p.run()
        p.waitUntilExit()
        return Output(code: p.terminationStatus,
                      out: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      err: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    @discardableResult
    func dangol(_ args: String..., env extra: [String: String] = [:]) throws -> Output {
        try run(Self.binary, args, env: extra)
    }

    /// Runs dangol and fails the test unless it exits 0; returns stdout.
    @discardableResult
    func ok(_ args: String..., file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try run(Self.binary, args)
        XCTAssertEqual(r.code, 0, "dangol \(args.joined(separator: " ")): \(r.err)", file: file, line: line)
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func git(_ args: String...) throws -> Output {
        try run("/usr/bin/git", ["-C", vault] + args)
    }

    /// A new vault with the cheap test KDF, owned by 원장.
    func initVault() throws {
        try ok("init", vault, "--owner", "원장", "--kdf-level", "test")
    }

    /// Commits that changed the vault (format 1, in the fixtures, also kept
    /// an access-log commit per read and per change on the branch: those
    /// are left out).
    func commitCount() throws -> Int {
        Int(try git("rev-list", "--count", "--invert-grep", "--grep=^audit$", "HEAD").out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// The commit the vault's branch points to.
    static let entryTrailer = "Dangol-Audit-Entry: "

    /// The access log's lines, oldest first, as the commits of its ref
    /// (refs/dangol/audit) hold them.
    func accessLogLines() throws -> [String] {
        func trimmed(_ o: Output) -> String { o.out.trimmingCharacters(in: .whitespacesAndNewlines) }
        return try trimmed(try git("rev-list", "--reverse", "refs/dangol/audit")).split(separator: "\n").compactMap { c in
            trimmed(try git("cat-file", "commit", String(c))).split(separator: "\n")
                .first { $0.hasPrefix(Self.entryTrailer) }.map { String($0.dropFirst(Self.entryTrailer.count)) }
        }
    }

    func head() throws -> String {
        try git("rev-parse", "refs/heads/main").out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A customer as `show --json` prints it (nil when it cannot be shown).
    func customer(_ id: String) throws -> [String: Any]? {
        let r = try dangol("show", id, "--json")
        guard r.code == 0 else { return nil }
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
    }

    /// How many customers `list` shows.
    func customerCount() throws -> Int {
        (try JSONSerialization.jsonObject(with: Data(try ok("list", "--json").utf8)) as? [Any])?.count ?? -1
    }

    /// Fails the test unless dangol's check, git's strictest fsck and the
    /// access log's verification all pass.
    func assertWhole(_ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let check = try dangol("check")
        XCTAssertEqual(check.code, 0, "\(label): dangol check: \(check.out)\(check.err)", file: file, line: line)
        let fsck = try git("fsck", "--full", "--strict", "--no-dangling")
        XCTAssertEqual(fsck.code, 0, "\(label): git fsck: \(fsck.err)", file: file, line: line)
        let audit = try dangol("audit", "verify")
        XCTAssertEqual(audit.code, 0, "\(label): audit verify: \(audit.out)\(audit.err)", file: file, line: line)
    }

    /// Every byte git holds, objects decompressed, plus every file under the
    /// repository as it is on disk: where a leak would show. `repo` is the
    /// vault unless another repository (a remote, a clone) is named.
    func everythingStored(in repo: String? = nil) throws -> [UInt8] {
        let repo = repo ?? vault
        // Bytes, not text: blobs are ciphertext and trees hold raw ids, which
        // are not UTF-8 (decoding them as text would drop every object).
        let objects = root + "/.objects-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: objects) }
        guard FileManager.default.createFile(atPath: objects, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        p.arguments = ["-C", repo, "cat-file", "--batch-all-objects", "--batch"]
        p.environment = env
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: objects))
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0, var all = FileManager.default.contents(atPath: objects).map(Array.init) else {
            throw NSError(domain: "git cat-file", code: Int(p.terminationStatus))
        }
        let e = FileManager.default.enumerator(atPath: repo)!
        while let rel = e.nextObject() as? String {
            if let d = FileManager.default.contents(atPath: repo + "/" + rel) { all += Array(d) }
        }
        return all
    }

    static func count(_ needle: String, in haystack: [UInt8]) -> Int {
        LeakScan.occurrences(of: Array(needle.utf8), in: haystack)
    }
}
