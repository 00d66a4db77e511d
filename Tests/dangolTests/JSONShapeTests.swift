import Foundation
import XCTest

/// Every command's `--json` against the shape JSON.md documents for it, on
/// a vault with something in every list; every command that has `--json`
/// (as the binary itself describes its commands) has a documented shape;
/// the documented shapes use the shared vocabulary; no results is `[]`.
final class JSONShapeTests: XCTestCase {
    /// A JSON value with its JSON type kept: JSONDecoder does not read a
    /// number as a boolean or the other way round.
    indirect enum Value: Decodable, CustomStringConvertible {
        case null, bool(Bool), int(Int), double(Double), string(String), array([Value]), object([String: Value])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let i = try? c.decode(Int.self) { self = .int(i) }
            else if let d = try? c.decode(Double.self) { self = .double(d) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else if let a = try? c.decode([Value].self) { self = .array(a) }
            else { self = .object(try c.decode([String: Value].self)) }
        }

        static func parse(_ text: String) throws -> Value { try JSONDecoder().decode(Value.self, from: Data(text.utf8)) }

        var description: String {
            switch self {
            case .null: return "null"
            case .bool(let b): return "\(b)"
            case .int(let i): return "\(i)"
            case .double(let d): return "\(d)"
            case .string(let s): return "\"\(s)\""
            case .array(let a): return "[\(a.count) items]"
            case .object(let o): return "{\(o.keys.sorted().joined(separator: ", "))}"
            }
        }
    }

    /// The documented shapes: command → shape, and named types (`receipt`).
    struct Documented {
        var shapes = [String: Value]()
        var types = [String: Value]()
    }

