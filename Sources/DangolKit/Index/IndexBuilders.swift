/// What the index gathers from each customer, fed one customer at a time in
/// display order (customer number `e`), so no list of every `Customer` is
/// needed to build it.
struct Builders {
    private var phoneDigits = [String](), phoneHolders = [Int32]()
    private var texts = Vocabulary.Builder(), services = Vocabulary.Builder(), allergies = Vocabulary.Builder()
    private var columns = Columns()

    struct Columns {
        var lastActivity = [Int32](), birthdays = [Int16](), consentBits = [UInt8](), consentLapses = [Int32]()
        var visitStarts: [Int32] = [0], visitDays = [Int32](), visitServiceStarts: [Int32] = [0], visitServices = [Int32]()
    }

    struct Built {
        let phones: Vocabulary, texts: Vocabulary, services: Vocabulary, allergies: Vocabulary
        let lastActivity: [Int32], birthdays: [Int16], consentBits: [UInt8], consentLapses: [Int32]
        let visitStarts: [Int32], visitDays: [Int32], visitServiceStarts: [Int32], visitServices: [Int32]
    }

    mutating func add(_ c: Customer, _ e: Int32) {
        if let p = c.phone {
            phoneHolders.append(e)
            phoneDigits.append(Phone.digits(p))
        }
        // Everything a free word is looked for in.
        for s in [c.note, c.email].compactMap({ $0 }) { texts.add(s, holder: e) }
        for s in c.allergies {
            texts.add(s, holder: e)
            allergies.add(s, holder: e)
        }
        for s in c.extra.values { texts.add(s, holder: e) }

        var last = DayKey.of(c.created) ?? 0
        for v in c.visits {
            for s in v.services { texts.add(s, holder: e) }
            for s in [v.formula, v.note, v.reaction, v.stylist].compactMap({ $0 }) { texts.add(s, holder: e) }
            let day = DayKey.of(v.date) ?? 0
            last = max(last, day)
            columns.visitDays.append(Int32(day))
            for s in v.services { columns.visitServices.append(services.add(s, holder: e)) }
            columns.visitServiceStarts.append(Int32(columns.visitServices.count))
        }
        columns.visitStarts.append(Int32(columns.visitDays.count))
        var bits: UInt8 = 0
        // The bits say what the latest answer was; when a yes lapses is kept
        // apart, because the index outlives the day it was built on.
        var lapse = Int32.max
        for (i, purpose) in ConsentEvent.purposes.enumerated() where c.latestConsent(purpose)?.granted == true {
            bits |= 1 << i
            if let day = c.consentLapse(purpose).flatMap(DayKey.of) { lapse = min(lapse, Int32(day)) }
        }
        for event in c.consents { last = max(last, DayKey.of(event.date) ?? 0) }
        columns.consentBits.append(bits)
        columns.consentLapses.append(lapse)
        columns.lastActivity.append(Int32(last))
        columns.birthdays.append(Int16(c.birthday.flatMap(Birthday.monthDay) ?? 0))
    }

    func finish() -> Built {
        Built(
            phones: Vocabulary(folded: phoneDigits, postingStarts: (0...Int32(phoneDigits.count)).map { $0 },
                               postings: phoneHolders),
            texts: texts.build(Hangul.fold), services: services.build(Hangul.fold), allergies: allergies.build(Hangul.fold),
            lastActivity: columns.lastActivity, birthdays: columns.birthdays, consentBits: columns.consentBits,
            consentLapses: columns.consentLapses, visitStarts: columns.visitStarts, visitDays: columns.visitDays,
            visitServiceStarts: columns.visitServiceStarts, visitServices: columns.visitServices)
    }
}
