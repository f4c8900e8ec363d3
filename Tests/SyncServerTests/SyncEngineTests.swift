import Foundation
import FaultProxy
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// The station's sync engine against a live hub over real HTTP on loopback.
@Suite("Sync engine against a live hub")
struct SyncEngineTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func transport(_ hub: HubFixture, _ station: String, port: Int, retry: RetryPolicy = RetryPolicy(attempts: 4, initialDelay: 0.01)) -> HTTPTransport {
        HTTPTransport(
            configuration: .init(
                hub: URL(string: "http://127.0.0.1:\(port)")!, token: hub.tokens[station]!, schemaTag: "county-work/1",
                timeout: 30, retry: retry))
    }

    @Test("push, bootstrap and pull bring two stations and the hub to the same state", arguments: HubStoreKind.all)
    func roundTrip(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        let writer = try hub.replica("t1")
        let reader = try hub.replica("c01")
        for index in 0..<50 { try writer.writeLocal(memberEdits("m-\(index)", unit: index.isMultiple(of: 2) ? "yc-t01-c01" : "yc-t01-c02")) }
        try await hub.application().test(.live) { client in
            // Given: a township station with 50 new members, and a community station that is new.
            let push = try await SyncEngine(store: writer, transport: Self.transport(hub, "t1", port: client.port!), logger: Self.logger).sync()
            // When: the community station syncs for the first time.
            let readerTransport = Self.transport(hub, "c01", port: client.port!)
            let first = try await SyncEngine(store: reader, transport: readerTransport, logger: Self.logger).sync()
            // Then: it bootstrapped exactly its scope, and agrees with the hub's view of it.
            #expect(push.pushed == 150 && push.refused.isEmpty)
            #expect(first.bootstrapped)
            #expect(try reader.records(ofType: "member").count == 25)
            #expect(try reader.digest() == (try await readerTransport.scopeDigest()).digest)
            #expect(try writer.outboxCount() == 0)

            // And: a later edit flows through a plain pull.
            try writer.writeLocal([LocalEdit(key: FieldKey(type: "member", id: "m-0", field: "name"), scope: "yc-t01-c01", value: "新名字")])
            _ = try await SyncEngine(store: writer, transport: Self.transport(hub, "t1", port: client.port!), logger: Self.logger).sync()
            let second = try await SyncEngine(store: reader, transport: readerTransport, logger: Self.logger).sync()
            #expect(!second.bootstrapped && second.pulled == 1)
            #expect(try reader.record(RecordKey(type: "member", id: "m-0"))?.values["name"] == "新名字")
        }
    }

    @Test("an interrupted bootstrap of a 20,000-member township resumes from its page token", arguments: HubStoreKind.all)
    func bootstrapResumes(_ kind: HubStoreKind) async throws {
        // Given: a hub holding 20,000 members in one community.
        let hub = try await HubFixture(kind)
        let edits = (0..<20_000).flatMap { memberEdits("m-\($0)", unit: "yc-t01-c01") }
        try await hub.hubWrite(edits)
        let station = try hub.replica("t1")
        try await hub.application().test(.live) { client in
            let http = Self.transport(hub, "t1", port: client.port!)
            let pages = Atomic<Int>(0)
            // When: the link fails on the fourth snapshot page…
            let failing = SnapshotWatcher(base: http) { _ in pages.add(1, ordering: .relaxed).newValue != 4 }
            var configuration = SyncEngine.Configuration()
            configuration.snapshotPageSize = 2_000
            await #expect(throws: SyncError.self) {
                try await SyncEngine(store: station, transport: failing, configuration: configuration, logger: Self.logger).sync()
            }
            let partial = try station.records(ofType: "member").count
            #expect(partial > 0 && partial < 20_000, "three pages are in: \(partial)")

            // …and the next round resumes where it stopped instead of starting over.
            pages.store(0, ordering: .relaxed)
            let counting = SnapshotWatcher(base: http) { page in
                #expect(pages.load(ordering: .relaxed) > 0 || page != nil, "the resumed bootstrap starts from the saved page token")
                pages.add(1, ordering: .relaxed)
                return true
            }
            let summary = try await SyncEngine(store: station, transport: counting, configuration: configuration, logger: Self.logger).sync()

            // Then: every member is there, fewer pages were fetched, and the state is the hub's.
            #expect(try station.records(ofType: "member").count == 20_000)
            #expect(pages.load(ordering: .relaxed) < 10)
            #expect(summary.installed < 20_000)
            #expect(try station.digest() == (try await http.scopeDigest()).digest)
        }
    }

    @Test("503 answers and a connection dropped mid-answer are retried; nothing is lost or doubled", arguments: HubStoreKind.all)
    func flakyLink(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        let station = try hub.replica("t1")
        for index in 0..<30 { try station.writeLocal(memberEdits("m-\(index)", unit: "yc-t01-c01")) }
        let before = try await hub.logCount()
        try await hub.application().test(.live) { hubClient in
            // Given: a proxy that answers 503 to the first push, then forwards the second push but
            // cuts the hub's answer off half way (so the hub has applied it, the station never heard).
            let proxy = FlakyProxy(
                upstream: URL(string: "http://127.0.0.1:\(hubClient.port!)")!, path: "/v1/push",
                faults: [.unavailable, .truncateResponse])
            try await proxy.application().test(.live) { proxyClient in
                let transport = Self.transport(hub, "t1", port: proxyClient.port!)
                var configuration = SyncEngine.Configuration()
                configuration.initialBatch = 40
                // When: the station syncs through it.
                let summary = try await SyncEngine(store: station, transport: transport, configuration: configuration, logger: Self.logger).sync()
                // Then: both faults happened, every change arrived exactly once, and the outbox is empty.
                #expect(proxy.injected == 2)
                #expect(summary.pushed == 90)
                #expect(try await hub.logCount() == before + 90)
                #expect(try station.outboxCount() == 0)
                #expect(try station.digest() == (try await transport.scopeDigest()).digest)
            }
        }
    }

    @Test("a refusal whose answer was lost is learnt when the station sends the change again", arguments: HubStoreKind.all)
    func refusalAfterALostAnswer(_ kind: HubStoreKind) async throws {
        // Given a community station with a change inside its unit and a member outside it
        let hub = try await HubFixture(kind)
        let station = try hub.replica("c01")
        try station.writeLocal(memberEdits("inside", unit: "yc-t01-c01"))
        try station.writeLocal(memberEdits("outside", unit: "yc-t02-c01"))
        try await hub.application().test(.live) { hubClient in
            // And a link that delivers its first push but loses the hub's answer
            let proxy = FlakyProxy(
                upstream: URL(string: "http://127.0.0.1:\(hubClient.port!)")!, path: "/v1/push", faults: [.dropResponse])
            try await proxy.application().test(.live) { proxyClient in
                let transport = Self.transport(hub, "c01", port: proxyClient.port!)
                // When the station syncs (and so pushes the same changes again)
                let summary = try await SyncEngine(store: station, transport: transport, logger: Self.logger).sync()
                // Then it learns of the three refusals all the same, drops them from its merge,
                // and agrees with the hub
                #expect(proxy.injected == 1)
                #expect(summary.refused.count == 3 && summary.refused.allSatisfy { $0.code == .outOfScope })
                #expect(try station.refusedChanges().count == 3)
                #expect(try station.record(RecordKey(type: "member", id: "outside")) == nil)
                #expect(try station.digest() == (try await transport.scopeDigest()).digest)
            }
        }
    }

    @Test("a refusal is kept and shown, and does not block the changes after it", arguments: HubStoreKind.all)
    func refusalDoesNotBlock(_ kind: HubStoreKind) async throws {
        let hub = try await HubFixture(kind)
        let station = try hub.replica("c01")
        try station.writeLocal(memberEdits("inside", unit: "yc-t01-c01"))
        try station.writeLocal(memberEdits("outside", unit: "yc-t02-c01"))  // not this station's subtree
        try station.writeLocal(memberEdits("after", unit: "yc-t01-c01"))
        try await hub.application().test(.live) { client in
            let summary = try await SyncEngine(store: station, transport: Self.transport(hub, "c01", port: client.port!), logger: Self.logger).sync()
            #expect(summary.refused.count == 3 && summary.refused.allSatisfy { $0.code == .outOfScope })
            #expect(try station.outboxCount() == 0)
            #expect(try station.refusedChanges().count == 3)
            #expect(try station.record(RecordKey(type: "member", id: "after")) != nil)
            #expect(try station.record(RecordKey(type: "member", id: "outside")) == nil, "refused writes leave the merge")
        }
    }
}

/// A transport that asks `allow` before each snapshot page (failing the request as
/// unreachable when it says no) and forwards everything to `base`.
struct SnapshotWatcher: ChangeTransport {
    let base: HTTPTransport
    let allow: @Sendable (String?) -> Bool

    func push(_ request: PushRequest) async throws(SyncError) -> PushResponse { try await base.push(request) }
    func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse { try await base.pull(cursor: cursor, limit: limit) }
    func whoami() async throws(SyncError) -> WhoAmIResponse { try await base.whoami() }
    func scopeDigest() async throws(SyncError) -> DigestResponse { try await base.scopeDigest() }
    func schema(version: Int?) async throws(SyncError) -> Schema { try await base.schema(version: version) }
    func snapshot(page: String?, limit: Int) async throws(SyncError) -> SnapshotPage {
        guard allow(page) else { throw SyncError(.unreachable, "link lost (injected)") }
        return try await base.snapshot(page: page, limit: limit)
    }
}
