import DangolCrypto
import DangolGit
import Foundation

/// An encrypted cache of the decrypted records, so a cold search does not
/// read and decrypt every record file: `.git/dangol-index`, never versioned
/// or pushed. Each segment of the RecordStore is sealed like a record (the
/// index subkey), with the header, the head commit it describes, the number
/// of segments and the segment's own number as associated data, so a
/// segment dropped, repeated, reordered or taken from another cache fails to
/// open. Segments are padded to 64 KiB steps. When the head has moved, only
/// the records that changed since are decrypted again; anything wrong with
/// the file and it is simply rebuilt. It is read and written one segment at
/// a time, so the whole ciphertext is never in memory beside the plaintext.
///
///     0  4  magic "DGIX"      4  1  version (3)      5 20  head commit id
///    25  4  segment count, little-endian
///    then per segment: 4 bytes n (little-endian), n bytes: nonce, ciphertext, tag
enum IndexCache {
    static let magic = Array("DGIX".utf8)
    /// 3: segments; a file of an earlier version is rebuilt.
    static let version: UInt8 = 3
    static let fileName = "dangol-index"
    static let headerBytes = 29

    static func path(_ repo: Repository) -> String { repo.gitDirectory + fileName }

    static func header(head: ObjectID, segments: Int) -> [UInt8] {
        magic + [version] + head.bytes + le32(segments)
    }

    static func le32(_ n: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(n).littleEndian) { Array($0) } }

    static func associatedData(_ header: [UInt8], segment: Int) -> [UInt8] { header + le32(segment) }

    static func load(_ repo: Repository, key: VaultKey) -> (head: ObjectID, store: RecordStore)? {
        guard let file = FileHandle(forReadingAtPath: path(repo)) else { return nil }
        defer { try? file.close() }
        func read(_ n: Int) -> [UInt8]? {
            guard let d = try? file.read(upToCount: n), d.count == n else { return nil }
            return Array(d)
        }
        func int32(_ b: [UInt8]) -> Int { Int(UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24) }
        guard let header = read(headerBytes), Array(header[0..<4]) == magic, header[4] == version,
              let head = ObjectID(bytes: Array(header[5..<25]))
        else { return nil }
        // At least one segment: only segments authenticate the header.
        let count = int32(Array(header[25..<29]))
        guard count >= 1 else { return nil }
        var segments = [SecureBytes]()
        for i in 0..<count {
            guard let n = read(4).map(int32), n > 0, n <= 1 << 30, let box = read(n),
                  let plain = try? AEAD.open(box, ad: associatedData(header, segment: i), key: key.subkey(.index))
            else { return nil }
            segments.append(plain)
        }
        // Anything after the last segment means the file is not what was written.
        guard (try? file.read(upToCount: 1))??.isEmpty ?? true, let store = try? RecordStore(parsing: segments) else {
            return nil
        }
        return (head, store)
    }

    /// Saves only while no writer is busy and the branch is still at
    /// `head`: a search that read the records before an erasure must not
    /// write them back after it, as a cache of a history that no longer
    /// exists. (Readers take no lock; this is the one write they make.)
    static func saveIfCurrent(_ repo: Repository, key: VaultKey, head: ObjectID, store: RecordStore) {
        guard let lock = try? WriteLock(gitDirectory: repo.gitDirectory, timeout: 0) else { return }
        defer { withExtendedLifetime(lock) {} }
        guard (try? repo.resolve(Vault.branch)) == head else { return }
        save(repo, key: key, head: head, store: store)
    }

    static func save(_ repo: Repository, key: VaultKey, head: ObjectID, store: RecordStore) {
        let header = header(head: head, segments: store.segments.count)
        try? writeFileAtomically(path(repo)) { write in
            try write(header)
            for (i, segment) in store.segments.enumerated() {
                let box = try segment.withUnsafeBytes {
                    try AEAD.seal($0, ad: associatedData(header, segment: i), key: key.subkey(.index))
                }
                try write(le32(box.count))
                try write(box)
            }
        }
    }
}

extension Vault {
    /// Every record at the head, from the cache when it is current, else
    /// brought up to date from what changed since, else read in full.
    func cachedRecords() throws -> (store: RecordStore, failures: [VaultError]) {
        let head = try head()
        guard let (cachedHead, cached) = IndexCache.load(repo, key: key), (try? repo.commit(cachedHead)) != nil else {
            let all = try readAllEncoded()
            if all.failures.isEmpty { IndexCache.saveIfCurrent(repo, key: key, head: head, store: all.store) }
            return all
        }
        if cachedHead == head { return (cached, []) }
        // Most commits only append to the access log (every search makes one):
        // the records are those the cache holds, so it stays as it is rather
        // than being copied and sealed again on each run.
        if try recordsTree(of: cachedHead) == recordsTree(of: head) { return (cached, []) }
        let changed = Set(try changedRecords(from: cachedHead.hex, to: head.hex))
        let tree = try repo.commit(head).tree
        var failures = [VaultError]()
        var fresh = [RecordID: [UInt8]]()
        for id in changed {
            do {
                if let c = try read(id, inTree: tree) { fresh[id] = RecordStore.encode(c) }
            } catch let e as VaultError {
                failures.append(e)
            }
        }
        // Unchanged records are copied from the cache as they are; changed
        // ones that still exist come from the head.
        var b = RecordStore.Builder()
        for i in 0..<cached.count where !changed.contains(cached.ids[i]) {
            try cached.withRecord(i) { try b.append(cached.ids[i], $0) }
        }
        for id in Array(fresh.keys) {
            if var bytes = fresh.removeValue(forKey: id) { try b.append(id, encoded: &bytes) }
        }
        let store = try b.finish()
        if failures.isEmpty { IndexCache.saveIfCurrent(repo, key: key, head: head, store: store) }
        return (store, failures)
    }

    /// The id of the records/ tree of a commit (nil when it has none).
    func recordsTree(of commit: ObjectID) throws -> ObjectID? {
        try repo.entry(at: "records", inTree: try repo.commit(commit).tree)?.id
    }
}
