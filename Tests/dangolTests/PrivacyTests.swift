import Foundation
import XCTest

/// The privacy law's duties as commands, as a salon runs them: a birthday
/// without a year, consent that must be confirmed again, retention of an
/// imported list, an incident report, a request left unanswered, the notice.
final class PrivacyTests: XCTestCase {
    func day(_ offset: Int) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    func json(_ s: Sandbox, _ args: String..., env: [String: String] = [:]) throws -> Any {
        let r = try s.run(Sandbox.binary, args, env: env)
        XCTAssertEqual(r.code, 0, "\(args): \(r.err)")
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }

    func testABirthdayIsMonthAndDayAndYearsAreDroppedInOneCommit() throws {
        let s = try Sandbox()
        try s.initVault()
        let id = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678", "--birthday", "03-14")
        XCTAssertEqual(try s.customer(id)?["birthday"] as? String, "03-14")
        XCTAssertTrue(try s.ok("show", id).contains("03-14"))

        let refused = try s.dangol("add", "--name", "박지민", "--phone", "010-2222-3333", "--birthday", "1990-03-14")
        XCTAssertEqual(refused.code, 8, "a year is more than the salon collects")
        XCTAssertTrue(refused.err.contains("month and day"), refused.err)
        let korean = try s.dangol("add", "--name", "박지민", "--phone", "010-2222-3333", "--birthday", "1990-03-14",
                                  env: ["LANG": "ko_KR.UTF-8"])
        XCTAssertEqual(korean.code, 8)
        XCTAssertTrue(korean.err.contains("월·일"), korean.err)
        XCTAssertEqual(try s.customerCount(), 1, "nothing saved")

        // The owner keeps years on purpose; later changes their mind.
        try s.ok("schema", "extend", "birthday_year")
        let withYear = try s.ok("add", "--name", "박지민", "--phone", "010-2222-3333", "--birthday", "1990-03-15")
        XCTAssertEqual(try s.customer(withYear)?["birthday"] as? String, "1990-03-15")
        let before = try s.commitCount()
        XCTAssertEqual(try s.dangol("birthdays", "--drop-years").code, 2, "asks at a terminal, or --yes")
        XCTAssertTrue(try s.ok("birthdays", "--drop-years", "--yes").contains("1"))
        XCTAssertEqual(try s.commitCount(), before + 1, "one commit")
        XCTAssertEqual(try s.customer(withYear)?["birthday"] as? String, "03-15")
        XCTAssertEqual(try s.customer(id)?["birthday"] as? String, "03-14")
        XCTAssertEqual((try json(s, "check", "--json") as? [String: Any])?["birthdays_with_year"] as? Int, 0)
    }

    func testAnAdvertisingConsentThreeYearsOldNoLongerCounts() throws {
        let s = try Sandbox()
        try s.initVault()
        let thisMonth = String(day(0).dropFirst(5).prefix(2))
        let old = try s.ok("add", "--name", "가을", "--phone", "010-1000-2000", "--birthday", "\(thisMonth)-01")
        let fresh = try s.ok("add", "--name", "겨울", "--phone", "010-1000-3000", "--birthday", "\(thisMonth)-02")
        try s.ok("consent", old, "birthday_coupon=yes", "marketing_sms=yes", "--date", day(-3 * 365))
        try s.ok("consent", fresh, "birthday_coupon=yes", "marketing_sms=yes")

        let list = try json(s, "birthdays", "--json") as! [[String: Any]]
        XCTAssertEqual(list.map { $0["id"] as! String }, [fresh], "a lapsed yes sends no coupon")
        let due = try json(s, "consent", "due", "--json") as! [[String: Any]]
        XCTAssertEqual(due.map { $0["id"] as! String }, [old])
        XCTAssertEqual(due.first?["lapsed"] as? Bool, true)
        XCTAssertEqual(due.first?["confirmed"] as? String, day(-3 * 365))
        let text = try s.dangol("consent", "due", env: ["LANG": "ko_KR.UTF-8"])
        XCTAssertTrue(text.out.contains("기한 지남") && text.out.contains("다시 확인할 고객 1명"), text.out)

        // Asked again, the customer says yes: renewed; or no: withdrawn.
        try s.ok("consent", old, "marketing_sms=yes")
        XCTAssertEqual(Set((try json(s, "birthdays", "--json") as! [[String: Any]]).map { $0["id"] as! String }),
                       [old, fresh])
        XCTAssertEqual((try json(s, "consent", "due", "--json") as! [Any]).count, 0)
        try s.ok("consent", old, "marketing_sms=no")
        XCTAssertEqual((try json(s, "birthdays", "--json") as! [[String: Any]]).map { $0["id"] as! String }, [fresh])
    }

