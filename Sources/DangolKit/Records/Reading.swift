import DangolCrypto
import DangolGit
import DangolText
import Foundation

extension Vault {
    /// Every record file at the head: (id, blob) pairs, from the fan-out tree.
    func recordEntries(inTree tree: ObjectID) throws -> [(id: RecordID, blob: ObjectID)] {
        guard let records = try repo.entry(at: "records", inTree: tree), records.kind == .tree else { return [] }
        var out = [(id: RecordID, blob: ObjectID)]()
        for a in try repo.treeEntries(records.id) where a.kind == .tree {
            for b in try repo.treeEntries(a.id) where b.kind == .tree {
                for f in try repo.treeEntries(b.id) where f.kind == .blob {
                    if let id = RecordID(path: "records/\(a.name)/\(b.name)/\(f.name)") { out.append((id, f.id)) }
                }
            }
        }
        return out
    }

    /// Ids starting with a hex prefix of 4 or more characters. The prefix
    /// names the fan-out directories, so only one leaf tree is read.
    func idsWithPrefix(_ prefix: String) throws -> [RecordID] {
        let p = prefix.lowercased()
        guard p.count >= 4 else { return try recordIDs().filter { $0.hex.hasPrefix(p) } }
        let dir = "records/\(p.prefix(2))/\(p.dropFirst(2).prefix(2))"
        guard let leaf = try repo.entry(at: dir, inTree: try repo.commit(try head()).tree), leaf.kind == .tree else {
            return []
        }
        return try repo.treeEntries(leaf.id).compactMap { RecordID(path: "\(dir)/\($0.name)") }
            .filter { $0.hex.hasPrefix(p) }
    }

    public func recordIDs() throws -> [RecordID] {
        try recordEntries(inTree: try repo.commit(try head()).tree).map(\.id)
    }

    /// Decrypts one record file; any failure names the file.
    func decrypt(_ bytes: [UInt8], id: RecordID, scratch: RecordFile.Scratch? = nil) throws -> Customer {
        do {
            return try (scratch ?? RecordFile.Scratch()).open(bytes, id: id.bytes, key: key) { plain in
                // The decoder reads the guarded buffer itself: no copy of the
                // plaintext in ordinary memory that nobody would wipe.
                // (A slice of the scratch buffer always has a base address.)
                let view = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: plain.baseAddress!), count: plain.count,
                                deallocator: .none)
                return try JSONDecoder().decode(Customer.self, from: view)
            }
        } catch let e as CryptoError {
            throw VaultError.integrity(file: id.path, reason: e.message)
        } catch is DecodingError {
            throw VaultError.integrity(file: id.path, reason: Message("record.not_a_customer"))
        }
    }

    func read(_ id: RecordID, inTree tree: ObjectID) throws -> Customer? {
        guard let e = try repo.entry(at: id.path, inTree: tree) else { return nil }
        return try decrypt(try repo.readBlob(e.id), id: id)
    }

    /// The record at the head.
    public func read(_ id: RecordID) throws -> Customer {
        guard let c = try read(id, inTree: try repo.commit(try head()).tree) else {
            throw VaultError.notFound(Message("customer.no_id", ["id": id.hex]))
        }
        return c
    }

    /// Decrypts every record at the head, on all cores. A damaged file does
    /// not hide the others: it is reported in `failures`, naming the file.
    public func readAll() throws -> (records: [(id: RecordID, customer: Customer)], failures: [VaultError]) {
        var records = [(id: RecordID, customer: Customer)]()
        let failures = try readAllHead(open: { try decrypt($0, id: $1, scratch: $2) }) { records += $0 }
        return (records, failures)
    }

    /// Every record at the head in the index's compact form: each customer
    /// is encoded as soon as it is decrypted and each block moves into the
    /// store before the next is read, so 100,000 customers never sit in
    /// memory as `Customer` values, nor twice over.
    func readAllEncoded() throws -> (store: RecordStore, failures: [VaultError]) {
        var b = RecordStore.Builder()
        let failures = try readAllHead(open: { RecordStore.encode(try decrypt($0, id: $1, scratch: $2)) }) { block in
            // In place, so the wipe reaches the only copy.
            for k in block.indices { try b.append(block[k].id, encoded: &block[k].customer) }
        }
        return (try b.finish(), failures)
    }

    /// Reads, decrypts and opens every record at the head, a block at a time;
    /// `take` receives each block's good records, the failures come back.
    private func readAllHead<T>(
        open: (_ file: [UInt8], _ id: RecordID, _ scratch: RecordFile.Scratch) throws -> T,
        take: (inout [(id: RecordID, customer: T)]) throws -> Void
    ) throws -> [VaultError] {
        let entries = try recordEntries(inTree: try repo.commit(try head()).tree)
        // libgit2 reads stay on this thread; decryption fans out, one stripe
        // and one guarded scratch buffer per core.
        let stripes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let scratches = try (0..<stripes).map { _ in try RecordFile.Scratch() }
        var failures = [VaultError]()
        for from in stride(from: 0, to: entries.count, by: RecordStore.segmentRecords) {
            let block = Array(entries[from..<min(from + RecordStore.segmentRecords, entries.count)])
            let blobs = try block.map { try repo.readBlob($0.blob) }
            var results = [Result<T, Error>?](repeating: nil, count: block.count)
            results.withUnsafeMutableBufferPointer { out in
                let out = out
                DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                    for k in stride(from: stripe, to: block.count, by: stripes) {
                        out[k] = Result { try open(blobs[k], block[k].id, scratches[stripe]) }
                    }
                }
            }
            var good = [(id: RecordID, customer: T)]()
            for (k, r) in results.enumerated() {
                switch r! {  // concurrentPerform filled every slot
                case .success(let c): good.append((block[k].id, c))
                case .failure(let e as VaultError): failures.append(e)
                case .failure(let e): failures.append(.integrity(file: block[k].id.path, reason: .of(e)))
                }
            }
            results.removeAll()
            try take(&good)
        }
        return failures
    }

    /// Finds the one customer meant by an id, an id prefix of 6 or more hex
    /// characters, or a query (phone digits, a part of the name).
    public func resolve(_ token: String) throws -> RecordID {
        let t = token.trimmingCharacters(in: .whitespaces).lowercased()
        if t.count >= 6, t.allSatisfy(\.isHexDigit) {
            let hits = try idsWithPrefix(t)
            if hits.count == 1 { return hits[0] }
            if hits.count > 1 { throw VaultError.ambiguous(query: token, candidates: hits) }
            if t.count == 32 { throw VaultError.notFound(Message("customer.no_id", ["id": t])) }
        }
        let hits = try match(token)
        if hits.count == 1 { return hits[0] }
        if hits.isEmpty { throw VaultError.notFound(Message("customer.no_match", ["query": token])) }

        throw VaultError.ambiguous(query: token, candidates: hits)
    }

    /// Customers a query matches (phone digits, name, 초성, words, filters),
    /// best first; one exact phone number or name wins (SearchIndex.match).
    public func match(_ query: String) throws -> [RecordID] {
        try index().index.match(try self.query(query))
    }
}
