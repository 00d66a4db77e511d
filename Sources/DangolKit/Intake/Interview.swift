import DangolText
import Foundation

/// One question: which field its answer fills and how it is read.
struct Question {
    enum Kind { case text, list, won }
    /// The JSON key of the record or visit the answer fills.
    let key: String
    /// Its name in the review list.
    let label: String
    let prompt: String
    var kind = Kind.text
    /// An empty answer is refused (a visit typed at the counter names what
    /// was done, though an imported one may not).
    var required = false
    /// What an empty answer stands for (today's date, the stylist).
    var fallback: Any?
    /// Not asked while this holds (the email once there is a phone number).
    var skip: ([String: Any]) -> Bool = { _ in false }
    /// An empty answer sends the interview back to this question, with this
    /// line (no email after no phone: ask the phone again).
    var emptyGoesBack: (key: String, message: String)?
    /// The form a text answer is kept in once it passed (a phone number dashed).
    var tidy: (String) -> String = { $0 }
}

/// Asks questions one at a time, checking each answer as soon as it is
/// typed and asking again, with the reason, until it fits; then lists every
/// answer and saves on Enter, asks one again by its number, or cancels.
/// Answers live in this process's memory only, never in a file or a log.
struct Interview {
    let asker: Asking
    let questions: [Question]
    /// The schema's verdict on `key`, given every answer so far.
    let check: (_ answers: [String: Any], _ key: String) -> ValidationFailure?
    /// Called after an answer passed the check; false asks it again.
    var accept: (_ key: String, _ answers: [String: Any]) throws -> Bool = { _, _ in true }
    private(set) var answers: [String: Any] = [:]

    init(asker: Asking, questions: [Question], check: @escaping ([String: Any], String) -> ValidationFailure?) {
        self.asker = asker
        self.questions = questions
        self.check = check
    }

    private enum Step { case answered, ended, back(String) }

    /// Every question, the review, and `build` on the answers; nil when
    /// the person cancelled or ended the input.
    mutating func run<T>(build: ([String: Any]) throws -> T) throws -> T? {
        var i = 0
        while i < questions.count {
            if questions[i].skip(answers) {
                answers[questions[i].key] = nil
                i += 1
                continue
            }
            switch try ask(questions[i]) {
            case .ended: return nil
            case .answered: i += 1
            case .back(let key): i = questions.firstIndex { $0.key == key } ?? i + 1
            }
        }
        return try review(build: build)
    }

    private mutating func ask(_ q: Question) throws -> Step {
        while true {
            guard let raw = try asker.ask(q.prompt) else { return .ended }
            let typed = raw.trimmingCharacters(in: .whitespaces)
            var value: Any? = q.fallback
            if !typed.isEmpty {
                switch q.kind {
                case .text: value = typed
                case .list:
                    let items = Self.list(typed)
                    value = items.isEmpty ? nil : items
                case .won:
                    guard let n = Self.won(typed) else {
                        asker.tell(Catalogue.text("prompt.price_invalid"))
                        continue
                    }
                    value = n
                }
            }
            answers[q.key] = value
            if value == nil, let back = q.emptyGoesBack {
                asker.tell(back.message)
                return .back(back.key)
            }
            if value == nil {
                if !q.required { return .answered }
                asker.tell(Catalogue.text("prompt.required", ["field": q.label]))
                continue
            }
            if let problem = check(answers, q.key) {
                asker.tell(Catalogue.text("prompt.invalid", ["problem": "\(problem)"]))
                continue
            }
            if let text = value as? String { answers[q.key] = q.tidy(text) }
            if try !accept(q.key, answers) { continue }
            return .answered
        }
    }

    private mutating func review<T>(build: ([String: Any]) throws -> T) throws -> T? {
        while true {
            let shown = questions.indices.filter { !questions[$0].skip(answers) }
            let width = shown.map { TextWidth.columns(questions[$0].label) }.max() ?? 0
            for (n, i) in shown.enumerated() {
                let label = questions[i].label
                let pad = String(repeating: " ", count: width - TextWidth.columns(label))
                asker.tell("  \(n + 1)  \(label)\(pad)  \(Self.show(answers[questions[i].key]))")
            }
            guard let raw = try asker.ask(Catalogue.text("prompt.confirm")) else { return nil }
            let typed = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if typed.isEmpty || Self.yes.contains(typed) {
                do { return try build(answers) } catch let f as ValidationFailure {
                    asker.tell(Catalogue.text("prompt.invalid", ["problem": "\(f)"]))
                    continue
                }
            }
            if Self.no.contains(typed) { return nil }
            guard let n = Int(typed), (1...shown.count).contains(n) else {
                asker.tell(Catalogue.text("prompt.pick", ["n": typed]))
                continue
            }
            var key = questions[shown[n - 1]].key
            while let q = questions.first(where: { $0.key == key }) {
                switch try ask(q) {
                case .ended: return nil
                case .answered: key = ""
                case .back(let to): key = to
                }
            }
        }
    }

    static let yes: Set<String> = ["y", "yes", "예", "네", "응", "ㅇ", "ㅇㅇ"]
    static let no: Set<String> = ["n", "no", "아니오", "아니요", "아니", "ㄴ"]

    /// Whether an answer to a yes/no question is yes (an empty one is no).
    static func isYes(_ answer: String?) -> Bool {
        answer.map { yes.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) } ?? false
    }

    /// "커트, 뿌리염색" → two items; Korean commas count too.
    static func list(_ typed: String) -> [String] {
        typed.split(whereSeparator: { ",，、".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// A price in won as people write it: 80000, 80,000원, 8만, 8만5천, 3천원.
    static func won(_ typed: String) -> Int? {
        var t = typed.filter { $0 != "," && !$0.isWhitespace }
        if t.hasSuffix("원") { t.removeLast() }
        if let n = Int(t), n >= 0 { return n }
        var total = 0
        var below = Int.max  // what is left after the smallest unit must be less than it
        var rest = Substring(t)
        for (unit, value) in [("억", 100_000_000), ("만", 10_000), ("천", 1_000)] {
            guard let r = rest.range(of: unit) else { continue }
            let digits = rest[..<r.lowerBound]
            guard let n = digits.isEmpty ? 1 : Int(digits), n >= 0, n < 10_000 else { return nil }
            total += n * value
            below = value
            rest = rest[r.upperBound...]
        }
        guard below != Int.max else { return nil }
        if !rest.isEmpty {
            guard let n = Int(rest), n >= 0, n < below else { return nil }
            total += n
        }
        return total
    }

    static func show(_ value: Any?) -> String {
        switch value {
        case let list as [String]: return list.joined(separator: ", ")
        case let n as Int: return Won.text(n)
        case let s as String: return s
        default: return "-"
        }
    }
}
