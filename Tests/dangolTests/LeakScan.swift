import Foundation
import XCTest

/// A byte string to look for, named so that a failure can say what was found
/// without printing it.
struct Needle {
    let label: String
    let bytes: [UInt8]

    /// The text in UTF-8 as dangol stores it (NFC), and decomposed (NFD) when
    /// that differs: Hangul typed on some systems (macOS file names, some
    /// input methods) arrives as conjoining jamo.
    static func text(_ label: String, _ text: String) -> [Needle] {
        let nfc = Array(text.precomposedStringWithCanonicalMapping.utf8)
        let nfd = Array(text.decomposedStringWithCanonicalMapping.utf8)
        return [Needle(label: label, bytes: nfc)] + (nfd == nfc ? [] : [Needle(label: label + " (NFD)", bytes: nfd)])
    }

    /// A phone number with its dashes and as bare digits.
    static func phone(_ label: String, _ phone: String) -> [Needle] {
        [Needle(label: label, bytes: Array(phone.utf8)),
         Needle(label: label + " (digits)", bytes: Array(phone.filter(\.isNumber).utf8))]
    }

    /// Secret bytes as they could be written: raw, hex (both cases) and base64.
    static func secret(_ label: String, _ raw: [UInt8]) -> [Needle] {
        let hex = raw.map { String(format: "%02x", $0) }.joined()
        return [Needle(label: label + " (raw)", bytes: raw), Needle(label: label + " (hex)", bytes: Array(hex.utf8)),
                Needle(label: label + " (HEX)", bytes: Array(hex.uppercased().utf8)),
                Needle(label: label + " (base64)", bytes: Array(Data(raw).base64EncodedString().utf8))]
    }
}

/// Fixed-seed marker text no other test and no generated salon uses:
/// syllables drawn from all 11,172 Hangul syllables, and tokens of 12
/// base32 characters.
struct MarkerGenerator {
    var state: UInt64

    /// SplitMix64: small, and the same on every platform.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func hangul(_ syllables: Int) -> String {
        String(String.UnicodeScalarView((0..<syllables).map { _ in Unicode.Scalar(0xAC00 + UInt32(next() % 11172))! }))
    }

    mutating func token() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return String((0..<12).map { _ in alphabet[Int(next() % 32)] })
    }

    /// An internet-line number (070): the generated salons use 010 only.
    mutating func phone() -> String {
        String(format: "070-%04d-%04d", Int(next() % 9000) + 1000, Int(next() % 10000))
    }
}

enum LeakScan {
    /// How often each needle occurs in `haystack`.
    static func hits(_ needles: [Needle], in haystack: [UInt8]) -> [String: Int] {
        var found = [String: Int]()
        for n in needles {
            let c = occurrences(of: n.bytes, in: haystack)
            if c > 0 { found[n.label, default: 0] += c }
        }
        return found
    }

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard let first = needle.first, haystack.count >= needle.count else { return 0 }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let base = h.baseAddress!, last = h.count - n.count
                var i = 0, count = 0
                while i <= last, let p = memchr(base + i, Int32(first), last - i + 1) {
                    let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { count += 1 }
                    i = at + 1
                }
                return count
            }
        }
    }

    struct TreeScan {
        var files = 0
        var bytes = 0
        var vanished = 0
        var hits = [String: [String]]()
    }

    /// Every regular file under `roots` (one file system each, symlinks not
    /// followed), read by grep for all needles in one pass: /tmp alone can
    /// hold gigabytes. `work` holds the needle list and is skipped; it must
    /// be the only place the needles are written.
    static func scanTrees(_ roots: [String], needles: [Needle], work: String, run: (String, [String]) throws -> Sandbox.Output)
        throws -> TreeScan
    {
        // grep -F takes one pattern per line: a needle with a newline or a NUL
        // (only raw key bytes can have one) is looked for in the repositories only.
        let lines = needles.filter { !$0.bytes.contains(0x0A) && !$0.bytes.contains(0) }
        let patterns = work + "/needles"
        guard FileManager.default.createFile(atPath: patterns, contents: Data(lines.map(\.bytes).joined(separator: [0x0A])),
                                             attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown) }
        // find writes the list itself: a path that is not UTF-8 reaches grep unchanged.
        let list = work + "/files", sizes = work + "/sizes"
        let find = try run("/usr/bin/find", roots + ["-xdev", "(", "-path", work, "-prune", ")", "-o", "-type", "f",
                                                    "-fprintf", list, "%p\\0", "-fprintf", sizes, "%s\\n"])
        var scan = TreeScan()
        let sizeText = (try? String(contentsOfFile: sizes, encoding: .utf8)) ?? ""
        for line in sizeText.split(separator: "\n") {
            scan.files += 1
            scan.bytes += Int(line) ?? 0
        }
        guard scan.files > 0 else { throw NSError(domain: "find", code: Int(find.code), userInfo: ["err": find.err]) }
        // -a: binary files are read as text; LC_ALL=C: bytes, not characters.
        let grep = try run("/usr/bin/xargs", ["-0", "-a", list, "/usr/bin/env", "LC_ALL=C", "grep", "-laZF", "-f", patterns, "--"])
        scan.vanished = grep.err.split(separator: "\n").filter { $0.contains("No such file") }.count
        for path in grep.out.split(separator: "\0").map(String.init) where !path.isEmpty {
            let bytes = Array(FileManager.default.contents(atPath: path) ?? Data())
            scan.hits[path] = hits(lines, in: bytes).keys.sorted()
        }
        return scan
    }

    /// Files and directories under `root` that others than the owner can
    /// read, write or enter: a file must be 0600 or stricter, a directory 0700
    /// or stricter. Returns how many were checked and the ones that fail.
    static func modeProblems(under root: String) -> (checked: Int, problems: [String]) {
        var checked = 0
        var problems = [String]()
        func check(_ path: String) {
            var st = stat()
            guard lstat(path, &st) == 0 else { return }
            let type = st.st_mode & S_IFMT
            guard type == S_IFREG || type == S_IFDIR else { return }
            checked += 1
            if st.st_mode & 0o077 != 0 { problems.append(String(format: "%o %@", st.st_mode & 0o7777, path)) }
        }
        check(root)
        let e = FileManager.default.enumerator(atPath: root)
        while let rel = e?.nextObject() as? String { check(root + "/" + rel) }
        return (checked, problems)
    }

    /// The /proc files of `pid` the checks read (nil where unreadable).
    static func procFiles(_ pid: pid_t) -> [String: [UInt8]] {
        var out = [String: [UInt8]]()
        for name in ["cmdline", "environ", "limits", "status"] {
            out[name] = FileManager.default.contents(atPath: "/proc/\(pid)/\(name)").map(Array.init)
        }
        return out
    }

    /// The fatal signals (SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV)
    /// that a /proc/PID/status text says the process catches.
    static func caughtFatalSignals(_ status: [UInt8]) -> [Int32] {
        let text = String(decoding: status, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return [-1] }
        return [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV].filter { mask & (1 << UInt64($0 - 1)) != 0 }
    }

    /// The soft and hard "Max core file size" of a /proc/PID/limits text.
    static func coreLimit(_ limits: [UInt8]) -> [String] {
        let text = String(decoding: limits, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") }) else { return [] }
        return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2).map(String.init)
    }
}
