import Foundation
import XCTest

/// `dangol serve` in a real browser: Debian's chromium under Playwright
/// (Tests/browser/frontdesk_test.py, installed by scripts/browser-deps.sh
/// from `make test`). This side makes the vault with marker customers,
/// starts the server, runs the browser's flows and security checks, and
/// then scans chromium's profile, /tmp and /dev/shm for the customers' text.
final class FrontDeskTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let python = repository + "/.build/browser-venv/bin/python"

    func testTheFrontDeskInARealBrowser() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw XCTSkip("no Playwright at \(Self.python): make test installs it (scripts/browser-deps.sh)")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            throw XCTSkip("no /usr/bin/chromium: make test installs Debian's chromium (TEST_PACKAGES)")
        }
        let s = try Sandbox()
        try s.initVault()
        let work = s.root + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: false)
        var g = MarkerGenerator(state: 0x1414_2026)
        let staffPass = "maple quartz ribbon thunder"
        let staffFile = s.secrets + "/staff"
        FileManager.default.createFile(atPath: staffFile, contents: Data(staffPass.utf8), attributes: [.posixPermissions: 0o600])
        let staffName = "직원" + g.hangul(1)
        XCTAssertEqual(try s.dangol("user", "add", staffName, "--role", "staff", env: ["DANGOL_NEW_PASSPHRASE_FILE": staffFile]).code, 0)
        _ = try s.ok("settings", "salon_name=테스트 미용실")

        let month = String(format: "%02d", Calendar(identifier: .gregorian).component(.month, from: Date()))
        typealias Marked = LeakScanTests.Marked
        var customers = [String: (Marked, String)]()
        for (number, label) in ["regular", "birthday", "noconsent", "erase"].enumerated() {
            let m = Marked(number + 1, &g)
            var args = ["add", "--name", m.name, "--phone", m.phone, "--note", m.note]
            if label == "birthday" || label == "noconsent" { args += ["--birthday", "\(month)-01"] }
            let id = try s.run(Sandbox.binary, args).out.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(id.count, 32, "add \(label)")
            try s.ok("set", id, "allergies=\(m.allergy)")
            try s.ok("visit", id, "--service", "커트", "--date", "2025-06-01")
            if label == "birthday" { try s.ok("consent", id, "birthday_coupon=yes", "marketing_sms=yes") }
            customers[label] = (m, id)
        }
        let fresh = Marked(5, &g)
        let formula = "배합 " + g.token()
        let editedNote = "고친 메모 " + g.token()
        let consent = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: s.vault + "/templates/consent-ko.json"))) as? [String: Any]

        // The server gets no passphrase variable: the page's sign-in opens it.
        var env = s.env
        env["DANGOL_PASSPHRASE_FILE"] = nil
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Sandbox.binary)
        server.arguments = ["serve", "--no-open", "--idle-timeout", "8s", "--vault", s.vault]
        server.environment = env
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("\n"), Date() < deadline {
            printed += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        guard let url = printed.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix("http://127.0.0.1:") }) else {
            return XCTFail("dangol serve printed no link: \(printed)")
        }

        let spec: [String: Any] = [
            "url": url.trimmingCharacters(in: .whitespacesAndNewlines), "profile": s.root + "/chromium-profile",
            "idle": 8, "salon": "테스트 미용실", "consentVersion": consent?["version"] as? String ?? "?",
            "owner": ["name": "원장", "passphrase": Sandbox.passphrase, "passphraseFile": s.env["DANGOL_PASSPHRASE_FILE"] ?? ""],
            "binary": Sandbox.binary, "vault": s.vault, "home": s.root,
            "staff": ["name": staffName, "passphrase": staffPass],
            "customers": customers.mapValues { m, id in
                ["id": id, "name": m.name, "phone": m.phone, "allergy": m.allergy]
            },
            "new": ["name": fresh.name, "phone": fresh.phone], "visit": ["formula": formula],
            "edit": ["note": editedNote],
        ]
        let specFile = work + "/spec.json"
        FileManager.default.createFile(atPath: specFile, contents: try JSONSerialization.data(withJSONObject: spec),
                                       attributes: [.posixPermissions: 0o600])
        let browser = try s.run(Self.python, [Self.repository + "/Tests/browser/frontdesk_test.py", specFile], env: [
            "HOME": s.root, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "TMPDIR": s.root, "DANGOL_PASSPHRASE_FILE": "",
        ])
        print(browser.out)
        XCTAssertEqual(browser.code, 0, "browser checks failed:\n\(browser.out)\n\(browser.err.suffix(4000))")
        XCTAssertTrue(browser.out.contains(" passed, 0 failed"), browser.out)

        // The server locks on SIGTERM and ends.
        server.terminate()
        server.waitUntilExit()
        XCTAssertEqual(server.terminationStatus, 0)

        var needles = fresh.needles + Needle.text("the visit's formula", formula) + Needle.text("the edited note", editedNote)
        for (m, _) in customers.values { needles += m.needles }
        let roots = ["/tmp", "/dev/shm"] + (s.root.hasPrefix("/tmp/") ? [] : [s.root])
        let scan = try LeakScan.scanTrees(roots, needles: needles, work: work) { exe, args in
            try s.run(exe, args)
        }
        XCTAssertGreaterThan(scan.files, 10, "the scan read nothing")
        XCTAssertTrue(scan.hits.isEmpty, "customer plaintext on disk after the browser session: \(scan.hits)")
        let profile = LeakScan.modeProblems(under: s.root + "/chromium-profile")
        XCTAssertGreaterThan(profile.checked, 5, "chromium wrote no profile")
    }
}
