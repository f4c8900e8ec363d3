import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Malformed and hostile HTTP against the real server over a raw socket: hand-written cases on
/// every route plus a seeded mutation fuzzer over valid push bodies. Every answer must be
/// below 500, every refusal a JSON ``ErrorBody`` with a code (the dashboard's sign-in form
/// answers its browser in HTML), refused requests must leave the hub's digest unchanged, and
/// the hub must answer `/healthz` afterwards.
@Suite struct HubFuzzTests {
    /// One hand-written request.
    struct Case {
        var label: String
        var head: String
        var body: [UInt8] = []
        var repeatBody = 1
        var halfClose = false
        /// The request is not valid HTTP: Hummingbird's HTTP/1 parser, before any route or
        /// middleware, answers a bare 400 (no body) and closes, or just closes.
        var mayClose = false

        /// Whether the request can get as far as a store: valid framing, a body under the
        /// hub's limits and not compressed.
        var reachesStore: Bool {
            !mayClose && repeatBody == 1 && body.count <= 65_536 && !head.contains("Content-Encoding")
        }
    }

    /// A hub without rate limits (the fuzzer sends thousands of requests from one token) with
    /// t1's first batch pushed; the bodies of that batch and of t1's next one; an admin token.
    static func hub(_ kind: HubStoreKind = .sqlite) async throws -> (hub: HubFixture, configuration: HubConfiguration, first: [UInt8], next: [UInt8], admin: String) {
        let hub = try await HubFixture(kind)
        var configuration = hub.configuration
        configuration.rateLimit = 0
        configuration.failedAuthLimit = 0
        let replica = try hub.replica("t1")
        let changes = try replica.writeLocal(memberEdits("m-1", unit: "yc-t01-c01", phone: "13912345678"))
        let next = try replica.writeLocal(memberEdits("m-2", unit: "yc-t01"))
        _ = try await hub.store.push(
            changes, from: try await hub.store.authenticate(token: hub.tokens["t1"]!),
            context: ValidationContext(wallMillis: HubFixture.wallMillis, maxDriftMillis: ValidationContext.defaultMaxDriftMillis))
        let admin = try await hub.store.addAdminToken(name: "fuzz").token
        return (
            hub, configuration, Array(try JSONEncoder().encode(PushRequest(changes: changes))), Array(try JSONEncoder().encode(PushRequest(changes: next))),
            admin
        )
    }

