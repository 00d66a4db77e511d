import DangolCrypto
import DangolKit
import DangolSynth
import Foundation

/// The starting corpus of each target, made from a fixed seed: valid inputs
/// (generated customers, their record files and key slots, real queries and
/// import files) that the fuzzer then mutates. Nothing here is committed.
enum Seeds {
    static func write(to directory: String) throws {
        var salon = SyntheticSalon(seed: 2026_11_25)
        var corpus = [FuzzTarget: [[UInt8]]]()
        for _ in 0..<8 {
            let json = try salon.customer().encoded()
            corpus[.customer, default: []].append(json)
            let file = try RecordFile.seal(plaintext: json, id: FuzzTarget.recordID, key: FuzzTarget.key)
            corpus[.record, default: []].append([0] + file)
            corpus[.record, default: []].append([1] + (try Padding.pad(json).copyBytes()))
        }
        var rng = SeededGenerator(seed: 9)
        for (i, role) in [KeySlot.Role.owner, .staff].enumerated() {
            var secret = Array("violet staple orbit canyon \(i)".utf8)
            let slot = try KeySlot.create(
                kind: .person, role: role, name: salon.name(), secret: try SecureBytes(consuming: &secret),
                parameters: KDFParameters.level(.test), key: FuzzTarget.key,
                slotID: (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) })
            corpus[.keyslot, default: []].append(slot.encoded())
            var again = Array("violet staple orbit canyon \(i)".utf8)
            let person = try KeySlot.createPerson(
                role: role, name: salon.name(), secret: try SecureBytes(consuming: &again),
                parameters: KDFParameters.level(.test), key: FuzzTarget.key, slotID: Array(repeating: UInt8(i), count: 8),
                trusted: i == 0 ? [] : [.init(slotID: Array(repeating: 0, count: 8), publicKey: Array(repeating: 5, count: 32))])
            corpus[.keyslot, default: []].append(person.encoded())
        }
        corpus[.query] = [
            "5678", "010-1234", "김민", "ㄱㅁㅈ", "뿌리염색 service:염색", "visited:>2026-01-01", "inactive:>2y",
            "birthday:12", "consent:birthday_coupon", "allergy:PPD", "민지 visited:2025-01-01..2025-12-31",
        ].map { Array($0.utf8) }
        var csv = "이름,휴대폰,생일,메모\n"
        var jsonl = ""
        for _ in 0..<5 {
            let c = salon.customer()
            csv += "\(c.name),\(c.phone ?? ""),\(c.birthday ?? ""),\"\(c.note ?? "두피, 예민")\"\n"
            jsonl += String(decoding: try c.encoded(), as: UTF8.self) + "\n"
        }
        corpus[.csv] = [[0] + Array(csv.utf8), [2] + Array(jsonl.utf8), [1] + (try cp949(csv))]
        for (pack, index) in try packs(&salon) {
            corpus[.packindex, default: []].append(index)
            let length = (0..<4).map { UInt8(truncatingIfNeeded: index.count >> (8 * $0)) }
            corpus[.pack, default: []].append([0] + length + index + pack)
            corpus[.pack, default: []].append([1] + length + index + pack)
        }
        for (target, inputs) in corpus {
            let dir = directory + "/" + target.rawValue
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (i, input) in inputs.enumerated() {
                try Data(input).write(to: URL(fileURLWithPath: "\(dir)/seed-\(i)"))
            }
        }
    }

    /// The packs of a small vault made by dangol itself, as (pack, index):
    /// a few customers packed as `dangol gc` packs, more loose, then an
    /// erasure, whose pack holds trees stored as deltas.
    static func packs(_ salon: inout SyntheticSalon) throws -> [([UInt8], [UInt8])] {
        let dir = NSTemporaryDirectory() + "dangol-fuzz-seeds-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var secret = Array("violet staple orbit canyon".utf8)
        let (vault, _) = try Vault.create(
            at: dir, owner: "원장", passphrase: try SecureBytes(consuming: &secret), kdf: .level(.test))
        var ids = [RecordID]()
        for _ in 0..<3 { ids.append(try vault.add(salon.customer())) }
        _ = try LockedVault.open(at: dir).packObjects()
        for _ in 0..<3 { ids.append(try vault.add(salon.customer())) }
        // An erasure writes its new trees as deltas and rewrites the packs.
        _ = try vault.erase([ids[1]], reason: "fuzz seed")
        let packDir = dir + "/.git/objects/pack/"
        return try FileManager.default.contentsOfDirectory(atPath: packDir).filter { $0.hasSuffix(".pack") }.sorted()
            .map { name in
                let base = packDir + String(name.dropLast(5))
                return (Array(try Data(contentsOf: URL(fileURLWithPath: base + ".pack"))),
                        Array(try Data(contentsOf: URL(fileURLWithPath: base + ".idx"))))
            }
    }

    /// The same CSV as an older Korean program would save it (glibc iconv).
    static func cp949(_ text: String) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "CP949"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(bytes)
    }
}
