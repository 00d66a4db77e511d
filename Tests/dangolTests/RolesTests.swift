import Foundation
import XCTest

/// People and roles: a staff key does the daily work and is refused the
/// rest, each refusal with its message and exit code 9; removing a person
/// takes their key slot out of the whole history.
final class RolesTests: XCTestCase {
    static let staffPassphrase = "quiet harbor lantern meadow"

    /// A vault with one customer and a staff member, 지수; returns the
    /// customer's id and the environment that unlocks as 지수.
    func salon() throws -> (Sandbox, String, [String: String]) {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678", "--birthday", "12-25")
        let file = s.secrets + "/staff"
        try (Self.staffPassphrase + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let added = try s.dangol("user", "add", "지수", "--role", "staff", env: ["DANGOL_NEW_PASSPHRASE_FILE": file])
        XCTAssertEqual(added.code, 0, added.err)
        return (s, id, ["DANGOL_PASSPHRASE_FILE": file])
    }

    func testStaffDoTheDailyWorkWithContactsMasked() throws {
        let (s, id, staff) = try salon()
        let people = try JSONSerialization.jsonObject(with: Data(try s.ok("user", "list", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(people.map { "\($0["person"]!) \($0["role"]!)" }, ["원장 owner", "지수 staff"])

        let found = try s.dangol("search", "5678", "--json", env: staff)
        XCTAssertEqual(found.code, 0, found.err)
        XCTAssertTrue(found.out.contains("010-****-5678"))
        let shown = try s.dangol("show", id, "--json", env: staff)
        XCTAssertEqual(shown.code, 0, shown.err)
        XCTAssertFalse(shown.out.contains("12-25") || shown.out.contains("1234"), shown.out)
        XCTAssertEqual(try s.dangol("visit", id, "--service", "커트", env: staff).code, 0)
        // An edit that leaves the masked phone and birthday as they were keeps the real ones.
        let ed = s.root + "/ed"
        try "#!/bin/sh\nfor f; do :; done\ngrep -q '010-\\*\\*\\*\\*-5678' \"$f\" || exit 3\nsed -i 's/김민지/김민지나/' \"$f\"\n"
            .write(toFile: ed, atomically: true, encoding: .utf8)
        chmod(ed, 0o755)
        let edited = try s.dangol("edit", id, env: staff.merging(["EDITOR": ed]) { $1 })
        XCTAssertEqual(edited.code, 0, edited.err)
        let record = try JSONSerialization.jsonObject(with: Data(try s.ok("show", id, "--json", "--reveal").utf8)) as! [String: Any]
        XCTAssertEqual(record["name"] as? String, "김민지나")
        XCTAssertEqual(record["phone"] as? String, "010-1234-5678")
        XCTAssertEqual(record["birthday"] as? String, "12-25")
        // Their work is theirs in the log and in the history.
        let log = try JSONSerialization.jsonObject(with: Data(try s.ok("audit", "--user", "지수", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(log.map { $0["action"] as! String }, ["search", "show", "visit", "edit-read", "edit"],
                       "the staff member's entries so far")
        XCTAssertTrue(try s.git("log", "--format=%an").out.contains("지수"))

        let diff = try s.dangol("diff", id, "--json", env: staff)
        XCTAssertEqual(diff.code, 0, diff.err)
        XCTAssertFalse(diff.out.contains("12-25") || diff.out.contains("1234"), diff.out)
        XCTAssertEqual(try s.dangol("set", id, "birthday=01-02", env: staff).code, 0)
        let changed = try s.dangol("diff", id, env: staff)
        XCTAssertTrue(changed.out.contains("birthday: **-** → **-**"), changed.out)

        // The owner may let staff see contacts.
        try s.ok("settings", "staff_sees_contacts=yes")
        let revealed = try s.dangol("show", id, "--json", "--reveal", env: staff)
        XCTAssertEqual(revealed.code, 0, revealed.err)
        XCTAssertTrue(revealed.out.contains("010-1234-5678") && revealed.out.contains("01-02"), revealed.out)
    }

    func testEachStaffRestrictionIsRefusedWithItsOwnExitCode() throws {
        let (s, id, staff) = try salon()
        let csv = s.root + "/in.csv"
        try "이름,휴대폰\n박보라,010-2222-3333\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let refused: [([String], String)] = [
            (["erase", id, "--reason", "요청", "--yes"], "only the owner can erase customers"),
            (["retention"], "only the owner can review customers for retention"),
            (["export", id], "only the owner can export a customer's data"),
            (["import", csv], "only the owner can import customers"),
            (["user", "add", "민호", "--role", "staff"], "only the owner can add people"),
            (["user", "list"], "only the owner can manage people"),
            (["user", "remove", "원장"], "only the owner can remove people"),
            (["audit"], "only the owner can read the access log"),
            (["audit", "verify"], "only the owner can verify the access log"),
            (["audit", "review"], "only the owner can review the access log"),
            (["schema", "extend", "referral"], "only the owner can extend the schema"),
            (["settings", "retention_days=400"], "only the owner can change the vault's settings"),
            (["settings", "staff_sees_contacts=yes"], "only the owner can change the vault's settings"),
            (["show", id, "--reveal"], "staff see phone numbers masked"),
            (["search", "5678", "--reveal"], "staff see phone numbers masked"),
            (["birthdays", "--month", "12"], "staff do not see birthdays"),
            (["search", "birthday:12"], "staff see birthdays masked"),
        ]
        let before = try s.git("rev-parse", "HEAD").out
        for (args, message) in refused {
            let r = try s.run(Sandbox.binary, args, env: staff.merging(["DANGOL_NEW_PASSPHRASE": "x"]) { $1 })
            XCTAssertEqual(r.code, 9, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("dangol: error: \(message)"), "\(args): \(r.err)")
        }
        XCTAssertEqual(try s.git("rev-parse", "HEAD").out, before, "a refusal changes nothing")
        XCTAssertTrue(try s.ok("--help").contains("9  not allowed"))
    }

    /// Staff who see 010-****-5678 cannot learn the hidden digits by
    /// searching for them: phone digits match as the last four or the
    /// whole number only. The owner searches any part.
    func testStaffPhoneSearchMatchesTheLastFourDigitsOrTheWholeNumber() throws {
        let (s, id, staff) = try salon()
        func found(_ query: String, _ env: [String: String] = [:]) throws -> Bool {
            let r = try s.run(Sandbox.binary, ["search", query, "--json"], env: env)
            XCTAssertTrue([0, 4].contains(r.code), "\(query): \(r.err)")
            return r.code == 0 && r.out.contains(id)
        }
        for q in ["5678", "010-1234-5678", "01012345678", "010 1234 5678", "+82 10-1234-5678"] {
            XCTAssertTrue(try found(q, staff), "staff find by \(q)")
        }
        for q in ["1234", "010-1234", "0101234", "345678", "12345678", "234-5", "678"] {
            XCTAssertFalse(try found(q, staff), "staff must not find by \(q)")
            XCTAssertTrue(try found(q), "the owner finds by \(q)")
        }
        XCTAssertEqual(try s.dangol("show", "1234", env: staff).code, 4, "nor show by the middle digits")
        // Failed searches are logged too: probing leaves a trace.
        let log = try JSONSerialization.jsonObject(with: Data(try s.ok("audit", "--user", "지수", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(log.filter { $0["action"] as? String == "search" }.count, 12)
        XCTAssertEqual(log.filter { ($0["records"] as? [String])?.isEmpty == true }.count, 7)
        // With contacts shown to them, staff search like the owner.
        try s.ok("settings", "staff_sees_contacts=yes")
        XCTAssertTrue(try found("1234", staff))
        XCTAssertEqual(try s.dangol("search", "birthday:12", env: staff).code, 0)
    }

    func testSettingsOnlyGoWhereTheyMay() throws {
        let s = try Sandbox()
        try s.initVault()
        XCTAssertTrue(try s.ok("settings").contains("audit_keep_years     2"))
        try s.ok("settings", "audit_keep_years=5", "opening_hours=09:30-21:00")
        let lowered = try s.dangol("settings", "audit_keep_years=3")
        XCTAssertEqual(lowered.code, 2)
        XCTAssertTrue(lowered.err.contains("audit_keep_years can only go up"), lowered.err)
        XCTAssertEqual(try s.dangol("settings", "opening_hours=late").code, 2)
        let shown = try s.ok("settings")
        XCTAssertTrue(shown.contains("audit_keep_years     5") && shown.contains("09:30-21:00"), shown)
    }

    func testRemovedPersonLeavesNoSlotInAnyVersion() throws {
        let (s, id, staff) = try salon()
        let slot = (try JSONSerialization.jsonObject(with: Data(try s.ok("user", "list", "--json").utf8)) as! [[String: Any]])
            .first { $0["person"] as? String == "지수" }!["slot"] as! String
        try s.run(Sandbox.binary, ["visit", id, "--service", "커트"], env: staff)
        XCTAssertTrue(try s.git("log", "--all", "--format=", "--name-only").out.contains("keys/\(slot).slot"), "in history before")
        let r = try s.dangol("user", "remove", "지수")
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.err.contains("dangol rekey"), r.err)
        XCTAssertFalse(try s.git("log", "--all", "--format=", "--name-only").out.contains("keys/\(slot).slot"))
        XCTAssertEqual(try s.git("fsck", "--full", "--strict", "--no-dangling").code, 0)
        XCTAssertEqual(try s.git("fsck", "--full", "--unreachable").out, "", "the old slot's objects are deleted")
        XCTAssertEqual(try s.dangol("show", id, env: staff).code, 3, "the removed passphrase opens nothing")
        XCTAssertEqual(try s.dangol("user", "remove", "원장").code, 2, "the only owner stays")
        XCTAssertTrue(try s.ok("audit", "verify").hasPrefix("access log whole"))
        XCTAssertEqual(try s.ok("show", id, "--json").contains("010-****-5678"), true)
    }

    /// A removal is a rewrite like an erasure: the next push forces it and
    /// purges the path remote, after which a copy of that backup no longer
    /// opens with the removed passphrase.
    func testPushAfterUserRemoveForcesItAndTheRemoteNoLongerOpensForThem() throws {
        let (s, id, staff) = try salon()
        try s.run(Sandbox.binary, ["visit", id, "--service", "커트"], env: staff)
        let usb = s.root + "/usb.git"
        try s.ok("remote", "add", "usb", usb)
        try s.ok("push")
        let slotBlobs = Set(try s.git("log", "--all", "--format=", "--raw", "--no-abbrev", "--", "keys").out
            .split(separator: "\n").compactMap { l -> String? in
                let f = l.split(separator: " ")
                return f.count >= 5 && !f[3].allSatisfy({ $0 == "0" }) ? String(f[3]) : nil
            })
        let before = s.root + "/before"
        try s.ok("clone", usb, before)
        XCTAssertEqual(try s.run(Sandbox.binary, ["list", "--vault", before], env: staff).code, 0, "the backup opened for 지수")

        let removed = try s.dangol("user", "remove", "지수")
        XCTAssertEqual(removed.code, 0, removed.err)
        XCTAssertTrue(removed.out.contains("0 remnants"), removed.out)
        let remotes = try JSONSerialization.jsonObject(with: Data(try s.ok("remote", "list", "--json").utf8)) as! [[String: Any]]
        XCTAssertEqual(remotes.first?["rewritten_since_last_push"] as? [String], ["user-remove"])
        let push = try s.dangol("push")
        XCTAssertEqual(push.code, 0, push.err)
        XCTAssertTrue(push.out.contains("forced refs/heads/main: rewritten by user-remove"), push.out)
        XCTAssertTrue(push.out.contains("0 of the"), push.out)
        let gone = slotBlobs.filter { b in (try? s.git("cat-file", "-e", b).code) != 0 }
        XCTAssertFalse(gone.isEmpty, "the removed slot's versions left the vault")
        for b in gone {
            XCTAssertNotEqual(try s.run("/usr/bin/git", ["-C", usb, "cat-file", "-e", b]).code, 0, "\(b) at the remote")
        }
        let after = s.root + "/after"
        try s.ok("clone", usb, after)
        XCTAssertEqual(try s.run(Sandbox.binary, ["list", "--vault", after], env: staff).code, 3,
                       "the removed passphrase opens nothing in the backup")
        XCTAssertEqual(try s.dangol("list", "--vault", after).code, 0, "the owner's still does")
        XCTAssertEqual(try s.run("/usr/bin/git", ["-C", usb, "fsck", "--full", "--strict", "--no-dangling"]).code, 0)
    }
}