    func testAnImportedListIsJudgedByItsOwnDates() throws {
        let s = try Sandbox()
        try s.initVault()
        let file = s.root + "/old-salon.csv"
        try """
            이름,휴대폰,생년월일,최근방문일
            오래된손님,010-3000-0001,1980.05.06,\(day(-4 * 365))
            요즘손님,010-3000-0002,1990-07-08,\(day(-40))

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try s.dangol("import", file)
        XCTAssertEqual(imported.code, 0, imported.err)
        XCTAssertTrue(imported.err.contains("month and day"), "the years were dropped, and it says so: \(imported.err)")

        let listed = try json(s, "retention", "--json") as! [[String: Any]]
        XCTAssertEqual(listed.map { $0["name"] as? String }, ["오래된손님"], "listed on the day of the import")
        let active = listed.first?["active"] as? [String: Any]
        XCTAssertEqual(active?["basis"] as? String, "visit")
        XCTAssertEqual(active?["date"] as? String, day(-4 * 365))
        let table = try s.dangol("retention", env: ["LANG": "ko_KR.UTF-8"])
        XCTAssertTrue(table.out.contains("방문") && table.out.contains(day(-4 * 365)), table.out)
        let everyone = try json(s, "list", "--json") as! [[String: Any]]
        for c in everyone {
            let doc = try s.customer(c["id"] as! String)
            XCTAssertEqual((doc?["birthday"] as? String)?.count, 5, "month and day only")
        }
    }

    func testAnIncidentReportNamesExactlyWhatAStaffSessionRead() throws {
        let s = try Sandbox()
        try s.initVault()
        let ids = try (0..<4).map { try s.ok("add", "--name", "손님\($0)", "--phone", "010-6000-000\($0)") }
        let file = s.secrets + "/staff"
        try "quiet harbor lantern meadow\n".write(toFile: file, atomically: true, encoding: .utf8)
        let added = try s.dangol("user", "add", "지수", "--role", "staff", env: ["DANGOL_NEW_PASSPHRASE_FILE": file])
        XCTAssertEqual(added.code, 0, added.err)
        let staff = ["DANGOL_PASSPHRASE_FILE": file]
        XCTAssertEqual(try s.dangol("show", ids[1], env: staff).code, 0)
        XCTAssertEqual(try s.dangol("show", ids[2], env: staff).code, 0)
        XCTAssertEqual(try s.dangol("audit", "incident", "--since", day(0), env: staff).code, 9, "owner only")

        let report = try json(s, "audit", "incident", "--since", day(0), "--person", "지수", "--json") as! [String: Any]
        let customers = report["customers"] as! [[String: Any]]
        XCTAssertEqual(Set(customers.map { $0["id"] as! String }), [ids[1], ids[2]])
        XCTAssertEqual(report["count"] as? Int, 2)
        XCTAssertEqual(customers.first?["people"] as? [String], ["지수"])
        XCTAssertEqual((customers.first?["accesses"] as? [String: Int])?["read"], 1)
        XCTAssertEqual(try s.dangol("audit", "incident", "--since", "yesterday").code, 2)
        let all = try json(s, "audit", "incident", "--since", day(0), "--until", day(0), "--json") as! [String: Any]
        XCTAssertEqual(all["count"] as? Int, 4, "the owner added all four today")
    }

    func testARequestLeftOpenForElevenDaysIsFlagged() throws {
        let s = try Sandbox()
        try s.initVault()
        let a = try s.ok("add", "--name", "가람", "--phone", "010-7000-0001")
        let b = try s.ok("add", "--name", "나래", "--phone", "010-7000-0002")
        let late = try s.ok("request", a, "correction", "--received", day(-11))
        let access = try s.ok("request", b, "access")
        XCTAssertEqual(late.count, 16)
        XCTAssertEqual(try s.dangol("request", a, "gossip").code, 2)

        let review = try s.dangol("audit", "review")
        XCTAssertEqual(review.code, 0, review.err)
        XCTAssertTrue(review.err.contains(String(late.prefix(8))) && review.err.contains("11 days"), review.err)
        XCTAssertFalse(review.err.contains(String(access.prefix(8))), "two days old: not overdue yet")

        let open = try json(s, "request", "list", "--json") as! [[String: Any]]
        XCTAssertEqual(open.map { $0["request"] as! String }, [late, access])
        XCTAssertEqual(open.first?["overdue"] as? Bool, true)

        _ = try s.ok("export", b)
        XCTAssertEqual((try json(s, "request", "list", "--json") as! [[String: Any]]).map { $0["request"] as! String },
                       [late], "the export answered the request to see the data")
        try s.ok("request", "close", String(late.prefix(8)), "--outcome", "전화번호를 고침")
        XCTAssertTrue(try s.ok("request", "list").contains("no request"))
        XCTAssertFalse(try s.dangol("audit", "review").err.contains(String(late.prefix(8))))
    }

    func testTheNoticeIsFilledFromTheVaultsSettings() throws {
        let s = try Sandbox()
        try s.initVault()
        let missing = try s.dangol("notice")
        XCTAssertEqual(missing.code, 2)
        XCTAssertTrue(missing.err.contains("salon_name"), missing.err)
        try s.ok("settings", "salon_name=머리하는날", "salon_contact=02-123-4567", "retention_days=1825")
        let ko = try s.ok("notice", "--lang", "ko")
        XCTAssertTrue(ko.contains("# 머리하는날 개인정보 처리방침"), ko)
        XCTAssertTrue(ko.contains("**5년**") && ko.contains("02-123-4567") && ko.contains("시술 기록 보관"), ko)
        let en = try s.ok("notice", "--lang", "en")
        XCTAssertTrue(en.contains("For **5 years**") && en.contains("within 10 days"), en)
        XCTAssertTrue(try s.ok("notice").contains("privacy notice"), "English under LANG=C")
    }
}
