// DangolSynth generates realistic, entirely made-up salon customers from a
// fixed seed: Korean names, phone numbers, birthdays and visit histories.
// Never real people: the demo, the tests and the benchmarks all use it.
import DangolKit
import Foundation

/// SplitMix64: tiny, fast and the same on every platform, so a seed always
/// gives the same salon.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public struct SyntheticSalon {
    var rng: SeededGenerator
    private var usedPhones = Set<String>()
    /// The day dates are counted back from; a generated history moves it
    /// along with its commits.
    public var today: Date

    public init(seed: UInt64, today: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        rng = SeededGenerator(seed: seed)
        self.today = today
    }

    // Family names weighted roughly by how common they are in Korea.
    static let families: [(String, Int)] = [
        ("김", 21), ("이", 15), ("박", 8), ("최", 5), ("정", 5), ("강", 2), ("조", 2), ("윤", 2), ("장", 2),
        ("임", 2), ("한", 1), ("오", 1), ("서", 1), ("신", 1), ("권", 1), ("황", 1), ("안", 1), ("송", 1),
        ("류", 1), ("전", 1), ("홍", 1), ("고", 1), ("문", 1), ("양", 1), ("손", 1),
    ]
    static let givenSyllables = Array("민지서연하은수빈유진예린도윤지호현우채원시우준서다은소윤가은태희혜진은정영숙미경")
    static let services = ["커트", "염색", "뿌리염색", "펌", "매직", "클리닉", "드라이", "탈색", "두피케어", "셋팅펌"]
    static let brands = ["웰라", "로레알", "밀본", "아모스", "로레알 마지렐"]
    static let shades = ["5/0", "6/0", "6/1", "7/1", "7/3", "8/0", "8/43", "9/1", "6N", "7NB"]
    static let developers = ["3%", "6%", "9%"]
    static let notes = [
        "두피 예민", "앞머리 짧게 싫어함", "PPD 알레르기 주의", "다음엔 애쉬 톤 원함", "모발 손상 심함", "뿌리 볼륨 원함",
        "향 없는 제품 선호", "주말 오전만 가능", "아이와 함께 방문", "상한 끝 정리", "자연 곱슬", "염색 후 따가움 호소",
    ]
    static let reactions = ["두피 따가움", "가려움", "붉어짐"]

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    mutating func family() -> String {
        let total = Self.families.reduce(0) { $0 + $1.1 }
        var r = Int.random(in: 0..<total, using: &rng)
        for (name, weight) in Self.families {
            if r < weight { return name }
            r -= weight
        }
        return "김"
    }

    public mutating func name() -> String {
        family() + String(pick(Self.givenSyllables)) + String(pick(Self.givenSyllables))
    }

    public mutating func phone() -> String {
        while true {
            let p = String(format: "010-%04d-%04d", Int.random(in: 2000...9999, using: &rng),
                           Int.random(in: 0...9999, using: &rng))
            if usedPhones.insert(p).inserted { return p }
        }
    }

    func date(daysAgo: Int) -> String { Dates.format(today.addingTimeInterval(-Double(daysAgo) * 86_400)) }

    public mutating func visit(daysAgo: Int) -> Visit {
        var services = [pick(Self.services)]
        if Int.random(in: 0..<3, using: &rng) == 0 { services.append(pick(Self.services)) }
        let colour = services.contains { $0.contains("염색") || $0 == "탈색" }
        let formula = colour
            ? "\(pick(Self.brands)) \(pick(Self.shades)) + \(pick(Self.developers)) \(Int.random(in: 2...7, using: &rng) * 5)분"
            : nil
        let reaction = colour && Int.random(in: 0..<25, using: &rng) == 0 ? pick(Self.reactions) : nil
        return Visit(date: date(daysAgo: daysAgo), services: Array(Set(services)).sorted(), stylist: "원장",
                     formula: formula, price: Int.random(in: 2...30, using: &rng) * 5_000,
                     note: Int.random(in: 0..<4, using: &rng) == 0 ? pick(Self.notes) : nil, reaction: reaction)
    }

    /// One customer with 0 to 12 visits over the last four years.
    public mutating func customer() -> Customer {
        let firstSeen = Int.random(in: 0...1_460, using: &rng)
        var c = Customer(name: name(), phone: phone(), created: date(daysAgo: firstSeen))
        if Int.random(in: 0..<3, using: &rng) > 0 {
            // Month and day only, as the salon collects them (the same draw
            // as when a year was kept, so a seed still makes the same salon).
            c.birthday = String(date(daysAgo: Int.random(in: 18 * 365...75 * 365, using: &rng)).dropFirst(5))
        }
        if Int.random(in: 0..<5, using: &rng) == 0 { c.note = pick(Self.notes) }
        if Int.random(in: 0..<20, using: &rng) == 0 { c.allergies = ["PPD"] }
        let visits = Int.random(in: 0...12, using: &rng)
        var days = (0..<visits).map { _ in Int.random(in: 0...firstSeen, using: &rng) }
        days.sort(by: >)
        c.visits = days.map { visit(daysAgo: $0) }
        return c
    }
}

extension Vault {
    /// Adds `count` generated customers, `perCommit` to a commit, calling
    /// `progress` after each commit. Returns the new ids in order.
    /// With `today`, each commit's customers are dated back from the day it
    /// gives (a history spread over the past, see dangol-synth).
    public func addSynthetic(_ salon: inout SyntheticSalon, count: Int, perCommit: Int, today: (() -> Date)? = nil,
                             progress: (Int) throws -> Void = { _ in }) throws -> [RecordID] {
        var ids = [RecordID]()
        ids.reserveCapacity(count)
        while ids.count < count {
            let n = min(perCommit, count - ids.count)
            if let today { salon.today = today() }
            try change(operation: "import") { tx in
                for _ in 0..<n {
                    let id = RecordID.random()
                    try tx.put(salon.customer(), id: id)
                    ids.append(id)
                }
            }
            try progress(ids.count)
        }
        return ids
    }
}
