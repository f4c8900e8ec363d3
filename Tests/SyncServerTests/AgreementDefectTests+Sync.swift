import Synchronization
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

extension AgreementDefectTests {
    // Defect 3: `hubClock` on pull and snapshot answers is the hub's last HLC and never
    // advances on reads.
    @Test("a pull-only station syncs after a quiet evening: the hub's clock on a pull is its wall clock")
    func staleHubClock() async throws {
        // Given: a township station and a community station, synced; the community pushes.
        let world = try await AgreementWorld()
        let township = try await world.addStation("t01", at: "yc-t01")
        let community = try await world.addStation("c01", at: "yc-t01-c01")
        try await township.synced()
        try AgreementDefectTests.create("member", "m1", at: "yc-t01-c01", personal: "phone", by: community)
        try await community.synced()
        try await township.synced()

        // When: eleven minutes pass with no push anywhere (same clock on hub and stations),
        // and the township, with nothing to push, syncs.
        world.truth.advance(by: 11 * 60_000)
        let result = await township.sync()

        // Then: the round succeeds (no `clock_skew`), and the station agrees with the hub.
        #expect(throws: Never.self) { try result.get() }
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    // Defect 4: a first push whose changes are all refused binds no site, so an empty push
    // right after answers `acked: 0` and the next push gets 409 `seq_gap`.
    @Test("acknowledgement never goes backwards after an all-refused first push")
    func ackedIsMonotonic() async throws {
        // Given: a new community station whose first three changes are all outside its
        // subtree (written past the planner, as another implementation could), pushed once.
        let world = try await AgreementWorld()
        let community = try await world.addStation("c01", at: "yc-t01-c01")
        try await community.synced()
        try community.store.writeLocal([
            LocalEdit(key: FieldKey(type: "member", id: "m-out", field: "name"), scope: "yc-t02", value: "王芳"),
            LocalEdit(key: FieldKey(type: "member", id: "m-out", field: "orgUnitId"), scope: "yc-t02", value: "yc-t02"),
            LocalEdit(key: FieldKey(type: "member", id: "m-out", field: "category"), scope: "yc-t02", value: "retired"),
        ])
        let first = try await community.synced()
        #expect(first.refused.map(\.seq) == [1, 2, 3])

        // When: an empty push asks what the hub holds, then the station writes inside its
        // subtree and syncs through a transport that records what is sent.
        let pushes = Mutex<[[UInt64]]>([])
        let errors = Mutex<[SyncErrorCode]>([])
        let direct = HubTransport.make(hub: world.hub, token: community.token, hubClock: world.truth)
        let recording = InProcessTransport(
            push: { request throws(SyncError) in
                pushes.withLock { $0.append(request.changes.map(\.seq)) }
                do throws(SyncError) { return try await direct.push(request) } catch {
                    errors.withLock { $0.append(error.code) }
                    throw error
                }
            },
            pull: { cursor, limit throws(SyncError) in try await direct.pull(cursor: cursor, limit: limit) },
            snapshot: { page, limit throws(SyncError) in try await direct.snapshot(page: page, limit: limit) },
            whoami: { () throws(SyncError) in try await direct.whoami() },
            digest: { () throws(SyncError) in try await direct.scopeDigest() })
        let empty = try await recording.push(PushRequest(changes: []))
        try AgreementDefectTests.create("member", "m1", at: "yc-t01-c01", personal: "phone", by: community)
        let engine = SyncEngine(store: community.store, transport: recording, logger: AgreementStation.logger)
        _ = try await engine.sync()

        // Then: the hub still acknowledges the three refused changes, the new ones go out
        // alone (no `seq_gap`, no refused change sent again), and the station agrees.
        #expect(empty.acked == 3, "acked went back from 3 to \(empty.acked)")
        #expect(errors.withLock { $0 }.isEmpty)
        #expect(pushes.withLock { $0 }.dropFirst().flatMap { $0 } == [4, 5, 6, 7])
        let divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    // Defect 5: one write stamped by a fast clock blocked the whole outbox until the hub's
    // clock caught up, including writes made after the clock was put right (the HLC never
    // goes back). SPEC §2 "Recovering from a fast clock" decides: the hub refuses the skewed
    // writes one by one, the station shows them as refused, and its clock comes back.
    @Test("a write made with a fast clock does not block the outbox, and the station's clock recovers")
    func fastClockDoesNotBlockTheOutbox() async throws {
        // Given: a bootstrapped township station whose clock runs 20 minutes fast for one
        // write; the clock is put right and the clerk writes again before syncing (that write
        // still carries the fast clock).
        let world = try await AgreementWorld()
        let township = try await world.addStation("t01", at: "yc-t01")
        try await township.synced()
        township.setClock(offset: 20 * 60_000)
        try township.station.put(type: "member", id: "m-fast", fields: ["name": "林秀英", "orgUnitId": "yc-t01", "category": "retired"])
        township.setClock(offset: nil)
        world.truth.advance(by: 60_000)
        try AgreementDefectTests.create("member", "m-after", at: "yc-t01", personal: "phone", by: township)

        // When: it syncs.
        let result = await township.sync()

        // Then: the round goes through and nothing waits; the skewed writes are refused as
        // `clock_skew` and shown as refused; the station agrees with the hub.
        #expect(throws: Never.self) { try result.get() }
        #expect(try township.store.outboxCount() == 0)
        let refused = try township.store.refusedChanges()
        #expect(!refused.isEmpty && refused.allSatisfy(\.isClockSkew), "\(refused.map(\.state))")
        var divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")

        // When: the clerk writes again what still matters, and the station syncs.
        world.truth.advance(by: 60_000)
        try AgreementDefectTests.create("member", "m-again", at: "yc-t01", personal: "phone", by: township)
        let again = try await township.synced()

        // Then: the station's clock has come back: the new write is accepted.
        #expect(again.refused.isEmpty)
        #expect(try world.sqliteHub.replica.record(RecordKey(type: "member", id: "m-again")) != nil)
        divergence = try await world.check()
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }
}

extension LoggedChange {
    /// Whether the hub refused this change as `clock_skew`.
    var isClockSkew: Bool {
        if case .refused(let error) = state { return error.code == .clockSkew }
        return false
    }
}
