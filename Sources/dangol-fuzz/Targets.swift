import DangolCrypto
import DangolGit
import DangolKit
import Foundation

/// The parsers that read what someone else may have written, one fuzz target
/// each. Every input must return or throw that parser's own error; anything
/// else (a trap, another error type, a broken promise below) is a finding,
/// reported by crashing so that libFuzzer saves the input.
enum FuzzTarget: String, CaseIterable {
    /// A record file: header, lengths, AEAD, padding, then the customer JSON.
    case record
    /// A key slot file (`keys/*.slot`).
    case keyslot
    /// A customer document through the schema validator.
    case customer
    /// A search query.
    case query
    /// An import file through the whole importer: encoding, CSV, columns, schema.
    case csv
    /// A pack index (`objects/pack/*.idx`, version 2).
    case packindex
    /// A pack read against its index, as the purge and the remnant scan read them.
    case pack

    /// Whether the input parsed (false: it was refused with a clear error).
    @discardableResult
    func run(_ input: [UInt8]) -> Bool {
        do {
            switch self {
            case .record: try Self.record(input)
            case .keyslot: try Self.keyslot(input)
            case .customer: _ = try Schema.decode(input, today: Self.today)
            case .query: try Self.query(input)
            case .csv: try Self.csv(input)
            case .packindex: try PackParsing.index(input)
            case .pack: try Self.pack(input)
            }
            return true
        } catch let e as CryptoError where [.record, .keyslot].contains(self) {
            return Self.refused(e)
        } catch let e as ValidationFailure where [.record, .customer].contains(self) {
            return Self.refused(e)
        } catch let e as Query.ParseError where self == .query {
            return Self.refused(e)
        } catch let e as VaultError where self == .csv {
            return Self.refused(e)
        } catch let e as ObjectStoreError where [.packindex, .pack].contains(self) {
            return Self.refused(e)
        } catch {
            fatalError("\(rawValue): an error that is not the parser's own: \(type(of: error)): \(error)")
        }
    }

    static let today = "2026-11-25"

    /// Fixed, and only ever a test key: the fuzzer must reach past the MAC,
    /// so its seeds are sealed with this key (Seeds.swift).
    static let key: VaultKey = {
        var raw = (0..<UInt8(VaultKey.byteCount)).map { $0 &* 7 &+ 1 }
        return try! VaultKey(agentSecret: SecureBytes(consuming: &raw))  // swift-format-ignore: 32 fixed bytes always load
    }()
    static let recordID = Array(repeating: UInt8(0xD6), count: RecordFile.idBytes)

    /// First byte 0: the rest is a record file as found on disk. First byte 1:
    /// the rest is a padded plaintext, sealed here under the right header so
    /// that the unpadding and the JSON behind the MAC are fuzzed too (a MAC
    /// cannot be forged by mutation, so without this they would never be).
    static func record(_ input: [UInt8]) throws {
        let mode = input.first ?? 0
        let file: [UInt8]
        if mode & 1 == 0 {
            file = Array(input.dropFirst())
        } else {
            let head = RecordFile.magic + [RecordFile.version, RecordFile.cipherXChaCha20Poly1305, 0, 0] + recordID
            file = head + (try Array(input.dropFirst()).withUnsafeBytes {
                try AEAD.seal($0, ad: head, key: key.subkey(.records))
            })
        }
        let plain = try RecordFile.open(file, id: recordID, key: key)
        _ = try Schema.decode(plain.copyBytes(), today: today)
    }

    static func keyslot(_ input: [UInt8]) throws {
        let slot = try KeySlot.decode(input)
        guard slot.encoded() == input else { fatalError("keyslot: a decoded slot re-encodes to other bytes") }
    }

    static func query(_ input: [UInt8]) throws {
        let q = try Query.parse(String(decoding: input, as: UTF8.self))
        if q.terms.isEmpty && q.filters.isEmpty { fatalError("query: a parsed query that asks nothing") }
    }

    /// First byte: bit 0 picks the encoding (UTF-8 or CP949), bit 1 the
    /// format (CSV or JSON lines).
    static func csv(_ input: [UInt8]) throws {
        let mode = input.first ?? 0
        let options = ImportOptions(
            format: mode & 2 == 0 ? .csv : .jsonl, encoding: mode & 1 == 0 ? .utf8 : .cp949, mapping: [:],
            skipBad: true, dryRun: true)
        let batch = try ImportBatch(Array(input.dropFirst()), options: options, extraFields: [], today: today)
        for (_, problem) in batch.bad where problem.text(.en).isEmpty { fatalError("csv: a row refused without a reason") }
    }

    /// First byte: bit 0 set makes the index name the pack's own trailer
    /// and the pack's header the index's object count, so that mutations
    /// reach the entries (a mutated pack otherwise fails the first check).
    /// Then a 4-byte little-endian index length, the index, and the pack.
    static func pack(_ input: [UInt8]) throws {
        guard input.count >= 5 else { throw ObjectStoreError(path: "fuzz input", reason: "too short") }
        let length = input[1...4].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard length <= input.count - 5 else { throw ObjectStoreError(path: "fuzz input", reason: "index length") }
        var index = Array(input[5..<(5 + length)])
        var pack = Array(input[(5 + length)...])
        if input[0] & 1 == 1, index.count >= 8 + 256 * 4 + 40, pack.count >= 32 {
            index.replaceSubrange((index.count - 40)..<(index.count - 20), with: pack.suffix(20))
            pack.replaceSubrange(8..<12, with: index[(8 + 255 * 4)..<(8 + 256 * 4)])
        }
        try PackParsing.pack(pack, index: index)
    }

    /// A refusal must say why: false, or a crash when its message is empty.
    static func refused(_ error: CustomStringConvertible) -> Bool {
        if error.description.isEmpty { fatalError("an error with an empty message: \(type(of: error))") }
        return false
    }
}
