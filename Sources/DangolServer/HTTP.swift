import DangolCrypto
import DangolText
import Foundation
import HTTPTypes
import Hummingbird

/// A request refused before any handler ran, with the status it gets.
struct Refusal: Error {
    let status: HTTPResponse.Status
    let key: String

    /// A short plain page in the reader's language: the refused party may
    /// be a person who opened an old link.
    func response(_ language: Language) -> Response {
        Reply.text(Catalogue.text(key, language: language), status: status)
    }
}

/// Responses the front desk sends.
enum Reply {
    static func text(_ body: String, status: HTTPResponse.Status = .ok, type: String = "text/plain; charset=utf-8")
        -> Response
    {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func bytes(_ body: [UInt8], type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A JSON object. Values are what JSONSerialization takes.
    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
        return bytes(Array(data), type: "application/json; charset=utf-8", status: status)
    }

    /// Every response, refusals and errors included, carries these: the
    /// page is for this origin only, never framed, never cached (a customer
    /// card in the browser's disk cache would be plaintext on disk).
    static func harden(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Pragma")!] = "no-cache"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
    }
}

/// An `application/x-www-form-urlencoded` body, the only kind the page
/// sends. Values stay bytes until asked for, so the passphrase can go
/// straight into guarded memory.
struct Form {
    private var fields: [(name: String, value: [UInt8])] = []

    /// The body is read into `buffer` and overwritten once parsed.
    init(wiping buffer: inout ByteBuffer) {
        let count = buffer.readableBytes
        var raw = buffer.readBytes(length: count) ?? []
        buffer.clear()
        buffer.writeRepeatingByte(0, count: count)
        defer { wipe(&raw) }
        for pair in raw.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: Self.decode(parts[0]), as: UTF8.self)
            fields.append((name, parts.count > 1 ? Self.decode(parts[1]) : []))
        }
    }

    init(query: [(String, String)]) {
        fields = query.map { ($0.0, Array($0.1.utf8)) }
    }

    /// Percent-decoding with `+` as a space, as browsers encode forms.
    static func decode(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == UInt8(ascii: "+") {
                out.append(0x20)
            } else if c == UInt8(ascii: "%"), i + 2 < s.endIndex,
                let h = hexValue(s[i + 1]), let l = hexValue(s[i + 2])
            {
                out.append(h << 4 | l)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// The field's text, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let v = fields.last(where: { $0.name == name })?.value else { return nil }
        let s = String(decoding: v, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return s.isEmpty ? nil : s
    }

    /// Whether the field was sent at all (a blank field clears a value).
    func has(_ name: String) -> Bool { fields.contains { $0.name == name } }

    /// Every value of a repeated field, blanks left out.
    func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// A field moved into guarded memory; the form forgets it.
    mutating func secret(_ name: String) throws -> SecureBytes? {
        guard let i = fields.lastIndex(where: { $0.name == name }), !fields[i].value.isEmpty else { return nil }
        var bytes = fields[i].value
        wipe(&fields[i].value)
        fields[i].value = []
        return try SecureBytes(consuming: &bytes)
    }

    mutating func wipeAll() {
        for i in fields.indices { wipe(&fields[i].value) }
        fields = []
    }
}

/// Random tokens: the one-time link, the session and the CSRF token.
enum Token {
    static func make() -> String { Random.bytes(32).map { String(format: "%02x", $0) }.joined() }

    static func equal(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return ConstantTime.equal(Array(a.utf8), Array(b.utf8))
    }
}
