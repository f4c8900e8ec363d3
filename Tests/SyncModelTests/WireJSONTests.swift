import Foundation
import SyncModel
import Testing
import TributaryTestSupport

/// The hand-written wire codec against Foundation's `Codable` path: seeded random messages
/// both ways, the golden vectors, truncated and mutated bodies, and the edge cases.
@Suite("WireJSON codec")
struct WireJSONTests {
    @Test("random messages: ours → Foundation and Foundation → ours give equal values")
    func differential() throws {
        let seed = PropertySettings.baseSeed()
        let runs = PropertySettings.runs(default: 2_000)
        for run in 0..<runs {
            var rng = SeededRandom(seed: seed &+ UInt64(run))
            let failures: [String]
            switch run % 3 {
            case 0: failures = try Self.compare(WireJSONSamples.pushRequest(&rng), &rng)
            case 1: failures = try Self.compare(WireJSONSamples.pullResponse(&rng), &rng)
            default: failures = try Self.compare(WireJSONSamples.snapshotPage(&rng), &rng)
            }
            if !failures.isEmpty {
                Issue.record("run \(run): \(failures.joined(separator: "; "))\n\(PropertySettings.replayHint(seed: seed &+ UInt64(run)))")
                return
            }
        }
    }

    /// What differs when `message` goes through both codecs: Foundation's reading of its
    /// own text is the reference (it turns a whole `.number` into `.int`, as ours does).
    static func compare<M: WireJSONMessage & Codable & Equatable>(_ message: M, _ rng: inout SeededRandom) throws -> [String] {
        var failures: [String] = []
        let encoder = JSONEncoder()
        if rng.chance(0.3) { encoder.outputFormatting = [.prettyPrinted, .sortedKeys] }
        let theirs = try encoder.encode(message)
        let reference = try JSONDecoder().decode(M.self, from: theirs)
        let ours = WireJSON.encode(message)
        if try JSONDecoder().decode(M.self, from: Data(ours)) != reference { failures.append("Foundation reads our text differently") }
        do {
            if try WireJSON.decode(M.self, from: theirs) != reference { failures.append("we read Foundation's text differently") }
            if try WireJSON.decode(M.self, from: ours) != reference { failures.append("we read our own text differently") }
            let escaped = WireJSONSamples.reescaped(ours, &rng)
            if try WireJSON.decode(M.self, from: escaped) != reference {
                failures.append("we read re-escaped text differently: \(String(decoding: escaped, as: UTF8.self))")
            }
        } catch {
            failures.append("we refused a valid body: \(error)")
        }
        return failures
    }

    @Test("every golden vector file reads as a push of its changes, unknown keys skipped")
    func goldenVectors() throws {
        for name in GoldenVectors.names {
            // Given a vector file: an object with `changes` among schema, orders and expectations
            let data = try Data(contentsOf: URL(fileURLWithPath: GoldenVectors.directory).appendingPathComponent(name + ".json"))
            // When both codecs read it as a push request
            let ours = try WireJSON.decode(PushRequest.self, from: data)
            let theirs = try JSONDecoder().decode(PushRequest.self, from: data)
            // Then they agree with each other and with the loader, and every change the vector's
            // receiver accepts round-trips to the same canonical value (a refused value is never
            // written again, and an out-of-range number cannot be written as it was read).
            #expect(ours == theirs, "\(name)")
            let vector = try GoldenVectors.load(name)
            #expect(ours.changes == vector.changes, "\(name)")
            let accepted = ours.changes.compactMap { try? vector.schema.validate($0, in: vector.context) }
            let text = WireJSON.encode(PushRequest(changes: accepted))
            let viaFoundation = try JSONDecoder().decode(PushRequest.self, from: Data(text)).changes
            let viaOurs = try WireJSON.decode(PushRequest.self, from: text).changes
            #expect(viaFoundation.map { try? vector.schema.validate($0, in: vector.context) } == accepted, "\(name)")
            #expect(viaOurs.map { try? vector.schema.validate($0, in: vector.context) } == accepted, "\(name)")
            var appended = Array("[".utf8)
            WireJSON.encode(ours, into: &appended)
            #expect(appended == Array("[".utf8) + WireJSON.encode(ours), "\(name)")
        }
    }

