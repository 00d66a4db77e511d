@testable import DangolKit
import XCTest

/// Each matching rule of the search, on a small hand-made salon.
final class SearchIndexTests: XCTestCase {
    func id(_ n: UInt8) -> RecordID { RecordID(bytes: [UInt8](repeating: n, count: 16))! }

    lazy var index: SearchIndex = {
        var minji = Customer(name: "김민지", phone: "010-1234-5678", birthday: "1990-12-03", note: "두피 예민", created: "2020-01-01")
        minji.visits = [Visit(date: "2026-03-01", services: ["뿌리염색"], formula: "웰라 6/0 + 6%")]
        minji.consents = [ConsentEvent(purpose: "marketing_sms", granted: true, date: "2026-01-01", textVersion: "ko-1")]
        var minsu = Customer(name: "김민수", phone: "010-9876-1234", created: "2021-05-05")
        minsu.visits = [Visit(date: "2022-01-10", services: ["커트"])]
        minsu.allergies = ["PPD"]
        minsu.consents = [ConsentEvent(purpose: "marketing_sms", granted: true, date: "2021-01-01", textVersion: "ko-1"),
                          ConsentEvent(purpose: "marketing_sms", granted: false, date: "2022-01-01", textVersion: "ko-1")]
        let jimin = Customer(name: "박지민", phone: "02-555-5678", birthday: "1985-12-25", created: "2026-10-01")
        return SearchIndex([(id(1), minji), (id(2), minsu), (id(3), jimin)])
    }()

    func names(_ q: String) throws -> [String] {
        index.search(try Query.parse(q), today: "2026-11-25").map(\.customer.name)
    }

    func testPhoneDigitsWithOrWithoutDashes() throws {
        XCTAssertEqual(try names("5678"), ["김민지", "박지민"])
        XCTAssertEqual(try names("010-1234-5678"), ["김민지"])
        XCTAssertEqual(try names("01012345678"), ["김민지"])
        XCTAssertEqual(try names("1234"), ["김민수", "김민지"], "last four digits rank above a middle part")
    }

    func testNamesPartsInitialsAndNFD() throws {
        XCTAssertEqual(try names("김민"), ["김민수", "김민지"])
        XCTAssertEqual(try names("민지"), ["김민지"])
        XCTAssertEqual(try names("ㄱㅁㅈ"), ["김민지"])
        XCTAssertEqual(try names("ㅈㅁ"), ["박지민"])
        XCTAssertEqual(try names("김민지".decomposedStringWithCanonicalMapping), ["김민지"], "macOS input (NFD) matches")
        XCTAssertEqual(try names("지민"), ["박지민"])
    }

    func testRankingPutsExactNamesFirst() throws {
        let extra = SearchIndex([(id(9), Customer(name: "김민지나", phone: "010-1111-1111", created: "2026-01-01")),
                                 (id(8), Customer(name: "김민지", phone: "010-2222-2222", created: "2026-01-01")),
                                 (id(7), Customer(name: "이김민지", phone: "010-3333-3333", created: "2026-01-01"))])
        XCTAssertEqual(extra.search(try Query.parse("김민지")).map(\.customer.name), ["김민지", "김민지나", "이김민지"])
    }

    func testWordsInsideNotesServicesAndFormulas() throws {
        XCTAssertEqual(try names("두피"), ["김민지"])
        XCTAssertEqual(try names("염색"), ["김민지"], "substring: 뿌리염색 holds 염색")
        XCTAssertEqual(try names("웰라"), ["김민지"])
        XCTAssertEqual(try names("김민 두피"), ["김민지"], "terms combine with AND")
    }

    func testFilters() throws {
        XCTAssertEqual(try names("service:염색"), ["김민지"])
        XCTAssertEqual(try names("visited:>2026-01-01"), ["김민지"])
        XCTAssertEqual(try names("visited:<2023-01-01"), ["김민수"])
        XCTAssertEqual(try names("visited:2022-01-01..2022-12-31"), ["김민수"])
        XCTAssertEqual(try names("inactive:>2y"), ["김민수"])
        XCTAssertEqual(try names("inactive:>6m"), ["김민수", "김민지"], "김민지's last visit was in March")
        XCTAssertEqual(try names("inactive:>300d"), ["김민수"])
        XCTAssertEqual(try names("birthday:12"), ["김민지", "박지민"])
        XCTAssertEqual(try names("consent:marketing_sms"), ["김민지"], "a withdrawn consent does not count")
        XCTAssertEqual(try names("allergy:ppd"), ["김민수"])
        XCTAssertEqual(try names("김 birthday:12"), ["김민지"])
    }

