import Foundation
import XCTest

/// Consent with history, birthday lists that respect it, the export a
/// customer receives, templates in the vault, and the schema extension.
final class ConsentExportTests: XCTestCase {
    func testConsentHistoryAndBirthdayList() throws {
        let s = try Sandbox()
        try s.initVault()
        let yes = try s.ok("add", "--name", "가을", "--phone", "010-1000-2000", "--birthday", "12-03")
        let withdrawn = try s.ok("add", "--name", "겨울", "--phone", "010-1000-3000", "--birthday", "12-24")
        let never = try s.ok("add", "--name", "봄비", "--phone", "010-1000-4000", "--birthday", "12-10")
        let noSMS = try s.ok("add", "--name", "여름비", "--phone", "010-1000-5000", "--birthday", "12-11")
        try s.ok("consent", yes, "birthday_coupon=yes", "marketing_sms=yes")
        // The coupon goes out by text message: without consent to that, no coupon.
        try s.ok("consent", noSMS, "birthday_coupon=yes", "marketing_sms=no")
        try s.ok("consent", withdrawn, "birthday_coupon=yes", "--date", "2026-01-02")
        try s.ok("consent", withdrawn, "birthday_coupon=no")
        _ = never
        let list = try JSONSerialization.jsonObject(with: Data(try s.ok("birthdays", "--month", "12", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(list.map { $0["id"] as! String }, [yes], "only current consent counts")

        let doc = try JSONSerialization.jsonObject(with: Data(try s.ok("show", withdrawn, "--json").utf8)) as! [String: Any]
        let events = doc["consents"] as! [[String: Any]]
        XCTAssertEqual(events.count, 2, "a withdrawal keeps the grant before it")
        XCTAssertEqual(events[0]["date"] as? String, "2026-01-02")
        XCTAssertEqual(events[0]["text_version"] as? String, "ko-2026-11")
        XCTAssertEqual(events[1]["granted"] as? Bool, false)

        let bad = try s.dangol("consent", yes, "newsletter=yes")
        XCTAssertEqual(bad.code, 8)
        XCTAssertTrue(bad.err.contains("not a consent purpose"), bad.err)
    }

    func testExportHoldsEverythingInEachFormat() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "한여름", "--phone", "010-5555-1234", "--birthday", "07-07")
        try s.ok("visit", id, "--service", "염색", "--formula", "밀본 7/1 + 6%", "--price", "90000", "--reaction", "가려움")
        try s.ok("consent", id, "service_records=yes")
        let json = try JSONSerialization.jsonObject(with: Data(try s.ok("export", id, "--format", "json").utf8)) as! [String: Any]
        let record = json["record"] as! [String: Any]
        XCTAssertEqual(record["phone"] as? String, "010-5555-1234", "the customer's own copy is not masked")
        XCTAssertEqual((record["consents"] as! [Any]).count, 1)
        XCTAssertEqual((json["history"] as! [Any]).count, 3)
        let md = try s.ok("export", id, "--format", "md")
        for expected in ["# 고객님의 개인정보 사본", "| 이름 | 한여름 |", "밀본 7/1 + 6%", "가려움", "시술 기록 보관 · 동의 (동의서 ko-2026-11)"] {
            XCTAssertTrue(md.contains(expected), "md export lacks \(expected)")
        }
        // Each export is kept in the encrypted access log: ids only, in a
        // commit of its own on the log's ref, none on the branch.
        let logged = try s.git("cat-file", "commit", "refs/dangol/audit").out
        XCTAssertTrue(logged.contains("\n\naudit\n\nDangol-Audit-Entry: "), logged)
        let entries = try JSONSerialization.jsonObject(with: Data(try s.ok("audit", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(try s.git("rev-list", "--count", "refs/dangol/audit").out.trimmingCharacters(in: .whitespacesAndNewlines),
                       String(entries.count), "one commit per entry")
        XCTAssertEqual(entries.filter { $0["action"] as? String == "export" }.count, 2, "one entry per export so far")
        let everything = try s.git("log", "--format=%B", "refs/dangol/audit").out
        XCTAssertFalse(everything.contains("한여름"))
        XCTAssertFalse(everything.contains(id), "entries are sealed: not even the id is in clear")
        let before = Int(try s.git("rev-list", "--count", "HEAD").out.trimmingCharacters(in: .whitespacesAndNewlines))!
        let html = try s.ok("export", id, "--format", "html", "--lang", "en")
        XCTAssertEqual(try s.git("rev-list", "--count", "HEAD").out.trimmingCharacters(in: .whitespacesAndNewlines),
                       String(before), "an export adds no commit to the branch")
        XCTAssertTrue(html.contains("<td>한여름</td>") && html.contains("Consent history"), html)

        // The layout is the vault's own copy: the owner may adapt it.
        let layout = s.vault + "/templates/export.md.mustache"
        try ("{{%CONTENT_TYPE:TEXT}}\nOWN LAYOUT {{id}}\n").write(toFile: layout, atomically: true, encoding: .utf8)
        XCTAssertEqual(try s.git("-c", "user.name=원장", "-c", "user.email=o@x", "commit", "-qam", "layout").code, 0)
        // A commit made with git, not dangol: the owner accepts it, having looked.
        XCTAssertEqual(try s.dangol("export", id, "--format", "md").code, 5)
        try s.ok("accept", try s.head())
        XCTAssertEqual(try s.ok("export", id, "--format", "md"), "OWN LAYOUT \(id)")
    }

    func testSchemaExtensionIsRequiredForExtraFields() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "이가을", "--phone", "010-7000-8000")
        let refused = try s.dangol("set", id, "referral=지인")
        XCTAssertEqual(refused.code, 8)
        try s.ok("schema", "extend", "referral")
        try s.ok("set", id, "referral=지인")
        XCTAssertTrue(try s.ok("show", id, "--json").contains("\"referral\" : \"지인\""))
        XCTAssertTrue(try s.ok("schema").contains("extension: referral"))
        let builtIn = try s.dangol("schema", "extend", "phone")
        XCTAssertEqual(builtIn.code, 2)
        let rrn = try s.dangol("set", id, "referral=900314-2345678")
        XCTAssertEqual(rrn.code, 8)
        XCTAssertTrue(rrn.err.contains("주민등록번호"), rrn.err)
    }

    func testInitCopiesEveryTemplate() throws {
        let s = try Sandbox()
        try s.initVault()
        for name in ["customer.json", "visit.json", "consent-ko.json", "consent-en.json", "export.md.mustache",
                     "export.html.mustache"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: s.vault + "/templates/" + name), name)
        }
        let ko = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.vault + "/templates/consent-ko.json"))) as! [String: Any]
        XCTAssertEqual((ko["purposes"] as! [String: Any]).keys.sorted(),
                       ["birthday_coupon", "marketing_sms", "service_records", "third_party"])
    }
}