    @Test("a body cut at any byte is refused as malformed JSON")
    func truncation() throws {
        var rng = SeededRandom(seed: 7)
        let bodies: [(text: [UInt8], decode: ([UInt8]) throws(WireJSONError) -> Void)] = [
            (WireJSON.encode(WireJSONSamples.pushRequest(&rng, maxChanges: 3)), { (b) throws(WireJSONError) in _ = try WireJSON.decode(PushRequest.self, from: b) }),
            (WireJSON.encode(WireJSONSamples.pullResponse(&rng, maxChanges: 2)), { (b) throws(WireJSONError) in _ = try WireJSON.decode(PullResponse.self, from: b) }),
            (WireJSON.encode(WireJSONSamples.snapshotPage(&rng, maxRecords: 2)), { (b) throws(WireJSONError) in _ = try WireJSON.decode(SnapshotPage.self, from: b) }),
        ]
        for body in bodies {
            // Given a valid body
            try body.decode(body.text)
            for length in 0..<body.text.count {
                // When it is cut short
                let error = Self.error { try body.decode(Array(body.text[..<length])) }
                // Then it is refused as malformed JSON
                #expect(error?.kind == .malformedJSON, "cut at \(length) of \(body.text.count): \(String(describing: error))")
            }
        }
    }

    @Test("random byte mutations never crash, and whenever both codecs accept, they agree")
    func mutations() throws {
        let seed = PropertySettings.baseSeed()
        let runs = PropertySettings.runs(default: 3_000)
        var rng = SeededRandom(seed: seed)
        let interesting = Array(#"{}[],:"\-+.eE0123456789ntfu"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xED, 0xF0, 0xFF, 0x20]
        // Each base body with a check that reads a mutated copy with both codecs.
        var bases: [(body: [UInt8], check: ([UInt8]) -> (ours: Bool, agree: Bool))] = []
        for _ in 0..<10 {
            bases.append((WireJSON.encode(WireJSONSamples.pushRequest(&rng, maxChanges: 3)), { Self.both(PushRequest.self, $0) }))
            bases.append((WireJSON.encode(WireJSONSamples.pullResponse(&rng, maxChanges: 2)), { Self.both(PullResponse.self, $0) }))
            bases.append((WireJSON.encode(WireJSONSamples.snapshotPage(&rng, maxRecords: 2)), { Self.both(SnapshotPage.self, $0) }))
        }
        var accepted = 0
        for run in 0..<runs {
            let base = bases[run % bases.count]
            var body = base.body
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<body.count, using: &rng)
                let byte = rng.chance(0.7) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: body[at] = byte
                case 1: body.insert(byte, at: at)
                default: body.remove(at: at)
                }
            }
            let result = base.check(body)
            // We are never more lenient than Foundation, and never read a different value.
            #expect(result.agree, "seed \(seed) run \(run): \(String(decoding: body, as: UTF8.self))")
            if result.ours { accepted += 1 }
        }
        #expect(accepted > 0, "no mutated body was valid; the test exercised nothing")
    }

    /// Whether we accept `body`, and whether that agrees with Foundation: we refuse it, or
    /// Foundation reads the same value.
    static func both<M: WireJSONMessage & Decodable & Equatable>(_ type: M.Type, _ body: [UInt8]) -> (ours: Bool, agree: Bool) {
        guard let ours = try? WireJSON.decode(M.self, from: body) else { return (false, true) }
        return (true, (try? JSONDecoder().decode(M.self, from: Data(body))) == ours)
    }

    @Test("a number JSON cannot hold is written as null")
    func nonFinite() throws {
        for value in [Double.nan, .infinity, -.infinity] {
            let change = Change(
                site: SiteID(rawValue: 1), seq: 1, hlc: HLC(rawValue: 2), type: "member", id: "m1", scope: "u1", field: "hours",
                value: .number(value))
            let text = WireJSON.encode(PushRequest(changes: [change]))
            #expect(try JSONDecoder().decode(PushRequest.self, from: Data(text)).changes.first?.value == .null)
        }
    }

    @Test("unknown keys with nested values, escaped keys, whitespace and any key order are read")
    func lenientShape() throws {
        // Given a push with noise Foundation accepts
        let body = """
            \u{FEFF} { "extra" : { "a" : [1, 2.5e-3, {"b": null}, "x\\u00e9"], "c": true } ,
              "changes" : [ { "value" : "caf\\u00e9 \\ud83d\\ude00 \\n\\/", "field":"name", "scope":"u1",
                "id":"m1", "type":"member", "hlc":"0190a3b4c5d60001", "seq" : 1, "si\\u0074e":"9f8e7d6c5b4a3921",
                "elem": null, "bases": ["0190a3b4c5d60000-9f8e7d6c5b4a3921"], "later": [[[]]] } ] }\t
            """
        // When both codecs read it
        let ours = try WireJSON.decode(PushRequest.self, from: Array(body.utf8))
        let theirs = try JSONDecoder().decode(PushRequest.self, from: Data(body.utf8))
        // Then they agree, and the escapes are resolved
        #expect(ours == theirs)
        #expect(ours.changes.first?.value == .string("café 😀 \n/"))
        #expect(ours.changes.first?.bases.count == 1)
    }

    @Test("a repeated key counts the first time, as in Foundation")
    func repeatedKeys() throws {
        let body = #"{"changes":[],"changes":[{"x":1}],"more":1}"#
        let ours = try WireJSON.decode(PushRequest.self, from: Array(body.utf8))
        #expect(ours == (try JSONDecoder().decode(PushRequest.self, from: Data(body.utf8))))
        #expect(ours.changes.isEmpty)
    }

    /// A change whose value text is `value` and whose seq text is `seq`.
    static func change(seq: String = "1", value: String = #""x""#, extra: String = "") -> String {
        #"{"site":"9f8e7d6c5b4a3921","seq":\#(seq),"hlc":"0190a3b4c5d60001","type":"member","id":"m1","scope":"u1","field":"name","value":\#(value)\#(extra)}"#
    }

    @Test(
        "bad values are refused with the path and the problem, never the value",
        arguments: [
            (#"{"changes":[\#(change()),\#(change(seq: "-1"))]}"#, "malformed value at .changes[1].seq", true),
            (#"{"changes":[\#(change(seq: "1.5"))]}"#, "malformed value at .changes[0].seq", true),
            (#"{"changes":[\#(change(seq: "18446744073709551616"))]}"#, "malformed value at .changes[0].seq", true),
            (#"{"changes":[\#(change(seq: "1e400"))]}"#, "malformed value at .changes[0].seq", true),
            (#"{"changes":[\#(change(seq: #""7""#))]}"#, "wrong type at .changes[0].seq", true),
            (#"{"changes":[\#(change(seq: "null"))]}"#, "missing value at .changes[0].seq", true),
            (#"{"changes":[\#(change(value: "1e400"))]}"#, "malformed value at .changes[0].value", true),
            (#"{"changes":[\#(change(value: #"{"secret":1}"#))]}"#, "malformed value at .changes[0].value", true),
            (#"{"changes":[\#(change(extra: #","bases":["0190-secret"]"#))]}"#, "malformed value at .changes[0].bases[0]", true),
            (#"{"changes":[{"site":"9f8e7d6c5b4a3921","seq":1}]}"#, "missing \"hlc\" at .changes[0]", true),
            (#"{"changes":{}}"#, "wrong type at .changes", true),
            (#"{}"#, "missing \"changes\" at the top level", true),
            (#"[]"#, "wrong type at the top level", true),
            (#"{"changes":[]} x"#, "malformed JSON at byte 15", true),
            (#"{"changes":[],}"#, "malformed JSON at byte 14", false),
            (#"{"changes":[],"x":01}"#, "malformed JSON at byte 19", false),
            (#"{"changes":[],"x":"\ud800"}"#, "malformed JSON at byte 19", false),
            (#"{"changes":[],"x":"a\#u{01}"}"#, "malformed JSON at byte 20", false),
            (#"{"changes":[\#(change(value: #""secret"#))"#, "malformed JSON at byte 142", true),
        ])
    func refusals(body: String, expected: String, foundationRefuses: Bool) throws {
        // When the body is read
        let error = Self.error { _ = try WireJSON.decode(PushRequest.self, from: Array(body.utf8)) }
        // Then the error names the place, and no value appears in it
        #expect(error?.description == expected)
        #expect(error.map { !$0.description.contains("secret") } ?? false)
        // And Foundation refuses it too, but for the invalid JSON it never decodes (see WireJSON)
        if foundationRefuses {
            #expect(throws: (any Error).self) { try JSONDecoder().decode(PushRequest.self, from: Data(body.utf8)) }
        }
    }

    @Test("invalid UTF-8 is refused, in values and in skipped keys")
    func invalidUTF8() throws {
        // Given bodies with some bytes inside a value's string and inside an unknown key's string
        func inValue(_ bytes: [UInt8]) -> [UInt8] {
            Array(#"{"changes":[\#(Self.change(value: #""a"#))"#.utf8).dropLast(1) + bytes + Array(#""}]}"#.utf8)
        }
        func inUnknown(_ bytes: [UInt8]) -> [UInt8] {
            Array(#"{"x":""#.utf8) + bytes + Array(#"","changes":[]}"#.utf8)
        }
        // Then valid UTF-8 is read
        let text = try WireJSON.decode(PushRequest.self, from: inValue(Array("é😀".utf8)))
        #expect(text.changes.first?.value == .string("aé😀"))
        _ = try WireJSON.decode(PushRequest.self, from: inUnknown(Array("é😀".utf8)))
        // And invalid UTF-8 (a stray byte, an overlong form, an encoded surrogate, a cut
        // sequence, a code point past U+10FFFF) is malformed JSON
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] {
            #expect(Self.error { _ = try WireJSON.decode(PushRequest.self, from: inValue(bad)) }?.kind == .malformedJSON)
            #expect(Self.error { _ = try WireJSON.decode(PushRequest.self, from: inUnknown(bad)) }?.kind == .malformedJSON)
        }
    }

    @Test("nesting deeper than the limit is refused, up to it is skipped")
    func depth() throws {
        func body(_ depth: Int) -> [UInt8] {
            Array(#"{"changes":[],"x":\#(String(repeating: "[", count: depth))\#(String(repeating: "]", count: depth))}"#.utf8)
        }
        // The top-level object is one level.
        _ = try WireJSON.decode(PushRequest.self, from: body(WireJSON.maxDepth - 1))
        let error = Self.error { _ = try WireJSON.decode(PushRequest.self, from: body(WireJSON.maxDepth)) }
        #expect(error?.kind == .tooDeep)
        let huge = Self.error { _ = try WireJSON.decode(PushRequest.self, from: body(100_000)) }
        #expect(huge?.kind == .tooDeep)
    }

    @Test(
        "numbers in values: both codecs read the decimal text exactly (SPEC §3), and agree",
        arguments: [
            ("0", FieldValue.int(0)), ("-0", .int(0)), ("-0.0", .int(0)), ("1.0", .int(1)), ("1e2", .int(100)),
            ("1E+2", .int(100)), ("-1.5e1", .int(-15)), ("100e-2", .int(1)), ("1961.0000004", .int(1961)),
            ("0.0000004", .int(0)), ("1e-100", .int(0)), ("0e999999", .int(0)), ("1e15", .int(1_000_000_000_000_000)),
            ("1e17", .int(100_000_000_000_000_000)), ("9.2233720368547758e18", .int(9_223_372_036_854_775_800)),
            ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
            ("-92233720368547758.08e2", .int(-9_223_372_036_854_775_808)),
            ("9223372036854775808", .number(.infinity)), ("-9223372036854775809", .number(-.infinity)),
            ("9223372036854775807.5", .number(.infinity)), ("123456789012345678901234", .number(.infinity)),
            ("-1e99", .number(-.infinity)),
            ("0.1", .number(0.1)), ("0.000125", .number(0.000125)), ("0.0000005", .number(0.000001)),
            ("0.1234565", .number(0.123457)), ("1961.5", .number(1961.5)), ("1961.0000005", .number(1961.000001)),
            ("-92233720368547758.075", .number(-92233720368547758.08)),
            ("0.00000049999999999999999999999999999999999999999999999", .int(0)),
            ("0.00000050000000000000000000000000000000000000000000001", .number(0.000001)),
            ("1961.00000000000000000000000000000000000000000000000001", .int(1961)),
            ("1e100", nil), ("-1e100", nil), ("9.9e-101", nil), ("1e400", nil), ("1e-400", nil), ("4.9e-324", nil),
        ] as [(String, FieldValue?)])
    func numbers(text: String, expected: FieldValue?) throws {
        // Given a change whose value is written as `text`
        let body = #"{"changes":[\#(Self.change(value: text))]}"#
        // When both codecs read it
        let ours = Result { try WireJSON.decode(PushRequest.self, from: Array(body.utf8)).changes[0].value }
        let theirs = Result { try JSONDecoder().decode(PushRequest.self, from: Data(body.utf8)).changes[0].value }
        // Then both read the expected value, or both refuse the message
        #expect((try? ours.get()) == expected, "ours: \(text)")
        #expect((try? theirs.get()) == expected, "Foundation's: \(text)")
        if expected == nil {
            #expect(Self.error { _ = try ours.get() }?.kind == .malformedValue, "\(text)")
        }
    }

    @Test("numbers of other keys (seq, cursor) read as before")
    func counters() throws {
        for seq in ["1.0", "1e2", "-0", "0.5e1"] {
            let body = #"{"changes":[\#(Self.change(seq: seq))]}"#
            #expect(try WireJSON.decode(PushRequest.self, from: Array(body.utf8)) == (try JSONDecoder().decode(PushRequest.self, from: Data(body.utf8))), "\(seq)")
        }
        for cursor in ["-1", "9223372036854775808", "1.5"] {
            let body = #"{"records":[],"cursor":\#(cursor),"hubClock":"0190a3b4c5d60001"}"#
            let theirs = try? JSONDecoder().decode(SnapshotPage.self, from: Data(body.utf8))
            let ours = try? WireJSON.decode(SnapshotPage.self, from: Array(body.utf8))
            #expect(ours == theirs, "\(cursor)")
        }
    }

    @Test("unknown keys are ignored by both codecs in every message and part (SPEC §9)")
    func unknownKeysEverywhere() throws {
        // Given a pull answer and a snapshot page with keys this version does not define, at
        // every level, holding every kind of JSON value
        let noise = #""later":{"a":[1,-2.5e-3,{"b":null}],"c":"x"},"flag":true"#
        let change = Self.change(extra: "," + noise)
        let record = #"{"type":"member","id":"m1","scope":"u1",\#(noise),"fields":[{"field":"name",\#(noise),"heads":[{"version":"0190a3b4c5d60001-9f8e7d6c5b4a3921","value":"x",\#(noise)}]}]}"#
        let pull = #"{\#(noise),"changes":[\#(change)],"records":[\#(record)],"removed":[{"type":"member","id":"m2",\#(noise)}],"cursor":7,"more":false,"hubClock":"0190a3b4c5d60001"}"#
        let page = #"{"records":[\#(record)],"next":null,"cursor":7,"hubClock":"0190a3b4c5d60001",\#(noise)}"#
        // When both codecs read them
        let ours = try WireJSON.decode(PullResponse.self, from: Array(pull.utf8))
        let theirs = try JSONDecoder().decode(PullResponse.self, from: Data(pull.utf8))
        let ourPage = try WireJSON.decode(SnapshotPage.self, from: Array(page.utf8))
        let theirPage = try JSONDecoder().decode(SnapshotPage.self, from: Data(page.utf8))
        // Then they agree, and read what they would without the unknown keys
        #expect(ours == theirs)
        #expect(ourPage == theirPage)
        #expect(ours.changes.first?.value == .string("x"))
        #expect(ours.records.first?.fields.first?.heads.first?.value == .string("x"))
        #expect(ours.removed.first?.id == "m2")
        #expect(ourPage.records == ours.records)
    }

    // MARK: Helpers

    /// The codec error `body` throws, `nil` if it throws none (or another error).
    static func error(_ body: () throws -> Void) -> WireJSONError? {
        do {
            try body()
            return nil
        } catch {
            return error as? WireJSONError
        }
    }
}
