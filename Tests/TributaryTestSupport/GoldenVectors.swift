import Foundation
public import SyncModel

/// One golden vector from Protocol/vectors: a schema, a receiver clock, wire changes, the
/// delivery orders to try, and the state every replica must reach (see
/// Protocol/vectors/README.md).
public struct GoldenVector: Sendable {
    /// The file name without `.json`, e.g. `06-lww-settlement`.
    public let name: String
    /// What the vector shows.
    public let description: String
    /// The vector's inline schema.
    public let schema: Schema
    /// The receiver's wall clock in Unix milliseconds (for `clock_skew`).
    public let now: UInt64
    /// The wire changes, decoded.
    public let changes: [Change]
    /// Delivery orders: indices into ``changes``, possibly repeated (duplicate deliveries).
    public let orders: [[Int]]
    /// The exact canonical dump `{"records":[…],"conflicts":[…]}` built from `expect`.
    public let expectedDump: [UInt8]
    /// The refused changes `expect` lists, sorted by site then seq.
    public let expectedRefused: [VectorRefusal]

    /// The validation context of the receiver.
    public var context: ValidationContext { ValidationContext(wallMillis: now) }

    /// What differs between a replica's dump and refusals and this vector's expectation;
    /// empty when they agree. Refusals are compared as a set (a duplicate delivery of a
    /// refused change is refused again).
    public func mismatches(dump: [UInt8], refused: [Refusal]) -> [String] {
        var problems: [String] = []
        if dump != expectedDump {
            problems += Self.describeDifference(expected: expectedDump, actual: dump)
        }
        let actualRefused = Set(refused.map {
            VectorRefusal(site: $0.origin.site.hex, seq: $0.origin.seq, code: $0.error.code.rawValue)
        }).sorted()
        if actualRefused != expectedRefused {
            problems.append("refused: expected \(expectedRefused), got \(actualRefused)")
        }
        return problems
    }

    /// Names the records or conflicts that differ, each as canonical text.
    static func describeDifference(expected: [UInt8], actual: [UInt8]) -> [String] {
        guard case .object(let e)? = try? VectorJSON.parse(expected), case .object(let a)? = try? VectorJSON.parse(actual)
        else {
            return ["dump is not the expected text:\n  expected \(String(decoding: expected, as: UTF8.self))\n  actual   \(String(decoding: actual, as: UTF8.self))"]
        }
        var problems: [String] = []
        for part in ["records", "conflicts"] {
            guard case .array(let want)? = e[part], case .array(let got)? = a[part] else {
                problems.append("dump has no \(part) array")
                continue
            }
            for index in 0..<max(want.count, got.count) {
                let w = index < want.count ? String(decoding: VectorJSON.canonical(want[index]), as: UTF8.self) : "(none)"
                let g = index < got.count ? String(decoding: VectorJSON.canonical(got[index]), as: UTF8.self) : "(none)"
                if w != g { problems.append("\(part)[\(index)]:\n  expected \(w)\n  actual   \(g)") }
            }
        }
        if problems.isEmpty {
            problems.append("dump bytes differ outside records and conflicts:\n  expected \(String(decoding: expected, as: UTF8.self))\n  actual   \(String(decoding: actual, as: UTF8.self))")
        }
        return problems
    }
}

/// A refusal as a vector lists it.
public struct VectorRefusal: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The refused change's site, 16 hex digits.
    public var site: String
    /// The refused change's seq.
    public var seq: UInt64
    /// The refusal's error code, e.g. `clock_skew`.
    public var code: String

    /// Creates a refusal entry.
    public init(site: String, seq: UInt64, code: String) {
        self.site = site
        self.seq = seq
        self.code = code
    }

    public static func < (lhs: VectorRefusal, rhs: VectorRefusal) -> Bool {
        (lhs.site, lhs.seq, lhs.code) < (rhs.site, rhs.seq, rhs.code)
    }

    public var description: String { "\(site)#\(seq) \(code)" }
}

/// Finds and loads the golden vectors in Protocol/vectors.
public enum GoldenVectors {
    /// The path of Protocol/vectors in this package, found from this file's path.
    public static let directory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/vectors", isDirectory: true).path

