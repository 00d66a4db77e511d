import Foundation

/// Many needles searched in one pass over a haystack, for the remnant scan:
/// searching each needle on its own (memchr for its first byte, then
/// memcmp) costs a pass per needle, and a retention run erasing 100
/// customers brings hundreds of needles to 900 MB of history.
///
/// Any occurrence of a needle of at least 15 bytes covers a whole 8-byte word
/// at an offset that is a multiple of 8 from the haystack's start, and that
/// word is the needle's bytes at some k in 0..<8. So the haystack is read one
/// aligned word at a time; a bitmap of those 8 × needles words answers
/// "certainly not" for almost every word, and the rare maybe is checked
/// against the needle itself. Shorter needles are searched one by one.
struct NeedleSet {
    private let needles: [[UInt8]]
    private let short: [Int]
    private let bitmap: [UInt64]
    private let shift: UInt64
    /// word → (needle, k): the needles whose bytes at k are that word.
    private let words: [UInt64: [(needle: Int, k: Int)]]

    static let wordSpan = 15

    init(_ needles: [[UInt8]]) {
        self.needles = needles
        var words = [UInt64: [(needle: Int, k: Int)]]()
        var short = [Int]()
        for (i, n) in needles.enumerated() {
            guard n.count >= Self.wordSpan else {
                if !n.isEmpty { short.append(i) }
                continue
            }
            n.withUnsafeBytes { b in
                for k in 0..<8 {
                    words[b.loadUnaligned(fromByteOffset: k, as: UInt64.self), default: []].append((i, k))
                }
            }
        }
        // About 64 bits per word, so that a random word is a maybe one time
        // in 64 or less; at least 2^16 bits (8 KB, stays in L1 cache).
        var bits = 16
        while bits < 26 && (1 << bits) < words.count * 64 { bits += 1 }
        var bitmap = [UInt64](repeating: 0, count: (1 << bits) / 64)
        let shift = UInt64(64 - bits)
        for w in words.keys {
            let h = Self.slot(w, shift)
            bitmap[Int(h >> 6)] |= 1 << (h & 63)
        }
        self.words = words
        self.short = short
        self.bitmap = bitmap
        self.shift = shift
    }

    @inline(__always) private static func slot(_ w: UInt64, _ shift: UInt64) -> UInt64 {
        (w &* 0x9E37_79B9_7F4A_7C15) >> shift
    }

    var isEmpty: Bool { needles.isEmpty }

    /// How many of the needles occur in `haystack` (each counted once).
    func count(in haystack: UnsafeRawBufferPointer) -> Int { matches(in: haystack).count }

    /// The indices of the needles that occur in `haystack`.
    func matches(in haystack: UnsafeRawBufferPointer) -> Set<Int> {
        var found = Set<Int>()
        guard let base = haystack.baseAddress, !needles.isEmpty else { return found }
        for i in short where contains(haystack, needles[i]) { found.insert(i) }
        guard !words.isEmpty, haystack.count >= Self.wordSpan else { return found }
        bitmap.withUnsafeBufferPointer { map in
            var p = 0
            let last = haystack.count - 8
            while p <= last {
                let w = base.loadUnaligned(fromByteOffset: p, as: UInt64.self)
                let h = Self.slot(w, shift)
                if map[Int(h >> 6)] & (1 << (h & 63)) != 0, let candidates = words[w] {
                    for (i, k) in candidates where !found.contains(i) {
                        let start = p - k
                        let n = needles[i]
                        guard start >= 0, start + n.count <= haystack.count else { continue }
                        let equal = n.withUnsafeBytes { nb in
                            nb.baseAddress.map { memcmp(base + start, $0, n.count) == 0 } ?? false
                        }
                        if equal { found.insert(i) }
                    }
                }
                p += 8
            }
        }
        return found
    }
}

/// Whether `haystack` contains `needle`. memchr finds the first byte's
/// candidates (vectorised in glibc), memcmp confirms. (glibc's memmem is not
/// visible to Swift without _GNU_SOURCE.)
func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
    guard let h = haystack.baseAddress, !needle.isEmpty, haystack.count >= needle.count else { return false }
    return needle.withUnsafeBytes { nb -> Bool in
        guard let n = nb.baseAddress else { return false }
        let first = Int32(needle[0])
        let last = h + (haystack.count - needle.count)
        var p = h
        while p <= last {
            guard let hit = memchr(p, first, last - p + 1) else { return false }
            if memcmp(hit, n, needle.count) == 0 { return true }
            p = UnsafeRawPointer(hit) + 1
        }
        return false
    }
}
