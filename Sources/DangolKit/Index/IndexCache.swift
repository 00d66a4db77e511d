import DangolCrypto
import DangolGit
import Foundation

/// An encrypted cache of the decrypted records, so a cold search does not
/// read and decrypt every record file: `.git/dangol-index`, never versioned
/// or pushed. It is sealed and authenticated like a record (the index
/// subkey; the header and the head commit it describes are the associated
/// data) and padded to 64 KiB steps. When the head has moved, only the
/// records that changed since are decrypted again; anything wrong with the
/// file and it is simply rebuilt.
///
///     0  4  magic "DGIX"      4  1  version (1)      5 20  head commit id
///    25 24  nonce            49  …  ciphertext of the padded record list, tag
enum IndexCache {
    static let magic = Array("DGIX".utf8)
    static let fileName = "dangol-index"

    static func path(_ repo: Repository) -> String { repo.gitDirectory + fileName }

    static func load(_ repo: Repository, key: VaultKey) -> (head: ObjectID, records: [(id: RecordID, customer: Customer)])? {
        guard let data = FileManager.default.contents(atPath: path(repo)), data.count > 49 else { return nil }
        let bytes = Array(data)
        guard Array(bytes[0..<4]) == magic, bytes[4] == 1, let head = ObjectID(bytes: Array(bytes[5..<25])) else { return nil }
        guard let plain = try? AEAD.open(Array(bytes[25...]), ad: Array(bytes[0..<25]), key: key.subkey(.index)),
              plain.count >= 8
        else { return nil }
        return plain.withUnsafeBytes { buf -> (ObjectID, [(id: RecordID, customer: Customer)])? in
            var r = RecordReader(bytes: buf)
            guard let n = try? r.int(), n >= 0, n <= buf.count else { return nil }
            var out = [(id: RecordID, customer: Customer)]()
            out.reserveCapacity(n)
            for _ in 0..<n {
                guard let idHex = try? r.string(), let id = RecordID(hex: idHex), let c = try? r.customer() else { return nil }
                out.append((id, c))
            }
            return (head, out)
        }
    }

    static func save(_ repo: Repository, key: VaultKey, head: ObjectID, records: [(id: RecordID, customer: Customer)]) {
        var w = RecordWriter()
        w.int(records.count)
        for (id, c) in records {
            w.string(id.hex)
            w.customer(c)
        }
        // Pad so the file's size says little about how much the salon holds.
        let step = 64 * 1024
        let target = (w.bytes.count / step + 1) * step
        w.bytes += [UInt8](repeating: 0, count: target - w.bytes.count)
        let header = magic + [1] + head.bytes
        guard let sealed = try? w.bytes.withUnsafeBytes({ try AEAD.seal($0, ad: header, key: key.subkey(.index)) }) else { return }
        wipe(&w.bytes)
        try? writeFileAtomically(path(repo), bytes: header + sealed)
    }
}

extension Vault {
    /// Every record at the head, from the cache when it is current, else
    /// brought up to date from what changed since, else read in full.
    func cachedRecords() throws -> (records: [(id: RecordID, customer: Customer)], failures: [VaultError]) {
        let head = try head()
        guard let (cachedHead, cached) = IndexCache.load(repo, key: key), (try? repo.commit(cachedHead)) != nil else {
            let all = try readAll()
            if all.failures.isEmpty { IndexCache.save(repo, key: key, head: head, records: all.records) }
            return all
        }
        if cachedHead == head { return (cached, []) }
        let changed = try changedRecords(from: cachedHead.hex, to: head.hex)
        let tree = try repo.commit(head).tree
        var byID = Dictionary(cached.map { ($0.id, $0.customer) }, uniquingKeysWith: { a, _ in a })
        var failures = [VaultError]()
        for id in changed {
            do { byID[id] = try read(id, inTree: tree) } catch let e as VaultError {
                byID[id] = nil
                failures.append(e)
            }
        }
        let records = byID.map { (id: $0.key, customer: $0.value) }.sorted { $0.id < $1.id }
        if failures.isEmpty { IndexCache.save(repo, key: key, head: head, records: records) }
        return (records, failures)
    }
}
