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
///     0  4  magic "DGIX"      4  1  version (2)      5 20  head commit id
///    25 24  nonce            49  …  ciphertext of the records in RecordStore's layout, tag
enum IndexCache {
    static let magic = Array("DGIX".utf8)
    /// 2: RecordStore's layout (varints); a version 1 file is rebuilt.
    static let version: UInt8 = 2
    static let fileName = "dangol-index"

    static func path(_ repo: Repository) -> String { repo.gitDirectory + fileName }

    static func load(_ repo: Repository, key: VaultKey) -> (head: ObjectID, store: RecordStore)? {
        // Read straight into one array: going through Data would hold a
        // second copy of the whole ciphertext at the peak.
        guard let bytes = try? readFile(path(repo)), bytes.count > 49, Array(bytes[0..<4]) == magic,
              bytes[4] == version, let head = ObjectID(bytes: Array(bytes[5..<25])),
              let plain = try? AEAD.open(Array(bytes[25...]), ad: Array(bytes[0..<25]), key: key.subkey(.index)),
              let store = try? RecordStore(parsing: plain)
        else { return nil }
        return (head, store)
    }

    static func save(_ repo: Repository, key: VaultKey, head: ObjectID, store: RecordStore) {
        let header = magic + [version] + head.bytes
        guard let sealed = try? store.storage.withUnsafeBytes({ try AEAD.seal($0, ad: header, key: key.subkey(.index)) })
        else { return }
        try? writeFileAtomically(path(repo), parts: [header, sealed])
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw VaultError.io("cannot open \(path)") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw VaultError.io("cannot stat \(path)") }
        var out = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        try out.withUnsafeMutableBytes { buf in
            while done < buf.count {
                let n = read(fd, buf.baseAddress! + done, buf.count - done)  // count > 0 here, so a base exists
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw VaultError.io("cannot read \(path)") }
                done += n
            }
        }
        return out
    }
}

extension Vault {
    /// Every record at the head, from the cache when it is current, else
    /// brought up to date from what changed since, else read in full.
    func cachedRecords() throws -> (store: RecordStore, failures: [VaultError]) {
        let head = try head()
        guard let (cachedHead, cached) = IndexCache.load(repo, key: key), (try? repo.commit(cachedHead)) != nil else {
            let all = try readAllEncoded()
            if all.failures.isEmpty { IndexCache.save(repo, key: key, head: head, store: all.store) }
            return all
        }
        if cachedHead == head { return (cached, []) }
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
        var from = [(id: RecordID, old: Int?)]()
        for (i, id) in cached.ids.enumerated() where !changed.contains(id) { from.append((id, i)) }
        for id in fresh.keys { from.append((id, nil)) }
        from.sort { $0.id < $1.id }
        let sizes = from.map { f in f.old.map { cached.spans[$0].count } ?? fresh[f.id]!.count }  // fresh holds every new one
        let store = try RecordStore.assemble(ids: from.map(\.id), sizes: sizes) { i, out in
            if let old = from[i].old { cached.copyRecord(old, to: out) } else { out.copyBytes(from: fresh[from[i].id]!) }
        }
        for k in Array(fresh.keys) { if var v = fresh.removeValue(forKey: k) { wipe(&v) } }
        if failures.isEmpty { IndexCache.save(repo, key: key, head: head, store: store) }
        return (store, failures)
    }
}