    /// Every filter by its Korean name finds what the English one finds, so
    /// a query needs no 한/영 switching.
    func testKoreanFilterWords() throws {
        let pairs = [
            ("서비스:염색", "service:염색"), ("시술:염색", "service:염색"),
            ("방문:>2026-01-01", "visited:>2026-01-01"), ("방문:2022-01-01..2022-12-31", "visited:2022-01-01..2022-12-31"),
            ("미방문:>2y", "inactive:>2y"), ("미방문:>2년", "inactive:>2y"), ("미방문:>6개월", "inactive:>6m"),
            ("미방문:6달", "inactive:>6m"), ("미방문:>300일", "inactive:>300d"), ("inactive:>2년", "inactive:>2y"),
            ("생일:12", "birthday:12"), ("생일:12월", "birthday:12"), ("생일:12월25일", "birthday:12-25"),
            ("동의:문자", "consent:marketing_sms"), ("동의:광고문자", "consent:marketing_sms"),
            ("동의:marketing_sms", "consent:marketing_sms"), ("consent:문자", "consent:marketing_sms"),
            ("알레르기:PPD", "allergy:ppd"), ("김 생일:12", "김 birthday:12"),
            ("서비스：염색", "service:염색"),
        ]
        for (korean, english) in pairs {
            XCTAssertEqual(try Query.parse(korean), try Query.parse(english), korean)
            XCTAssertEqual(try names(korean), try names(english), korean)
        }
        XCTAssertEqual(try names("알레르기:PPD"), ["김민수"])
        XCTAssertEqual(try names("동의:문자"), ["김민지"])
        XCTAssertEqual(try names("생일:12월25일"), ["박지민"])
        XCTAssertEqual(try names("서비스:염색 방문:2026"), ["김민지"])
        XCTAssertEqual(try names("미방문:>2년"), ["김민수"])
        // Typed on macOS (NFD), the Korean names still count.
        XCTAssertEqual(try Query.parse("생일:12".decomposedStringWithCanonicalMapping), try Query.parse("birthday:12"))
        for purpose in [("시술기록", "service_records"), ("생일쿠폰", "birthday_coupon"), ("제3자", "third_party")] {
            XCTAssertEqual(try Query.parse("동의:\(purpose.0)").filters, [.consent(purpose.1)])
        }
        XCTAssertThrowsError(try Query.parse("동의:뉴스레터"))
        XCTAssertThrowsError(try Query.parse("미방문:2주"))
        XCTAssertThrowsError(try Query.parse("생일:13월"))
        XCTAssertThrowsError(try Query.parse("색깔:빨강"), "an unknown Korean filter name is an error, not a word")
    }

    func testHowPeopleTypeWhileLookingUp() throws {
        XCTAssertEqual(try names("김ㅁㅈ"), ["김민지"], "a name half typed: syllables then initials")
        XCTAssertEqual(try names("민ㅈ"), ["김민지"])
        XCTAssertEqual(try names("\u{1100}\u{1106}\u{110C}"), ["김민지"], "initials as conjoining jamo (NFD keyboards)")
        XCTAssertEqual(try names("010 1234 5678"), ["김민지"], "a number typed in groups is one number")
        XCTAssertEqual(try names("+82 10-1234-5678"), ["김민지"], "the international form")
        XCTAssertEqual(try names("02-555"), ["박지민"])
        XCTAssertEqual(try names("56"), [], "two digits are too short to mean a phone number")
    }

    func testDatesByDayMonthOrYearAndOneVisitForServiceAndDate() throws {
        XCTAssertEqual(try names("visited:2026-03"), ["김민지"])
        XCTAssertEqual(try names("visited:2022"), ["김민수"])
        XCTAssertEqual(try names("visited:>=2026-03-01"), ["김민지"])
        XCTAssertEqual(try names("visited:>2026-03-01"), [], "after the day, not on it")
        XCTAssertEqual(try names("visited:<=2022-01-10"), ["김민수"])
        XCTAssertEqual(try names("visited:2022-01-01.."), ["김민수", "김민지"])
        XCTAssertEqual(try names("birthday:12-25"), ["박지민"])
        XCTAssertEqual(try names("birthday:12 consent:marketing_sms"), ["김민지"])
        // Service and date must hold for the same visit.
        XCTAssertEqual(try names("service:염색 visited:2026"), ["김민지"])
        XCTAssertEqual(try names("service:염색 visited:2022"), [])
        XCTAssertThrowsError(try Query.parse("birthday:2-30"))
        XCTAssertThrowsError(try Query.parse("visited:.."))
    }

    func testLimitsKeepTheRankedOrder() throws {
        let q = try Query.parse("5678")
        let all = index.search(q, today: "2026-11-25")
        XCTAssertEqual(all.map(\.customer.name), ["김민지", "박지민"])
        XCTAssertEqual(index.search(q, today: "2026-11-25", limit: 1).map(\.id), [all[0].id])
        let filtersOnly = try Query.parse("visited:>2000-01-01")
        XCTAssertEqual(index.search(filtersOnly, today: "2026-11-25", limit: 1).map(\.customer.name), ["김민수"],
                       "by name when every score is equal")
        XCTAssertEqual(index.search(filtersOnly, today: "2026-11-25", limit: 0).count, 0)
    }

    func testQueryErrors() {
        XCTAssertThrowsError(try Query.parse("visited:>2026-13-01"))
        XCTAssertThrowsError(try Query.parse("inactive:2w"))
        XCTAssertThrowsError(try Query.parse("consent:newsletter"))
        XCTAssertThrowsError(try Query.parse("colour:red"))
        XCTAssertThrowsError(try Query.parse("   "))
        XCTAssertEqual(Hangul.choseong("김민지 B"), "ㄱㅁㅈ B")
    }
}
