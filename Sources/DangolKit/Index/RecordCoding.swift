import Foundation

/// A compact binary form of customer documents for the index and its cache:
/// length-prefixed UTF-8 strings, integers as LEB128 varints (most are
/// short lengths: one byte). Decoding it is many times faster than JSON,
/// which is the point: a cold search reads 10,000 of them, and holding
/// 100,000 of them this way costs less memory than their JSON.
struct RecordWriter {
    var bytes = [UInt8]()

    mutating func int(_ v: Int) {
        var u = UInt64(bitPattern: Int64(v))
        while u >= 0x80 {
            bytes.append(UInt8(u & 0x7F) | 0x80)
            u >>= 7
        }
        bytes.append(UInt8(u))
    }
    mutating func string(_ s: String) {
        let u = Array(s.utf8)
        int(u.count)
        bytes += u
    }
    mutating func optional(_ s: String?) {
        if let s { bytes.append(1); string(s) } else { bytes.append(0) }
    }
    mutating func strings(_ list: [String]) {
        int(list.count)
        list.forEach { string($0) }
    }

    mutating func customer(_ c: Customer) {
        int(c.schema)
        string(c.name)
        optional(c.phone); optional(c.email); optional(c.birthday); optional(c.note)
        strings(c.allergies)
        int(c.visits.count)
        for v in c.visits {
            string(v.date); strings(v.services); optional(v.stylist); optional(v.formula)
            optional(v.price.map(String.init)); optional(v.note); optional(v.reaction)
        }
        int(c.consents.count)
        for e in c.consents { string(e.purpose); bytes.append(e.granted ? 1 : 0); string(e.date); string(e.textVersion) }
        string(c.created)
        let keys = c.extra.keys.sorted()
        int(keys.count)
        for k in keys { string(k); string(c.extra[k]!) }  // k comes from keys
    }
}

struct RecordReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    struct Malformed: Error {}

    mutating func int() throws -> Int {
        var u: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Malformed() }
            let b = bytes[offset]
            offset += 1
            u |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return Int(Int64(bitPattern: u)) }
            shift += 7
        }
    }
    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Malformed() }
        defer { offset += 1 }
        return bytes[offset]
    }
    mutating func string() throws -> String {
        let n = try int()
        guard n >= 0, offset + n <= bytes.count else { throw Malformed() }
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]), as: UTF8.self)
    }
    mutating func optional() throws -> String? { try byte() == 1 ? try string() : nil }
    mutating func strings() throws -> [String] {
        let n = try int()
        guard n >= 0, n <= bytes.count else { throw Malformed() }
        return try (0..<n).map { _ in try string() }
    }

    mutating func customer() throws -> Customer {
        let schema = try int()
        var c = Customer(name: try string(), phone: try optional(), email: try optional(), birthday: try optional(),
                         note: try optional(), created: "")
        c.schema = schema
        c.allergies = try strings()
        let visits = try int()
        guard visits >= 0, visits <= bytes.count else { throw Malformed() }
        c.visits = try (0..<visits).map { _ in
            Visit(date: try string(), services: try strings(), stylist: try optional(), formula: try optional(),
                  price: try optional().flatMap { Int($0) }, note: try optional(), reaction: try optional())
        }
        let consents = try int()
        guard consents >= 0, consents <= bytes.count else { throw Malformed() }
        c.consents = try (0..<consents).map { _ in
            ConsentEvent(purpose: try string(), granted: try byte() == 1, date: try string(), textVersion: try string())
        }
        c.created = try string()
        let extras = try int()
        guard extras >= 0, extras <= bytes.count else { throw Malformed() }
        for _ in 0..<extras { c.extra[try string()] = try string() }
        return c
    }
}