    static func documented() throws -> Documented {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("JSON.md"), encoding: .utf8)
        var doc = Documented()
        let marker = try NSRegularExpression(pattern: #"<!-- shape: ([^>]*?) -->\n```json\n(.*?)\n```"#,
                                             options: [.dotMatchesLineSeparators])
        for m in marker.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let head = String(text[Range(m.range(at: 1), in: text)!])
            let shape = try Value.parse(String(text[Range(m.range(at: 2), in: text)!]))
            let parts = head.components(separatedBy: "; type: ")
            for name in parts[0].components(separatedBy: ", ") { doc.shapes[name] = shape }
            if parts.count == 2, case .array(let element) = shape, let first = element.first { doc.types[parts[1]] = first }
        }
        return doc
    }

    /// What is wrong with `value` against `spec`, one line per problem.
    static func problems(_ value: Value, _ spec: Value, _ doc: Documented, at path: String = "$") -> [String] {
        switch spec {
        case .array(let element):
            guard case .array(let items) = value else { return ["\(path): \(value) is not an array"] }
            return items.enumerated().flatMap { problems($1, element.first ?? .null, doc, at: "\(path)[\($0)]") }
        case .object(let keys):
            guard case .object(let fields) = value else { return ["\(path): \(value) is not an object"] }
            var out = [String]()
            for (key, sub) in keys {
                let optional = key.hasSuffix("?")
                let name = optional ? String(key.dropLast()) : key
                guard let field = fields[name] else {
                    if !optional { out.append("\(path).\(name) is missing") }
                    continue
                }
                out += problems(field, sub, doc, at: "\(path).\(name)")
            }
            let known = Set(keys.keys.map { $0.hasSuffix("?") ? String($0.dropLast()) : $0 })
            for name in fields.keys where !known.contains(name) { out.append("\(path).\(name) is not documented") }
            return out
        case .string(let types):
            for type in types.components(separatedBy: "|") where fits(value, type, doc) { return [] }
            return ["\(path): \(value) is not \(types)"]
        default:
            return ["\(path): the documented shape \(spec) is not a shape"]
        }
    }

    static func fits(_ value: Value, _ type: String, _ doc: Documented) -> Bool {
        func matches(_ s: String, _ pattern: String) -> Bool { s.range(of: pattern, options: .regularExpression) != nil }
        switch (type, value) {
        case ("null", .null), ("bool", .bool), ("int", .int), ("text", .string), ("object", .object): return true
        case ("id", .string(let s)): return matches(s, "^[0-9a-f]{32}$")
        case ("commit", .string(let s)): return matches(s, "^[0-9a-f]{40}$")
        case ("date", .string(let s)): return matches(s, #"^\d{4}-\d{2}-\d{2}$"#)
        case ("birthday", .string(let s)): return matches(s, #"^(\d{4}-)?\d{2}-\d{2}$"#)
        case ("time", .string(let s)): return matches(s, #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"#)
        default:
            guard let named = doc.types[type] else { return false }
            return problems(value, named, doc).isEmpty
        }
    }

    /// The commands that have a --json flag, as `--experimental-dump-help`
    /// (swift-argument-parser's own description of the tool) lists them.
    /// `add --json -` and `visit --json -` are options that read a record
    /// from standard input (JSON.md says so), not output flags.
    static func commandsWithJSON() throws -> Set<String> {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Sandbox.binary)
        p.arguments = ["--experimental-dump-help"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let tool = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var out = Set<String>()
        func walk(_ command: [String: Any], _ path: [String]) {
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            if arguments.contains(where: { ($0["kind"] as? String) == "flag"
                && ($0["names"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "json" } }) {
                out.insert(path.joined(separator: " "))
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(sub, path + [sub["commandName"] as! String])
            }
        }
        walk(tool["command"] as! [String: Any], [])
        return out
    }

    func testEveryCommandWithJSONHasADocumentedShapeInTheSharedVocabulary() throws {
        let doc = try Self.documented()
        let commands = try Self.commandsWithJSON()
        XCTAssertGreaterThanOrEqual(commands.count, 15, "\(commands)")
        for c in commands.sorted() { XCTAssertNotNil(doc.shapes[c], "dangol \(c) --json has no shape in JSON.md") }
        // One name, one meaning: the same key has the same type everywhere
        // (log's `date` is the one documented exception, kept for scripts).
        let vocabulary = ["id": "id", "time": "time", "person": "text", "date": "date", "field": "text", "commit": "commit"]
        func walk(_ v: Value, in shape: String) {
            switch v {
            case .array(let a): a.forEach { walk($0, in: shape) }
            case .object(let o):
                for (key, sub) in o {
                    let name = key.hasSuffix("?") ? String(key.dropLast()) : key
                    if case .string(let type) = sub, let wanted = vocabulary[name], !(shape == "log" && name == "date") {
                        XCTAssertEqual(type.components(separatedBy: "|").first, wanted, "\(shape): \(name)")
                    }
                    if name == "records", shape != "export" {
                        guard case .array(let element) = sub, case .string("id")? = element.first else {
                            return XCTFail("\(shape): records is a list of ids")
                        }
                    }
                    walk(sub, in: shape)
                }
            default: break
            }
        }
        for (name, shape) in doc.shapes { walk(shape, in: name) }
    }

    func testEveryCommandsOutputHasItsDocumentedShape() throws {
        let doc = try Self.documented()
        let s = try Sandbox()
        s.env["TZ"] = "Asia/Seoul"
        try s.initVault()
        // A past for retention and the log: customers and visits spread over years.
        let synth = URL(fileURLWithPath: Sandbox.binary).deletingLastPathComponent().appendingPathComponent("dangol-synth").path
        let made = try s.run(synth, [s.vault, "12", "--seed", "3", "--per-commit", "1", "--edits", "30",
                                     "--history-from", "2019-01-10"])
        XCTAssertEqual(made.code, 0, made.err)
        let month = Calendar(identifier: .gregorian).component(.month, from: Date())
        let a = try s.ok("add", "--name", "김민지", "--phone", "010-1234-5678", "--email", "minji@example.kr",
                         "--birthday", String(format: "%02d-01", month), "--note", "두피 예민")
        try s.ok("visit", a, "--service", "염색", "--formula", "웰라 6/0", "--price", "80000", "--reaction", "가려움")
        try s.ok("consent", a, "birthday_coupon=yes", "marketing_sms=yes")
        try s.ok("request", "record", a, "access")
        try s.ok("set", a, "phone=010-1234-9999")
        let b = try s.ok("add", "--name", "오서준", "--phone", "010-2222-3333")
        let staff = s.secrets + "/staff"
        try "quiet harbor lantern meadow\n".write(toFile: staff, atomically: true, encoding: .utf8)
        XCTAssertEqual(try s.dangol("user", "add", "지수", "--role", "staff", env: ["DANGOL_NEW_PASSPHRASE_FILE": staff]).code, 0)
        try s.ok("remote", "add", "usb", s.root + "/usb.git")
        try s.ok("push")

        var exercised = Set<String>()
        func check(_ name: String, _ args: [String], code: Int32 = 0, nonEmpty: Bool = true,
                   file: StaticString = #filePath, line: UInt = #line) throws {
            let r = try s.run(Sandbox.binary, args)
            XCTAssertEqual(r.code, code, "\(args): \(r.err)", file: file, line: line)
            guard let shape = doc.shapes[name] else { return XCTFail("no shape for \(name)", file: file, line: line) }
            let value = try Value.parse(r.out)
            XCTAssertEqual(Self.problems(value, shape, doc), [], "dangol \(args.joined(separator: " "))", file: file, line: line)
            if nonEmpty, case .array(let items) = value {
                XCTAssertFalse(items.isEmpty, "\(args) should have found something", file: file, line: line)
            }
            if !nonEmpty, case .array(let items) = value { XCTAssertTrue(items.isEmpty, "\(args)", file: file, line: line) }
            for t in r.out.components(separatedBy: "\"").filter({ $0.range(of: #"^\d{4}-\d{2}-\d{2}T"#, options: .regularExpression) != nil }) {
                XCTAssertTrue(t.hasSuffix("+09:00"), "\(args): \(t) is not in the local time zone", file: file, line: line)
            }
            exercised.insert(name)
        }
        try check("search", ["search", "9999", "--json"])
        try check("search", ["search", "아무도없음", "--json"], code: 4, nonEmpty: false)
        try check("list", ["list", "--json"])
        try check("retention", ["retention", "--inactive", "2y", "--json"])
        try check("retention", ["retention", "--inactive", "100y", "--json"], nonEmpty: false)
        try check("show", ["show", a, "--json"])
        try check("birthdays", ["birthdays", "--month", String(month), "--json"])
        try check("log", ["log", "--json"])
        try check("log", ["log", "--since", "2999-01-01", "--json"], nonEmpty: false)
        try check("diff", ["diff", a, "--json"])
        try check("diff", ["diff", "2000-01-01..2999-12-31", "--json"])
        try check("diff", ["diff", "2000-01-01..2000-01-02", "--json"], nonEmpty: false)
        try check("blame", ["blame", a, "--json"])
        try check("audit show", ["audit", "--json"])
        try check("audit show", ["audit", "show", "--action", "nothing-like-this", "--json"], nonEmpty: false)
        try check("audit verify", ["audit", "verify", "--json"])
        try check("audit review", ["audit", "review", "--json"])
        try check("audit incident", ["audit", "incident", "--since", "2000-01-01", "--json"])
        try check("consent due", ["consent", "due", "--within", "3650", "--json"])
        try check("consent due", ["consent", "due", "--within", "0", "--json"], nonEmpty: false)
        try check("request list", ["request", "list", "--json"])
        try check("audit review", ["audit", "review", "--month", "2001-01", "--json"], nonEmpty: false)
        try check("check", ["check", "--json"])
        try check("check", ["check", "--history", "--json"])
        try check("remote list", ["remote", "list", "--json"])
        try check("user list", ["user", "list", "--json"])
        try check("export", ["export", a, "--format", "json"])
        try check("erase", ["erase", b, "--reason", "고객 요청", "--yes", "--json"])
        try check("retention --erase", ["retention", "--inactive", "100y", "--erase", "--yes", "--json"], nonEmpty: false)
        try check("audit show", ["audit", "--action", "erase", "--json"])
        let receipt = try Value.parse(try s.ok("audit", "--action", "erase", "--json"))
        guard case .array(let entries) = receipt, case .object(let entry)? = entries.first, case .object? = entry["receipt"]
        else { return XCTFail("the erasure's access-log entry carries its receipt: \(receipt)") }
        try s.ok("remote", "remove", "usb")
        try check("remote list", ["remote", "list", "--json"], nonEmpty: false)

        XCTAssertEqual(Set(doc.shapes.keys).subtracting(exercised), [], "every documented shape is tried")
    }
}