    /// The name of every vector (file name without `.json`), sorted.
    public static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// Loads one vector by name.
    public static func load(_ name: String) throws -> GoldenVector {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name + ".json"))
        let file = try JSONDecoder().decode(VectorFile.self, from: data)
        guard case .object(let root) = try VectorJSON.parse(Array(data)), case .object(let expect)? = root["expect"],
            let records = expect["records"], let conflicts = expect["conflicts"], case .array(let refused)? = expect["refused"]
        else { throw VectorJSON.Failure(message: "\(name): expect needs records, conflicts and refused") }
        var dump = Array(#"{"records":"#.utf8)
        dump += VectorJSON.canonical(records)
        dump += Array(#","conflicts":"#.utf8)
        dump += VectorJSON.canonical(conflicts)
        dump.append(UInt8(ascii: "}"))
        let refusals = try refused.map { entry -> VectorRefusal in
            guard case .object(let o) = entry, case .string(let site)? = o["site"], case .number(let seq)? = o["seq"],
                let seqValue = UInt64(seq), case .string(let code)? = o["code"]
            else { throw VectorJSON.Failure(message: "\(name): a refused entry is {site, seq, code}") }
            return VectorRefusal(site: site, seq: seqValue, code: code)
        }
        for order in file.orders where order.contains(where: { !file.changes.indices.contains($0) }) {
            throw VectorJSON.Failure(message: "\(name): order \(order) names a change that does not exist")
        }
        return GoldenVector(
            name: name, description: file.description, schema: file.schema, now: file.now, changes: file.changes,
            orders: file.orders, expectedDump: dump, expectedRefused: refusals.sorted())
    }

    private struct VectorFile: Decodable {
        var description: String
        var schema: Schema
        var now: UInt64
        var changes: [Change]
        var orders: [[Int]]
    }
}

/// A small JSON reader that keeps each number's text, and the canonical writer the vectors'
/// `expect` is compared with: no whitespace, object keys in UTF-8 byte order, strings as raw
/// UTF-8 escaping only `"`, `\` and U+0000–U+001F (`\u00xx`), numbers exactly as written.
/// It is independent of ``CanonicalJSON`` on purpose: it checks it.
enum VectorJSON {
    indirect enum Value: Hashable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([Value])
        case object([String: Value])
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func parse(_ bytes: [UInt8]) throws -> Value {
        var reader = Reader(bytes: bytes)
        let value = try reader.value()
        reader.skipSpace()
        guard reader.index == bytes.count else { throw Failure(message: "trailing text at byte \(reader.index)") }
        return value
    }

    static func canonical(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        write(value, to: &out)
        return out
    }

    private static func write(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let text): out += Array(text.utf8)
        case .string(let s): write(string: s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(string: key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(members[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func write(string: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out += [UInt8(ascii: "\\"), byte]
            } else if byte < 0x20 {
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func fail(_ what: String) -> Failure { Failure(message: "\(what) at byte \(index)") }

        mutating func value() throws -> Value {
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [String: Value] = [:]
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    members[key] = try value()
                    skipSpace()
                    if try endOrComma(UInt8(ascii: "}")) { return .object(members) }
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [Value] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skipSpace()
                    if try endOrComma(UInt8(ascii: "]")) { return .array(items) }
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func expect(_ byte: UInt8) throws {
            guard index < bytes.count, bytes[index] == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
            index += 1
        }

        mutating func endOrComma(_ end: UInt8) throws -> Bool {
            guard index < bytes.count else { throw fail("unexpected end") }
            if bytes[index] == end { index += 1; return true }
            try expect(UInt8(ascii: ","))
            return false
        }

        mutating func literal(_ word: String) throws {
            for byte in word.utf8 { try expect(byte) }
        }

        mutating func number() throws -> String {
            let start = index
            let allowed = Array("0123456789+-.eE".utf8)
            while index < bytes.count, allowed.contains(bytes[index]) { index += 1 }
            guard index > start else { throw fail("expected a value") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count,
                let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw fail("bad \\u escape") }
            index += 4
            return v
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var out: [UInt8] = []
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard b == UInt8(ascii: "\\") else { out.append(b); continue }
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try literal("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("lone surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("bad scalar") }
                    out += Array(String(Character(u)).utf8)
                default: out.append(e)  // \" \\ \/
                }
            }
            throw fail("unterminated string")
        }
    }
}
