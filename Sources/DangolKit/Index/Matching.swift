import Foundation

/// How well one term matched one customer. Terms add up; the best field
/// counts once per term.
enum Score {
    static let exactPhone: Int32 = 100, lastDigits: Int32 = 80, phoneStart: Int32 = 60, phonePart: Int32 = 50
    static let exactName: Int32 = 100, namePrefix: Int32 = 75, namePart: Int32 = 55
    static let exactInitials: Int32 = 90, initialsPrefix: Int32 = 70, initialsPart: Int32 = 40
    static let partialName: Int32 = 88, partialPrefix: Int32 = 72, partialPart: Int32 = 42
    static let text: Int32 = 25
}

extension SearchIndex {
    /// Matches, best first: exact phone or name, then prefixes, then parts;
    /// ties in display order (name, then id), so the order is stable.
    public func search(_ q: Query, today: String = Dates.today(), limit: Int? = nil) -> [Hit] {
        let plan = FilterPlan(q.filters, index: self, today: today)
        if plan.matchesNobody || limit == 0 { return [] }
        guard !q.terms.isEmpty else {
            // Filters only: every score is 0, so display order is the answer
            // and the first `limit` found are the result.
            var out = [Hit]()
            for e in 0..<count where plan.passes(Int32(e)) {
                out.append(hit(e, score: 0))
                if out.count == limit { break }
            }
            return out
        }
        var acc = Accumulator(count: count)
        for term in q.terms {
            offer(term, to: &acc, wholeOrLastFourDigits: q.wholeOrLastFourDigits)
            if acc.finishTerm() == 0 { return [] }
        }
        let scored = acc.survivors().filter { plan.passes($0.entry) }
        return ranked(scored, limit: limit)
    }

    /// The customers a query means when it stands for one customer (`show
    /// 5678`): all matches, unless a single one has the exact phone number or
    /// name the query gave.
    func matchingHits(_ q: Query) -> [Hit] {
        let hits = search(q)
        if q.terms.count == 1, let top = hits.first, top.score >= Score.exactName,
           hits.dropFirst().first.map({ $0.score < top.score }) ?? true {
            return [top]
        }
        return hits
    }

    public func match(_ q: Query) -> [RecordID] { matchingHits(q).map(\.id) }

    /// Offers every customer `term` matches, with its score.
    func offer(_ term: String, to acc: inout Accumulator, wholeOrLastFourDigits: Bool = false) {
        if let digits = Query.phoneDigits(term) {
            phones.find(digits) { f in
                if wholeOrLastFourDigits && !(f.exact || f.suffix && digits.count == 4) { return }
                let s = f.exact ? Score.exactPhone : f.suffix ? Score.lastDigits : f.prefix ? Score.phoneStart : Score.phonePart
                for e in phones.holders(f.value) { acc.offer(e, s) }
            }
        } else if Hangul.isChoseongQuery(term) {
            initials.find(term) { f in
                let s = f.exact ? Score.exactInitials : f.prefix ? Score.initialsPrefix : Score.initialsPart
                for e in initials.holders(f.value) { acc.offer(e, s) }
            }
        } else if Hangul.isPartialName(term) {
            // 김ㅁㅈ can only match where ㄱㅁㅈ is in the initials, which
            // share their value numbers with the names: check only those.
            let pattern = Array(term.unicodeScalars)
            initials.find(Hangul.choseong(term)) { f in
                let name = Array(names.text(f.value).unicodeScalars)
                guard let at = Hangul.partialMatch(pattern, in: name) else { return }
                let s = at > 0 ? Score.partialPart : name.count == pattern.count ? Score.partialName : Score.partialPrefix
                for e in names.holders(f.value) { acc.offer(e, s) }
            }
        } else {
            names.find(term) { f in
                let s = f.exact ? Score.exactName : f.prefix ? Score.namePrefix : Score.namePart
                for e in names.holders(f.value) { acc.offer(e, s) }
            }
            texts.find(term) { f in
                for e in texts.holders(f.value) { acc.offer(e, Score.text) }
            }
        }
    }

    /// Best score first, display order within a score: a counting sort on
    /// the score (there are only a few distinct ones) keeps it linear.
    func ranked(_ scored: [(entry: Int32, score: Int32)], limit: Int?) -> [Hit] {
        guard let top = scored.map(\.score).max() else { return [] }
        var startOf = [Int](repeating: 0, count: Int(top) + 2)
        for s in scored { startOf[Int(top - s.score) + 1] += 1 }
        for i in 1..<startOf.count { startOf[i] += startOf[i - 1] }
        var order = [Int32](repeating: 0, count: scored.count)
        for (i, s) in scored.enumerated() {
            let slot = Int(top - s.score)
            order[startOf[slot]] = Int32(i)
            startOf[slot] += 1
        }
        return order.prefix(limit ?? order.count).map { i in
            let s = scored[Int(i)]
            return hit(Int(s.entry), score: Int(s.score))
        }
    }
}

/// Scores of one query, term by term: a customer stays in only while every
/// term so far has matched it. Stamps instead of sets keep this to a few
/// array writes per posting, however many customers a term touches.
struct Accumulator {
    private var stamp: [UInt16]
    private var total: [Int32]
    private var best: [Int32]
    private var touched: [Int32] = []
    private var stillIn: [Int32] = []
    private var term: UInt16 = 0

    init(count: Int) {
        stamp = [UInt16](repeating: 0, count: count)
        total = [Int32](repeating: 0, count: count)
        best = [Int32](repeating: 0, count: count)
    }

    /// Customer e matches the current term with score s.
    mutating func offer(_ e: Int32, _ s: Int32) {
        let i = Int(e)
        if stamp[i] == term {
            stamp[i] = term &+ 1
            best[i] = s
            touched.append(e)
        } else if stamp[i] == term &+ 1, s > best[i] {
            best[i] = s
        }
    }

    /// Closes the current term; returns how many customers are still in.
    mutating func finishTerm() -> Int {
        for e in touched { total[Int(e)] += best[Int(e)] }
        term &+= 1
        swap(&touched, &stillIn)
        touched.removeAll(keepingCapacity: true)
        return stillIn.count
    }

    /// Customers that matched every term, in ascending order, with scores.
    func survivors() -> [(entry: Int32, score: Int32)] {
        // A few survivors are sorted; many are read off the stamps in order.
        if stillIn.count * 16 < stamp.count {
            return stillIn.sorted().map { ($0, total[Int($0)]) }
        }
        var out = [(entry: Int32, score: Int32)]()
        out.reserveCapacity(stillIn.count)
        stamp.withUnsafeBufferPointer { st in
            for i in 0..<st.count where st[i] == term { out.append((Int32(i), total[i])) }
        }
        return out
    }
}
