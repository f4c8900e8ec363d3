import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Prometheus
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// Clients that hold the hub's connections and turns by being slow, against the real server on
/// loopback (SPEC §10 "Connections" and "Admission"): the hub closes them when their time is
/// up, and an honest station syncs meanwhile as if they were not there. (400 slow heads against
/// the real `tributary-hub` process: `SlowClientEndToEndTests`.)
@Suite(.serialized) struct SlowClientTests {
    /// A metric's value from the hub's registry (the first line starting with `prefix `).
    static func metric(_ hub: HubFixture, _ prefix: String) -> Double {
        var text: [UInt8] = []
        hub.metrics.registry.emit(into: &text)
        let line = String(decoding: text, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(prefix + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    /// Waits (at most 30 s) until `condition` holds.
    static func until(_ what: String, _ condition: () -> Bool) async throws {
        let end = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < end else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Station t2 pushes a few members and pulls: what an honest station does at 7 a.m.
    static func honestSync(_ client: some TestClientProtocol, _ hub: HubFixture, _ changes: [Change]) async throws {
        let pushed = try await client.push(hub, "t2", changes)
        #expect(pushed.applied == changes.count)
        let pulled = try await client.pull(hub, "t2", cursor: 0)
        #expect(pulled.cursor > 0 && !pulled.more)
    }

    static func honestChanges(_ hub: HubFixture) throws -> [Change] {
        let replica = try hub.replica("t2")
        for index in 1...20 { try replica.writeLocal(memberEdits("m-honest-\(index)", unit: "yc-t02")) }
        return try replica.outbox()
    }

    /// Station t1's token sending 8 pushes of 10,000 bytes at 1 byte per second.
    static func slowUploads(_ hub: HubFixture, port: Int, giveUp: Duration) -> SlowSockets {
        let head = RawHTTP.head("POST", "/v1/push", token: hub.tokens["t1"], contentLength: 10_000) + "\r\n\r\n{"
        return SlowSockets(port: port, count: 8, opening: Array(head.utf8), drip: UInt8(ascii: " "), interval: .seconds(1), giveUp: giveUp)
    }

    @Test func eightSlowUploadsOfOneTokenDoNotStallAnotherStation() async throws {
        // Given a hub with its 8 turns (the default) and a minute for any body
        let hub = try await HubFixture()
        var configuration = hub.configuration
        configuration.bodyTimeout = 60
        let changes = try Self.honestChanges(hub)
        try await hub.application(configuration: configuration).test(.live) { client in
            // When station t1's token sends 8 pushes at 1 byte per second
            let slow = Self.slowUploads(hub, port: client.port!, giveUp: .seconds(60))
            try await Self.until("8 connections") { Self.metric(hub, "tributary_connections_open") >= 8 }

            // Then station t2 pushes and pulls while all 8 are still trickling in
            try await Self.honestSync(client, hub, changes)
            #expect(slow.trickling && slow.closedByHub == 0, "the honest sync did not wait for the slow uploads to end")
            _ = await slow.stop()
        }
    }

    @Test func slowUploadsAreClosedAtTheirBodyDeadline() async throws {
        // Given a hub allowing a body 2 s, and then 1 KiB/s at least
        let hub = try await HubFixture()
        var configuration = hub.configuration
        configuration.bodyTimeout = 2
        configuration.minBodyRate = 1_024
        let (logger, log) = HostileStationTests.memoryLogger(.notice)
        try await hub.application(configuration: configuration, logger: logger).test(.live) { client in
            // When station t1's token sends 8 pushes at 1 byte per second
            let slow = Self.slowUploads(hub, port: client.port!, giveUp: .seconds(60))

            // Then the hub closes every one of them — also the 7 waiting for the token's turn,
            // whose bytes it reads ahead meanwhile — counts and logs it
            #expect(await slow.ended() == 8)
            #expect(Self.metric(hub, #"tributary_connections_closed_total{limit="body_timeout"}"#) == 8)
            #expect(log.entries.contains { $0.message.description == "hub.connection.closed" && $0.metadata["hub.limit"]?.description == "body_timeout" })
        }
    }

    @Test func theConnectionPastTheCapOfAnAddressIsClosedAtOnceAndLogged() async throws {
        // Given a hub that lets one address hold 5 connections, one of them the test client's
        let hub = try await HubFixture()
        var configuration = hub.configuration
        configuration.maxConnectionsPerAddress = 5
        configuration.headerTimeout = 60
        let (logger, log) = HostileStationTests.memoryLogger(.notice)
        try await hub.application(configuration: configuration, logger: logger).test(.live) { client in
            // When 127.0.0.1 holds 4 more idle connections and opens a sixth
            let held = SlowSockets(port: client.port!, count: 4, opening: [], drip: UInt8(ascii: "G"), interval: .seconds(5), giveUp: .seconds(3))
            try await Self.until("5 connections") { Self.metric(hub, "tributary_connections_open") >= 5 }
            let sixth = SlowSockets(port: client.port!, count: 1, opening: [], drip: UInt8(ascii: "G"), interval: .milliseconds(100), giveUp: .seconds(20))

            // Then the hub closes the sixth at once, keeps the others, and says so in its log
            #expect(await sixth.ended() == 1)
            #expect(held.closedByHub == 0)
            #expect(Self.metric(hub, #"tributary_connections_closed_total{limit="per_address"}"#) == 1)
            let line = try #require(log.entries.first { $0.message.description == "hub.connection.closed" })
            #expect(line.level == .notice)
            #expect(line.metadata["hub.limit"]?.description == "per_address")
            #expect(line.metadata["hub.client"]?.description == "127.0.0.1")
            _ = await held.ended()
        }
    }
}
