import Foundation
import XCTest

/// `make install` into a temporary prefix, as a packager or the owner's
/// helper would run it: the binary, completions that bash, zsh and fish
/// load from there, the manual page `man` finds through MANPATH, vaults
/// that point git's textconv at the installed binary, and `make uninstall`.
/// The tests install their own debug build with `make install-built`, the
/// steps `make install` takes after building: `swift test` holds the build
/// directory's lock while it runs, so no build can run inside a test.
final class InstallTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// One install shared by the read-only checks.
    nonisolated(unsafe) static var shared: (sandbox: Sandbox, prefix: String)?

    override class func tearDown() { shared = nil }  // the sandbox and its prefix go

    func make(_ s: Sandbox, _ target: String, prefix: String) throws -> Sandbox.Output {
        let tool = Self.repository + "/.build/debug/generate-manual"
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw XCTSkip("\(tool) is not built: make test builds it before the tests")
        }
        return try s.run("/usr/bin/make", ["-C", Self.repository, target, "PREFIX=" + prefix, "CONFIG=debug"])
    }

    func installed() throws -> (sandbox: Sandbox, prefix: String) {
        if let shared = Self.shared { return shared }
        let s = try Sandbox()
        let prefix = s.root + "/prefix"
        let r = try make(s, "install-built", prefix: prefix)
        XCTAssertEqual(r.code, 0, r.out + r.err)
        Self.shared = (s, prefix)
        return (s, prefix)
    }

    func shell(_ s: Sandbox, _ program: String, _ script: String, env: [String: String] = [:]) throws -> Sandbox.Output {
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw XCTSkip("\(program) is not installed (make test-deps installs it)")
        }
        return try s.run(program, ["-c", script], env: env)
    }

    func testTheBinaryAndTheManualPage() throws {
        let (s, prefix) = try installed()
        let version = try s.run(prefix + "/bin/dangol", ["--version"])
        XCTAssertEqual(version.code, 0, version.err)
        let man = try s.run("/usr/bin/man", ["dangol"], env: ["MANPATH": prefix + "/share/man", "MANPAGER": "cat",
                                                              "PAGER": "cat", "MANWIDTH": "100"])
        XCTAssertEqual(man.code, 0, man.err)
        XCTAssertTrue(man.out.contains("DANGOL(1)") && man.out.contains("customer records"), man.out)
        XCTAssertTrue(man.out.contains("서비스:염색"), "the Hangul in the examples survives: \(man.out.prefix(3000))")
        let korean = try s.run("/usr/bin/man", ["-l", prefix + "/share/man/ko/man1/dangol.1"],
                               env: ["MANPAGER": "cat", "PAGER": "cat"])
        XCTAssertEqual(korean.code, 0, korean.err)
        XCTAssertTrue(korean.out.contains("고객을 추가하고"), korean.out.prefix(3000).description)
    }

    func testBashLoadsTheCompletion() throws {
        let (s, prefix) = try installed()
        let loader = "/usr/share/bash-completion/bash_completion"
        guard FileManager.default.fileExists(atPath: loader) else { throw XCTSkip("bash-completion is not installed") }
        // bash-completion finds completions under each of XDG_DATA_DIRS,
        // as it finds /usr/local/share/bash-completion/completions.
        let r = try shell(s, "/bin/bash", """
            . \(loader)
            _completion_loader dangol
            complete -p dangol
            COMP_WORDS=(dangol se); COMP_CWORD=1; COMP_LINE="dangol se"; COMP_POINT=9
            _dangol dangol se dangol; echo "${COMPREPLY[*]}"
            COMPREPLY=(); COMP_WORDS=(dangol search --l); COMP_CWORD=2; COMP_LINE="dangol search --l"; COMP_POINT=17
            _dangol dangol --l search; echo "${COMPREPLY[*]}"
            """, env: ["XDG_DATA_DIRS": prefix + "/share"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("complete -o filenames -F _dangol dangol"), r.out)
        XCTAssertTrue(r.out.contains("search") && r.out.contains("settings"), r.out)
        XCTAssertTrue(r.out.contains("--limit"), r.out)
    }

    func testZshLoadsTheCompletion() throws {
        let (s, prefix) = try installed()
        let r = try shell(s, "/usr/bin/zsh", """
            fpath=(\(prefix)/share/zsh/site-functions $fpath)
            autoload -Uz compinit && compinit -u -D
            print -r -- $_comps[dangol]
            whence -w _dangol
            """)
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("_dangol\n") && r.out.contains("_dangol: function"), r.out)
    }

    func testFishLoadsTheCompletion() throws {
        let (s, prefix) = try installed()
        let r = try shell(s, "/usr/bin/fish", "complete -C'dangol se'",
                          env: ["XDG_DATA_DIRS": prefix + "/share", "PATH": prefix + "/bin:/usr/bin:/bin"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("search\t") && r.out.contains("set\t"), r.out)
    }

    func testAVaultFollowsTheInstalledBinary() throws {
        let (s, prefix) = try installed()
        let installedBinary = prefix + "/bin/dangol"
        try s.initVault()  // made with the build's binary
        let id = try s.ok("add", "--name", "최유나", "--phone", "010-8765-4321")
        XCTAssertEqual(try s.run(installedBinary, ["list"]).code, 0)
        let textconv = try s.git("config", "diff.dangol.textconv").out
        XCTAssertTrue(textconv.contains(installedBinary), textconv)
        // git runs the installed binary to show the record decrypted.
        let shown = try s.git("log", "-p", "-1", "--format=", "--", "records/")
        XCTAssertTrue(shown.out.contains("최유나"), shown.out + shown.err)
        XCTAssertTrue(try s.ok("show", id).contains("최유나"))
        let fresh = s.root + "/fresh"
        XCTAssertEqual(try s.run(installedBinary, ["init", fresh, "--owner", "원장", "--kdf-level", "test"]).code, 0)
        XCTAssertTrue(try s.run("/usr/bin/git", ["-C", fresh, "config", "diff.dangol.textconv"]).out.contains(installedBinary))
    }

    func testUninstallRemovesExactlyWhatInstallWrote() throws {
        let s = try Sandbox()
        let prefix = s.root + "/usr-local"
        let mine = prefix + "/share/man/man1/someone-else.1"
        try FileManager.default.createDirectory(atPath: prefix + "/share/man/man1", withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: mine, contents: Data("keep\n".utf8)))
        func tree() -> [String] { (FileManager.default.enumerator(atPath: prefix)?.allObjects as? [String] ?? []).sorted() }
        let before = tree()
        let install = try make(s, "install-built", prefix: prefix)
        XCTAssertEqual(install.code, 0, install.out + install.err)
        for file in ["bin/dangol", "share/bash-completion/completions/dangol", "share/zsh/site-functions/_dangol",
                     "share/fish/vendor_completions.d/dangol.fish", "share/man/man1/dangol.1", "share/man/ko/man1/dangol.1"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/" + file), file)
        }
        let uninstall = try make(s, "uninstall", prefix: prefix)
        XCTAssertEqual(uninstall.code, 0, uninstall.out + uninstall.err)
        XCTAssertEqual(tree(), before, "uninstall leaves the prefix as it found it")
    }
}