    /// Checks one answer; returns a description of what is wrong, or `nil`.
    static func problem(_ response: RawHTTP.Response, mayClose: Bool = false, html: Bool = false) -> String? {
        if response.status == 0 { return mayClose ? nil : "no answer" }
        if mayClose && response.status == 400 && response.body.isEmpty && response.header("connection") == "close" { return nil }
        if response.status >= 500 { return "HTTP \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))" }
        guard response.status >= 400 else { return nil }
        if html && response.header("content-type")?.hasPrefix("text/html") == true { return nil }
        guard response.header("content-type") == "application/json" else {
            return "HTTP \(response.status) with Content-Type \(response.header("content-type") ?? "none")"
        }
        let problems = OpenAPIContract.shared.problems(response.body, schema: "ErrorBody")
        guard problems.isEmpty, let error = try? JSONDecoder().decode(ErrorBody.self, from: response.body), !error.error.code.rawValue.isEmpty
        else { return "HTTP \(response.status) body is no ErrorBody: \(String(decoding: response.body.prefix(300), as: UTF8.self))" }
        if response.status == 429 && response.header("retry-after") == nil { return "429 without Retry-After" }
        return nil
    }

    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        let compressed = try buffer.compress(with: .gzip())
        return Array(compressed.readableBytesView)
    }

    /// The hand-written cases.
    static func cases(push valid: [UInt8], token: String, admin: String) throws -> [Case] {
        let head = { (method: String, target: String, length: Int?, extra: [String]) in
            RawHTTP.head(method, target, token: token, contentLength: length, extra: extra)
        }
        func push(_ label: String, _ body: [UInt8], extra: [String] = []) -> Case {
            Case(label: "push: \(label)", head: head("POST", "/v1/push", body.count, extra), body: body)
        }
        let text = String(decoding: valid, as: UTF8.self)
        func replacing(_ old: String, _ new: String) -> [UInt8] { Array(text.replacingOccurrences(of: old, with: new).utf8) }
        let seqPattern = try Regex(#""seq":\d+"#)
        func seq(_ value: String) -> [UInt8] { Array(text.replacing(seqPattern, with: "\"seq\":\(value)").utf8) }
        var cases: [Case] = []
        // Bodies of /v1/push
        cases += [
            push("empty", []), push("null", Array("null".utf8)), push("array", Array("[]".utf8)), push("object", Array("{}".utf8)),
            push("string", Array("\"changes\"".utf8)), push("huge exponent", Array("1e999999".utf8)),
            push("changes null", Array(#"{"changes":null}"#.utf8)), push("changes string", Array(#"{"changes":"x"}"#.utf8)),
            push("changes numbers", Array(#"{"changes":[1,2,3]}"#.utf8)), push("change empty", Array(#"{"changes":[{}]}"#.utf8)),
            push("change wrong types", Array(#"{"changes":[{"site":1,"seq":"1","hlc":[],"type":{},"id":null,"scope":true,"field":0,"value":{},"bases":"x"}]}"#.utf8)),
            push("seq as string", seq("\"1\"")), push("seq negative", seq("-1")), push("seq fraction", seq("1.5")),
            push("seq 2^64", seq("18446744073709551616")), push("seq 1e400", seq("1e400")), push("seq 30 digits", seq("999999999999999999999999999999")),
            push("seq max", seq("18446744073709551615")), push("seq 0", seq("0")),
            push("value huge number", replacing("\"retired\"", "1e309")), push("value -0", replacing("\"retired\"", "-0")),
            push("value 400 digits", replacing("\"retired\"", String(repeating: "9", count: 400))),
            push("value nested", replacing("\"retired\"", String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000))),
            push("invalid UTF-8 in a string", Array(text.replacingOccurrences(of: "林秀英", with: "\u{1}").utf8).map { $0 == 1 ? 0xFF : $0 }),
            push("lone surrogate escape", replacing("林秀英", "\\ud800")), push("NUL escape", replacing("林秀英", "\\u0000")),
            push("raw NUL byte", Array(text.utf8).map { $0 == 0xE6 ? 0 : $0 }),
            // NUL where the hub looks things up or stores the refusal (PostgreSQL text holds none)
            push("NUL in the type", replacing("\"type\":\"member\"", "\"type\":\"mem\\u0000ber\"")),
            push("NUL in the id", replacing("\"id\":\"m-1\"", "\"id\":\"m-\\u00001\"")),
            push("NUL in the scope", replacing("\"scope\":\"yc-t01-c01\"", "\"scope\":\"yc\\u0000\"")),
            push("NUL in the field", replacing("\"field\":\"name\"", "\"field\":\"na\\u0000me\"")),
            push("NUL in an element", replacing("\"field\":\"name\"", "\"field\":\"name\",\"elem\":\"\\u0000\"")),
            push("NUL in an enum value", replacing("\"retired\"", "\"re\\u0000tired\"")),
            push("control bytes", Array(text.replacingOccurrences(of: "林秀英", with: "\u{7}\u{8}").utf8)),
            push("byte order mark twice", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + valid),
            push("truncated half", Array(valid.prefix(valid.count / 2))), push("truncated by one", Array(valid.dropLast())),
            push("trailing garbage", valid + Array(" }]garbage".utf8)), push("two documents", valid + valid),
            push("deep arrays (100k)", Array(#"{"changes":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 100_000)),
            push("deep objects (50k)", Array(String(repeating: #"{"a":"#, count: 50_000).utf8)),
            push("deep top-level arrays", [UInt8](repeating: UInt8(ascii: "["), count: 100_000)),
            push("long key", Array(("{\"" + String(repeating: "k", count: 1_000_000) + "\":1}").utf8)),
            push("many changes of nothing", Array(("{\"changes\":[" + Array(repeating: "{}", count: 50_000).joined(separator: ",") + "]}").utf8)),
            push("site all zeros", Array(text.replacing(try Regex(#""site":"[0-9a-f]{16}""#), with: #""site":"0000000000000000""#).utf8)),
            push("site all ones", Array(text.replacing(try Regex(#""site":"[0-9a-f]{16}""#), with: #""site":"ffffffffffffffff""#).utf8)),
            push("site not hex", Array(text.replacing(try Regex(#""site":"[0-9a-f]{16}""#), with: #""site":"zzzzzzzzzzzzzzzz""#).utf8)),
            push("hlc far future", Array(text.replacing(try Regex(#""hlc":"[0-9a-f]{16}""#), with: #""hlc":"7fffffffffffffff""#).utf8)),
            push("gzip garbage", Array("not gzip at all".utf8), extra: ["Content-Encoding: gzip"]),
            push("gzip truncated", Array(try gzip(valid).prefix(20)), extra: ["Content-Encoding: gzip"]),
            push("gzip bomb (64 MiB of zeros)", try gzip([UInt8](repeating: 0x20, count: 64 << 20)), extra: ["Content-Encoding: gzip"]),
            push("unknown encoding", valid, extra: ["Content-Encoding: br"]),
            push("form content type", valid, extra: ["Content-Type: application/x-www-form-urlencoded"]),
        ]
        // Framing: lying Content-Length, chunked nonsense, 100 MB, garbage request lines
        cases += [
            Case(label: "Content-Length shorter than the body", head: head("POST", "/v1/push", valid.count / 3, []), body: valid),
            Case(label: "Content-Length longer than the body", head: head("POST", "/v1/push", valid.count * 2, []), body: valid, halfClose: true, mayClose: true),
            Case(label: "Content-Length negative", head: head("POST", "/v1/push", nil, ["Content-Length: -5"]), body: valid, mayClose: true),
            Case(label: "Content-Length not a number", head: head("POST", "/v1/push", nil, ["Content-Length: lots"]), body: valid, mayClose: true),
            Case(label: "Content-Length 2^64", head: head("POST", "/v1/push", nil, ["Content-Length: 18446744073709551616"]), body: valid, mayClose: true),
            Case(label: "two Content-Lengths", head: head("POST", "/v1/push", valid.count, ["Content-Length: 3"]), body: valid, mayClose: true),
            Case(label: "chunked with a bad size", head: head("POST", "/v1/push", nil, ["Transfer-Encoding: chunked"]), body: Array("zz\r\nabc\r\n0\r\n\r\n".utf8), mayClose: true),
            Case(label: "chunked truncated", head: head("POST", "/v1/push", nil, ["Transfer-Encoding: chunked"]), body: Array("ffff\r\n{\"changes\":".utf8), halfClose: true, mayClose: true),
            Case(label: "100 MB body", head: head("POST", "/v1/push", 100 << 20, []), body: [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20), repeatBody: 100),
            Case(label: "100 MB body without length", head: head("POST", "/v1/push", nil, ["Transfer-Encoding: chunked"]),
                 body: Array("100000\r\n".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20) + Array("\r\n".utf8), repeatBody: 100, mayClose: true),
            Case(label: "garbage request line", head: "GARBAGE", mayClose: true),
            Case(label: "HTTP/9.9", head: "GET /healthz HTTP/9.9\r\nHost: x", mayClose: true),
            Case(label: "invalid UTF-8 in the path", head: "GET /v1/pull?cursor=\u{1} HTTP/1.1\r\nHost: x".replacingOccurrences(of: "\u{1}", with: "%FF%FE"), mayClose: true),
            Case(label: "header without colon", head: head("GET", "/v1/whoami", nil, ["NoColonHere"]), mayClose: true),
            Case(label: "header of 100 KB", head: head("GET", "/v1/whoami", nil, ["X-Big: " + String(repeating: "a", count: 100_000)]), mayClose: true),
        ]
        // Headers of /v1
        let bad = { (label: String, protocolVersion: String, schema: String, auth: String?) -> Case in
            var lines = ["GET /v1/whoami HTTP/1.1", "Host: x", "Tributary-Protocol: \(protocolVersion)", "Tributary-Schema: \(schema)"]
            if let auth { lines.append("Authorization: \(auth)") }
            return Case(label: "headers: \(label)", head: lines.joined(separator: "\r\n"))
        }
        cases += [
            bad("protocol huge", "99999999999999999999999", "county-work/1", "Bearer \(token)"),
            bad("protocol fullwidth", "１", "county-work/1", "Bearer \(token)"), bad("protocol negative", "-1", "county-work/1", "Bearer \(token)"),
            bad("schema long", "1", String(repeating: "s/", count: 2_000), "Bearer \(token)"),
            bad("no token", "1", "county-work/1", nil), bad("Basic auth", "1", "county-work/1", "Basic dXNlcjpwYXNz"),
            bad("Bearer alone", "1", "county-work/1", "Bearer"), bad("Bearer spaces", "1", "county-work/1", "Bearer      "),
            bad("token of 8 KB", "1", "county-work/1", "Bearer " + String(repeating: "a", count: 8_192)),
            bad("token with NUL-ish escapes", "1", "county-work/1", "Bearer %00%00"),
            bad("admin token on /v1", "1", "county-work/1", "Bearer \(admin)"),
        ]
        // Query parameters of pull, snapshot, digest, reports
        for query in ["cursor=-1", "cursor=abc", "cursor=9223372036854775807", "cursor=9223372036854775808", "cursor=1e5", "cursor=%FF",
            "cursor=", "cursor=1&cursor=2", "limit=0", "limit=-1", "limit=99999999999999999999", "limit=2147483648", "limit=9223372036854775807",
            "cursor=0x10", "cursor=%2B5", "cursor=00000000000000000000001", "cursor=%00", "limit=%00"]
        {
            cases.append(Case(label: "pull?\(query)", head: head("GET", "/v1/pull?\(query)", nil, [])))
        }
        for query in ["page=garbage", "page=%00", "page=" + String(repeating: "A", count: 4_096), "page=%FF%FE", "limit=-1", "limit=0",
            "limit=99999999999999999999", "page=1.2.3", "page=eyJ9"]
        {
            cases.append(Case(label: "snapshot?\(query)", head: head("GET", "/v1/snapshot?\(query)", nil, [])))
        }
        cases.append(Case(label: "space in the target", head: head("GET", "/v1/pull?cursor= 1", nil, []), mayClose: true))
        cases.append(Case(label: "digest with a body", head: head("GET", "/v1/digest?x=%FF", 5, []), body: Array("hello".utf8)))
        cases.append(Case(label: "POST whoami", head: head("POST", "/v1/whoami", 2, []), body: Array("{}".utf8)))
        cases.append(Case(label: "GET push", head: head("GET", "/v1/push", nil, [])))
        cases.append(Case(label: "DELETE pull", head: head("DELETE", "/v1/pull", nil, [])))
        cases.append(Case(label: "unknown /v1 path", head: head("GET", "/v1/nothing-here", nil, [])))
        cases.append(Case(label: "unknown path", head: head("GET", "/%FF%FE/..%2F..%2Fetc%2Fpasswd", nil, [])))
        let reportHead = { (target: String, auth: String) in RawHTTP.head("GET", target, token: auth) }
        for query in ["members?org=%FF", "members?org=" + String(repeating: "x", count: 5_000), "members?from=2025-13-45&to=x", "hours?from=99999-01-01",
            "members?limit=-1", "balances?limit=99999999999999999999", "balances?limit=0", "members?format=xml", "members?format=csv&bom=%FF",
            "members?lang=xx", "%2e%2e", String(repeating: "r", count: 2_000), "members?org=yc-t02", "sync?org=yc&from=&to=",
            "members?org=yc%00", "hours?from=2025-01-01%00&to=%00", "counts?type=%00", "records?type=member%00", "records?type=member&org=%00"]
        {
            cases.append(Case(label: "reports/\(query.prefix(40)) (station)", head: reportHead("/v1/reports/\(query)", token)))
            cases.append(Case(label: "reports/\(query.prefix(40)) (admin)", head: reportHead("/v1/reports/\(query)", admin)))
        }
        // The dashboard (HTML for browsers; its refusals that are not pages must still be JSON)
        let form = { (label: String, body: [UInt8]) in
            Case(label: "login: \(label)", head: "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.count)", body: body)
        }
        cases += [
            form("invalid UTF-8", [0x74, 0x6F, 0x6B, 0x65, 0x6E, 0x3D, 0xFF, 0xFE, 0xC3, 0x28]), form("bad percent", Array("token=%ZZ%".utf8)),
            form("empty", []), form("no token field", Array("a=b&c".utf8)), form("100 KB", [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)),
            form("many fields", Array(Array(repeating: "a=b", count: 2_000).joined(separator: "&").utf8)),
            Case(label: "org page of an odd id", head: "GET /org/%FF%00 HTTP/1.1\r\nHost: x\r\nCookie: tributary_session=forged"),
            Case(label: "overview with a forged session", head: "GET / HTTP/1.1\r\nHost: x\r\nCookie: tributary_session=" + String(repeating: "0", count: 64)),
            Case(label: "report with a forged session", head: "GET /v1/reports/members HTTP/1.1\r\nHost: x\r\nCookie: tributary_session=%FF"),
        ]
        return cases
    }

    @Test(arguments: HubStoreKind.all)
    func handWrittenHostileRequestsAreRefusedAsJSON(kind: HubStoreKind) async throws {
        // Given a hub holding t1's first batch
        let (hub, configuration, valid, _, admin) = try await Self.hub(kind)
        let before = try await hub.store.digest(for: nil).digest
        // On PostgreSQL only the cases that get past HTTP framing and body limits to a store
        // (the rest are refused before any store is asked, the same way on both, and the big
        // bodies are what load a busy CI machine most).
        let cases = try Self.cases(push: valid, token: hub.tokens["t1"]!, admin: admin).filter { kind == .sqlite || $0.reachesStore }
        try await hub.application(configuration: configuration).test(.live) { client in
            let port = client.port!
            // When every hand-written case is sent
            for testCase in cases {
                let sent = ContinuousClock.now
                defer { if ContinuousClock.now - sent > .seconds(2) { print("HubFuzzTests: slow case \(testCase.label): \(ContinuousClock.now - sent)") } }
                let response = await RawHTTP.send(
                    port: port, head: testCase.head, body: testCase.body, repeatBody: testCase.repeatBody, halfClose: testCase.halfClose)
                // Then each answer is below 500 and a JSON error (the sign-in form may answer in HTML)
                let problem = Self.problem(response, mayClose: testCase.mayClose, html: testCase.label.hasPrefix("login:"))
                #expect(problem == nil, "\(testCase.label): \(problem ?? "")")
                if testCase.repeatBody > 1 && response.status != 0 {
                    // And a huge body is refused before all of it is sent (not buffered whole)
                    #expect(response.status == 413, "\(testCase.label): HTTP \(response.status)")
                    #expect(response.sent < testCase.body.count * testCase.repeatBody, "\(testCase.label): the hub read all \(response.sent) bytes")
                }
            }
            // And the hub still answers, with its digest unchanged by what it refused
            #expect(await RawHTTP.send(port: port, head: "GET /healthz HTTP/1.1\r\nHost: x").status == 200)
            let after = try await hub.store.digest(for: nil).digest
            #expect(after == before)
        }
        print("HubFuzzTests: \(cases.count) hand-written cases (\(kind))")
    }

    @Test(arguments: ["null", "-1", "0", "1.5", "99999999999999999999"])
    func aReportLimitThatIsNoWholeNumberIsRefused(limit: String) async throws {
        // Given an admin token / When a report is asked with a limit that is no whole number ≥ 1 / Then 400 bad_request
        let (hub, configuration, _, _, admin) = try await Self.hub()
        try await hub.application(configuration: configuration).test(.router) { client in
            var headers = hub.headers(nil)
            headers[.authorization] = "Bearer \(admin)"
            try await client.expectError(.get, "/v1/reports/balances?limit=\(limit)", headers: headers, status: .badRequest, code: .badRequest)
        }
    }

    /// PostgreSQL gets fewer cases per run (each is a few round trips to the server); the
    /// mutations are the same, from the same seed.
    @Test(arguments: HubStoreKind.all)
    func mutatedPushBodiesNeverBreakTheHub(kind: HubStoreKind) async throws {
        // Given a hub holding t1's first batch, and the bodies to mutate: that batch and t1's next one
        let (hub, configuration, first, next, _) = try await Self.hub(kind)
        let seed = PropertySettings.baseSeed()
        let runs = PropertySettings.runs(default: kind == .sqlite ? 2_000 : 400)
        let token = hub.tokens["t1"]!
        let started = ContinuousClock.now
        try await hub.application(configuration: configuration).test(.live) { client in
            let port = client.port!
            var random = SeededRandom(seed: seed)
            var statuses: [Int: Int] = [:]
            var digest = try await hub.store.digest(for: nil).digest
            for run in 0..<runs {
                // When a mutated body (or query) is sent
                let (label, head, body) = Self.mutation(first: first, next: next, token: token, random: &random)
                let response = await RawHTTP.send(port: port, head: head, body: body)
                statuses[response.status, default: 0] += 1
                // Then the answer is below 500 and, when a refusal, a JSON error that changed nothing
                if let problem = Self.problem(response) {
                    Issue.record("run \(run) (\(label)): \(problem); replay with TRIBUTARY_SEED=\(seed)")
                    break
                }
                let now = try await hub.store.digest(for: nil).digest
                if response.status >= 400 && now != digest {
                    Issue.record("run \(run) (\(label)): refused with \(response.status) but the digest changed; replay with TRIBUTARY_SEED=\(seed)")
                    break
                }
                digest = now
            }
            #expect(await RawHTTP.send(port: port, head: "GET /healthz HTTP/1.1\r\nHost: x").status == 200)
            print("HubFuzzTests: \(runs) mutated cases on \(kind) (seed \(seed)) in \(ContinuousClock.now - started); statuses \(statuses.sorted { $0.key < $1.key })")
        }
    }

    /// One mutated request: a push body bit-flipped, truncated, spliced, stuffed or cut, or a
    /// pull/snapshot/report query of random bytes.
    static func mutation(first: [UInt8], next: [UInt8], token: String, random: inout SeededRandom) -> (String, String, [UInt8]) {
        var body = random.chance(0.5) ? first : next
        let label: String
        switch Int.random(in: 0..<8, using: &random) {
        case 0:
            let flips = Int.random(in: 1...8, using: &random)
            for _ in 0..<flips { body[Int.random(in: 0..<body.count, using: &random)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random) }
            label = "\(flips) bit flips"
        case 1:
            body = Array(body.prefix(Int.random(in: 0..<body.count, using: &random)))
            label = "truncated at \(body.count)"
        case 2:
            let other = random.chance(0.5) ? first : next
            let cut = Int.random(in: 0..<body.count, using: &random)
            let from = Int.random(in: 0..<other.count, using: &random)
            body = Array(body.prefix(cut) + other.suffix(from: from))
            label = "spliced \(cut)/\(from)"
        case 3:
            let tokens = ["{", "}", "[", "]", "\"", "\\", ",", ":", "-", "1e999", "18446744073709551616", "null", "\\u0000", "\\ud800", "\u{FFFD}", "0.", "--"]
            let token = tokens[Int.random(in: 0..<tokens.count, using: &random)]
            let at = Int.random(in: 0...body.count, using: &random)
            body.insert(contentsOf: Array(token.utf8), at: at)
            label = "inserted \(token) at \(at)"
        case 4:
            let at = Int.random(in: 0..<body.count, using: &random)
            body[at] = [0x00, 0xFF, 0xC3, 0x80, 0x7F][Int.random(in: 0..<5, using: &random)]
            label = "odd byte at \(at)"
        case 5:
            let start = Int.random(in: 0..<body.count, using: &random)
            let end = min(body.count, start + Int.random(in: 1...200, using: &random))
            body.insert(contentsOf: body[start..<end], at: Int.random(in: 0...body.count, using: &random))
            label = "duplicated \(start)..<\(end)"
        case 6:
            let start = Int.random(in: 0..<body.count, using: &random)
            let end = min(body.count, start + Int.random(in: 1...100, using: &random))
            body.removeSubrange(start..<end)
            label = "cut \(start)..<\(end)"
        default:
            let routes = ["/v1/pull?cursor=", "/v1/pull?limit=", "/v1/snapshot?page=", "/v1/snapshot?limit=", "/v1/reports/members?org=",
                "/v1/reports/hours?from=", "/v1/reports/balances?limit=", "/v1/digest?x="]
            let route = routes[Int.random(in: 0..<routes.count, using: &random)]
            let alphabet = Array("0123456789-+.eE%FFxX/ABCDEFabcdef_~".utf8)
            let value = String(decoding: (0..<Int.random(in: 0...30, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }, as: UTF8.self)
            return ("GET \(route)\(value)", RawHTTP.head("GET", route + value, token: token), [])
        }
        return ("push: \(label)", RawHTTP.head("POST", "/v1/push", token: token, contentLength: body.count), body)
    }
}
