internal import CSodium
import Foundation
import Synchronization

/// A buffer in libsodium's guarded memory: page-aligned, surrounded by guard
/// pages, locked so it is never swapped out, and zeroed when freed. Keys and
/// passphrases live here, modelled on swift-crypto's SecureBytes.
public final class SecureBytes {
    private let base: UnsafeMutableRawPointer
    public private(set) var count: Int

    /// How many guarded buffers exist right now. A process that says it
    /// has forgotten its keys (the front desk after its lock) can be held
    /// to it: every key, subkey and decrypted record buffer is one of these,
    /// so a count back at its starting value means none of them survived.
    public static var live: Int { liveCount.load(ordering: .relaxed) }
    private static let liveCount = Atomic<Int>(0)

    public init(count: Int) throws {
        try ensureSodium()
        // sodium_malloc(0) is legal but returns a pointer we may not touch;
        // allocate one byte so the pointer is always valid.
        guard let p = sodium_malloc(max(count, 1)) else {
            throw CryptoError.sodium(call: "sodium_malloc")
        }
        base = p
        self.count = count
        sodium_memzero(base, max(count, 1))
        Self.liveCount.add(1, ordering: .relaxed)
        // sodium_malloc locks the pages but ignores a refusal (a low
        // RLIMIT_MEMLOCK): locking again tells whether they really are.
        if sodium_mlock(p, max(count, 1)) != 0 { MemoryLock.refused(errno) }
    }

    /// Copies `bytes` into guarded memory and wipes the caller's array.
    public convenience init(consuming bytes: inout [UInt8]) throws {
        try self.init(count: bytes.count)
        bytes.withUnsafeBytes { src in
            if let s = src.baseAddress { base.copyMemory(from: s, byteCount: src.count) }
        }
        wipe(&bytes)
    }

    /// Random bytes generated directly into guarded memory.
    public static func random(count: Int) throws -> SecureBytes {
        let s = try SecureBytes(count: count)
        randombytes_buf(s.base, count)
        return s
    }

    /// Forgets the tail beyond `length`, wiping it first: an unpadded view of
    /// a padded buffer without a second guarded allocation.
    func shrink(to length: Int) {
        precondition(length <= count, "shrink cannot grow a buffer")
        sodium_memzero(base + length, count - length)
        count = length
    }

    deinit {
        // sodium_free zeroes the region before releasing it.
        sodium_free(base)
        Self.liveCount.subtract(1, ordering: .relaxed)
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// A copy in ordinary memory, for data that must leave guarded memory
    /// (such as a decrypted document handed to the JSON decoder).
    public func copyBytes(prefix: Int? = nil) -> [UInt8] {
        let n = min(prefix ?? count, count)
        return [UInt8](UnsafeRawBufferPointer(start: base, count: n))
    }

    public func constantTimeEquals(_ other: SecureBytes) -> Bool {
        count == other.count && sodium_memcmp(base, other.base, count) == 0
    }
}

/// Whether guarded memory is really kept out of swap. `mlock` fails once
/// the process has locked RLIMIT_MEMLOCK bytes (8 MiB by default on Linux;
/// root is exempt): the memory still has its guard pages and is still zeroed
/// when freed, but may be swapped to disk. The first refusal is reported
/// once, through `report`, rather than claimed otherwise.
public enum MemoryLock {
    /// Told the errno of the first refusal, once per process.
    nonisolated(unsafe) public static var report: ((Int32) -> Void)?
    nonisolated(unsafe) private static var refusedAlready = false
    private static let guardLock = NSLock()

    /// Whether any lock was refused so far.
    public static var anyRefused: Bool { guardLock.withLock { refusedAlready } }

    static func refused(_ code: Int32) {
        let first = guardLock.withLock { () -> Bool in
            defer { refusedAlready = true }
            return !refusedAlready
        }
        if first { report?(code) }
    }
}
