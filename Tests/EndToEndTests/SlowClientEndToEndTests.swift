import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TributaryTestSupport

/// Hundreds of connections that send their request heads a byte at a time, against the real
/// `tributary-hub serve` process (SPEC §10 "Connections"): the hub closes every one at the
/// header deadline, logs it without flooding its log, and another station syncs meanwhile.
@Suite("Slow clients (processes)", .serialized)
struct SlowClientEndToEndTests {
    /// The value of metric line `prefix` at the hub's `/metrics`.
    static func metric(_ hub: HubProcess, _ prefix: String) async throws -> Double {
        let (data, _) = try await URLSession.shared.data(from: URL(string: hub.url + "/metrics")!)
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(prefix + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test("400 slow request heads are closed at the header deadline while a station syncs")
    func fourHundredSlowHeads() async throws {
        // Given a hub giving 2 s for a request's head, with no cap per address, and a station
        SlowSockets.allowOpenFiles(4_096)
        let dir = TemporaryDirectory("slow-heads")
        let hub = try HubProcess(database: dir.path("hub.db"))
        hub.serveArguments = ["--log-level", "notice", "--header-timeout", "2", "--max-connections-per-address", "0"]
        let token = try hub.addStation(org: "yc-t02", name: "honest")
        try hub.start()
        defer { hub.stop() }
        let station = StationProcess(database: dir.path("honest.db"), name: "honest")
        try station.ok("init", "--hub", hub.url, "--token", token)

        // When 400 connections send a head one byte every half second
        let slow = SlowSockets(
            port: hub.port, count: 400, opening: Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8),
            drip: UInt8(ascii: "a"))

        // Then the station writes and syncs meanwhile
        let outbox = try await CLIRunner.offPool {
            try station.ok("put", "member", "m-honest", "name=王芳", "orgUnitId=yc-t02", "category=direct")
            try station.ok("sync")
            return "\(try station.run(["status", "--json"]).jsonObject()["outbox"] ?? "")"
        }
        #expect(outbox == "0")

        // And the hub closes every slow connection, counts each, and logs a few lines
        #expect(await slow.ended() == 400)
        #expect(try await Self.metric(hub, #"tributary_connections_closed_total{limit="header_timeout"}"#) == 400)
        let lines = hub.log().split(separator: "\n").filter { $0.contains("hub.connection.closed") }
        #expect(!lines.isEmpty && lines.count < 50, "\(lines.count) log lines")
        #expect(lines.allSatisfy { $0.contains("header_timeout") })
    }
}
