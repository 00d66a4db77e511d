import DangolCrypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The distinct values of one kind (names, phone digits, notes and formulas,
/// services, allergies), folded for comparison, each with the customers that
/// hold it. A query scans the distinct values, never the customers: 100,000
/// records repeat a few thousand service names, formulas and notes, so a
/// substring search reads kilobytes, not the whole salon.
///
/// The folded values sit in one C string, each after a newline, so one
/// `strstr` pass (glibc's, vectorised) finds a term in all of them. A term
/// never holds white space (the query splits on it), so a hit never
/// straddles two values; a newline inside a value becomes a space, which
/// changes no match for the same reason.
struct Vocabulary {
    /// \n v0 \n v1 \n … vN \n NUL
    private(set) var bytes: [UInt8] = [0x0A, 0]
    /// Where each value starts in `bytes`, and one past the last newline.
    private(set) var starts: [Int32] = []
    /// Customers (entry numbers, ascending) holding value i:
    /// postings[postingStarts[i] ..< postingStarts[i + 1]].
    private(set) var postingStarts: [Int32] = [0]
    private(set) var postings: [Int32] = []

    var count: Int { max(0, starts.count - 1) }

    init() {}

    /// Values already folded (duplicates allowed), with their holders laid
    /// out as `postingStarts` and `postings` describe.
    init(folded values: [String], postingStarts: [Int32], postings: [Int32]) {
        starts.reserveCapacity(values.count + 1)
        for v in values { append(v) }
        starts.append(Int32(bytes.count - 1))
        self.postingStarts = postingStarts
        self.postings = postings
    }

    /// Adds a value before the closing NUL.
    private mutating func append(_ folded: String) {
        bytes.removeLast()
        starts.append(Int32(bytes.count))
        bytes += folded.utf8.lazy.filter { $0 != 0 }.map { $0 == 0x0A ? 0x20 : $0 }
        bytes += [0x0A, 0]
    }

    /// How a term sits in one value.
    struct Found {
        let value: Int
        let exact: Bool
        let prefix: Bool
        let suffix: Bool
    }

    /// Calls `body` once for every value holding `term`, in value order.
    func find(_ term: String, _ body: (Found) -> Void) {
        let needle = Array(term.utf8)
        guard !needle.isEmpty, !needle.contains(0), !needle.contains(0x0A), count > 0 else { return }
        (needle + [0]).withUnsafeBufferPointer { nb in
            bytes.withUnsafeBufferPointer { hay in
                let base = UnsafeRawPointer(hay.baseAddress!).assumingMemoryBound(to: CChar.self)
                let n = UnsafeRawPointer(nb.baseAddress!).assumingMemoryBound(to: CChar.self)
                var from = 0
                while from < hay.count - 1, let hit = strstr(base + from, n) {
                    let offset = UnsafePointer(hit) - base
                    let value = self.value(at: offset)
                    let start = Int(starts[value]), end = Int(starts[value + 1]) - 1
                    let suffix = end - start >= needle.count && memcmp(base + end - needle.count, n, needle.count) == 0
                    body(Found(value: value, exact: offset == start && end - start == needle.count,
                               prefix: offset == start, suffix: suffix))
                    from = end
                }
            }
        }
    }

    /// Overwrites the folded values (names, phone digits, notes) in place
    /// and forgets them: the index lives in ordinary memory, and a process
    /// that locks without ending (the front desk) must not leave it to be
    /// read later from freed pages.
    mutating func wipe() {
        DangolCrypto.wipe(&bytes)
        bytes = [0x0A, 0]
        starts = []
        postingStarts = [0]
        postings = []
    }

    /// The value whose bytes include `offset`.
    private func value(at offset: Int) -> Int {
        var lo = 0, hi = count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(starts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The folded text of value i.
    func text(_ i: Int) -> String {
        String(decoding: bytes[Int(starts[i])..<Int(starts[i + 1]) - 1], as: UTF8.self)
    }

    /// Customers holding value i.
    func holders(_ i: Int) -> ArraySlice<Int32> { postings[Int(postingStarts[i])..<Int(postingStarts[i + 1])] }

    /// Builds one vocabulary while the index walks the customers in order.
    struct Builder {
        private var ids: [RawKey: Int32] = [:]
        private var raw: [String] = []
        private var lastHolder: [Int32] = []
        private var pairValue: [Int32] = []
        private var pairHolder: [Int32] = []

        /// Records that customer `holder` has `value`; returns the value's
        /// number. Holders must come in ascending order.
        @discardableResult
        mutating func add(_ value: String, holder: Int32) -> Int32 {
            let key = RawKey(value)
            let id: Int32
            if let known = ids[key] {
                id = known
            } else {
                id = Int32(raw.count)
                ids[key] = id
                raw.append(value)
                lastHolder.append(-1)
            }
            // A stylist's name on twelve visits is one posting, not twelve.
            if lastHolder[Int(id)] != holder {
                lastHolder[Int(id)] = holder
                pairValue.append(id)
                pairHolder.append(holder)
            }
            return id
        }

        /// Folds each distinct value once (`fold`) and lays out the postings
        /// value by value with a counting sort, which keeps holders ascending.
        func build(_ fold: (String) -> String) -> Vocabulary {
            var v = Vocabulary()
            v.starts.reserveCapacity(raw.count + 1)
            for s in raw { v.append(fold(s)) }
            v.starts.append(Int32(v.bytes.count - 1))
            var starts = [Int32](repeating: 0, count: raw.count + 1)
            for id in pairValue { starts[Int(id) + 1] += 1 }
            for i in 0..<raw.count { starts[i + 1] += starts[i] }
            var next = starts
            var postings = [Int32](repeating: 0, count: pairValue.count)
            for (id, holder) in zip(pairValue, pairHolder) {
                postings[Int(next[Int(id)])] = holder
                next[Int(id)] += 1
            }
            v.postingStarts = starts
            v.postings = postings
            return v
        }
    }
}

/// A string compared and hashed by its UTF-8 bytes. Swift's own String
/// hashing normalises Hangul on the fly, several times slower, and the index
/// hashes millions of visit fields; values folded later meet anyway.
struct RawKey: Hashable {
    let value: String
    init(_ value: String) { self.value = value }

    func hash(into h: inout Hasher) {
        if value.utf8.withContiguousStorageIfAvailable({ h.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            for b in value.utf8 { h.combine(b) }
        }
        h.combine(value.utf8.count)
    }

    static func == (a: RawKey, b: RawKey) -> Bool { a.value.utf8.elementsEqual(b.value.utf8) }
}
