import Foundation
import GRDB
public import Logging
public import SyncModel
public import SyncStore

/// Keys of an interrupted bootstrap in the replica's `meta` table (the pull cursor and the
/// last sync time are ``Meta/pullCursor`` and ``Meta/lastSync``).
enum SyncMeta {
    /// The next snapshot page token of an interrupted bootstrap.
    static let snapshotPage = Meta(key: "snapshot_page")
    /// The hub log position the interrupted bootstrap's snapshot was taken at.
    static let snapshotCursor = Meta(key: "snapshot_cursor")
    /// The hub log epoch the pull cursor belongs to (SPEC §14).
    static let epoch = Meta(key: "hub_epoch")
    /// The hub log epoch of an interrupted bootstrap's snapshot.
    static let snapshotEpoch = Meta(key: "snapshot_epoch")
}

/// The station's sync engine: pushes the outbox in seq order, bootstraps a new replica from
/// the hub's snapshot, then pulls past its cursor until nothing more waits.
///
/// Every step stores its cursor or acknowledgement in the same transaction as the data it
/// covers, so a round killed at any point resumes where it stopped: nothing is lost and
/// nothing applied twice.
public struct SyncEngine: Sendable {
    /// Tuning of a round.
    public struct Configuration: Sendable {
        /// Changes per push at the start of a round; grows while pushes go well.
        public var initialBatch: Int = 1_000
        /// The largest push batch.
        public var maxBatch: Int = 5_000
        /// Changes asked per pull.
        public var pullLimit: Int = 5_000
        /// Records asked per snapshot page.
        public var snapshotPageSize: Int = 2_000
        /// How far this station's wall clock may run ahead of the hub's before syncing is
        /// refused (its writes would be refused as `clock_skew`).
        public var maxDriftMillis: UInt64 = ValidationContext.defaultMaxDriftMillis

        /// Creates a configuration with defaults.
        public init() {}
    }

    /// The station's replica.
    public let store: ReplicaStore
    /// How the hub is reached.
    public let transport: any ChangeTransport
    /// Tuning.
    public let configuration: Configuration
    let logger: Logger

    /// Creates an engine.
    public init(store: ReplicaStore, transport: any ChangeTransport, configuration: Configuration = Configuration(), logger: Logger) {
        self.store = store
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
    }

    /// What a round would push, without sending anything.
    public func pending(limit: Int = .max) throws(SyncError) -> [Change] {
        try store.outbox(limit: limit)
    }

    /// Runs one round: push, bootstrap if the replica is new, pull.
    public func sync(progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws(SyncError) -> SyncSummary {
        var summary = SyncSummary()
        let conflictsBefore = Set(try store.conflicts())
        let waiting = try store.outboxCount()
        logger.info("sync.start", metadata: ["sync.site": "\(store.siteID)", "sync.outbox": "\(waiting)"])

        try await push(into: &summary, progress: progress)
        if try store.read({ db in try Meta.pullCursor.read(db) }) == nil {
            try await bootstrap(into: &summary, progress: progress)
        }
        try await pull(into: &summary, progress: progress)
        await learnSiteNames(after: summary)

        let conflictsAfter = try store.conflicts()
        summary.openConflicts = conflictsAfter.count
        summary.newConflicts = conflictsAfter.filter { !conflictsBefore.contains($0) }.count
        try store.write { db in try Meta.lastSync.write(String(store.wallClock.nowMillis()), db) }
        logger.info(
            "sync.done",
            metadata: [
                "sync.pushed": "\(summary.pushed)", "sync.refused": "\(summary.refused.count)",
                "sync.pulled": "\(summary.pulled)", "sync.conflicts.new": "\(summary.newConflicts)",
            ])
        return summary
    }

    // MARK: Push

    private func push(into summary: inout SyncSummary, progress: (SyncProgress) -> Void) async throws(SyncError) {
        var batchSize = configuration.initialBatch
        let total = try store.outboxCount()
        var learnedAcked = false
        while true {
            let batch = try store.outbox(limit: batchSize)
            guard let last = batch.last else { return }
            let response: PushResponse
            do {
                response = try await transport.push(PushRequest(changes: batch))
            } catch let error where error.code == .seqGap && !learnedAcked {
                // The hub holds less of this station than the station thought (restored from a
                // backup): its `acked` is the truth; what it lacks waits in the outbox again.
                logger.warning("sync.push.seq_gap", metadata: ["sync.site": "\(store.siteID)"])
                try await adoptHubAcked()
                learnedAcked = true
                continue
            } catch let error where error.code == .payloadTooLarge && batchSize > 50 {
                batchSize /= 2
                continue
            }
            let before = try store.read { db in try store.ackedSeq(db) }
            let recovered = try await record(response)
            if recovered { logger.notice("sync.clock.recovered", metadata: ["sync.site": "\(store.siteID)"]) }
            try checkClock(hub: response.hubClock)
            let byChange = Dictionary(batch.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
            summary.refused += response.refused.map { refusal in
                let change = byChange[refusal.seq]
                return SyncSummary.RefusedChange(
                    seq: refusal.seq, record: change.map { "\($0.type)/\($0.id)" } ?? "?", field: change?.field ?? "?",
                    code: refusal.code, message: refusal.message)
            }
            summary.pushed += batch.filter { $0.seq > before && $0.seq <= response.acked }.count
            progress(SyncProgress(phase: .push, done: summary.pushed, total: total))
            guard response.acked >= last.seq else {
                if response.acked > before { continue }
                throw SyncError(.internalError, "the hub acknowledged none of a push of \(batch.count) changes; try again later")
            }
            batchSize = min(configuration.maxBatch, batchSize * 2)
        }
    }

    // MARK: Bootstrap

    private func bootstrap(into summary: inout SyncSummary, progress: (SyncProgress) -> Void) async throws(SyncError) {
        var (page, cursor) = try store.read { db in
            (try SyncMeta.snapshotPage.read(db), try SyncMeta.snapshotCursor.read(db).flatMap { Int64($0) })
        }
        var epoch = try store.read { db in try SyncMeta.snapshotEpoch.read(db) }
        logger.info("sync.bootstrap", metadata: ["sync.resume": "\(page != nil)"])
        summary.bootstrapped = true
        var restarted = false
        let transport = self.transport
        let limit = configuration.snapshotPageSize
        var prefetched: Prefetch<SnapshotPage>?
        while true {
            let response: SnapshotPage
            do {
                if let ahead = prefetched {
                    prefetched = nil
                    response = try await ahead.value
                } else {
                    response = try await transport.snapshot(page: page, limit: limit)
                }
            } catch let error where error.code == .badCursor && page != nil && !restarted {
                // The hub no longer knows the saved page token (restored from a backup): start over.
                (page, cursor, epoch, restarted) = (nil, nil, nil, true)
                continue
            }
            if page != nil, let saved = epoch, let now = response.epoch, saved != now, !restarted {
                // The hub was restored between pages: the pages so far belong to another log.
                logger.warning("sync.bootstrap.epoch_changed")
                (page, cursor, epoch, restarted) = (nil, nil, nil, true)
                continue
            }
            let snapshotCursor = cursor ?? response.cursor
            let snapshotEpoch = epoch ?? response.epoch
            // Fetch the next page while this one is installed (its epoch is checked in turn).
            prefetched = response.next.map { token in Prefetch { () async throws(SyncError) in try await transport.snapshot(page: token, limit: limit) } }
            do {
                let taking = try await schemaToTake(response.schemaVersion)
                try await adopting(taking) { [store] db in
                    try store.install(response.records, db)
                    try store.updateClock(db) { $0.receive(response.hubClock, wallMillis: store.wallClock.nowMillis()) }
                    if let next = response.next {
                        try SyncMeta.snapshotPage.write(next, db)
                        try SyncMeta.snapshotCursor.write(String(snapshotCursor), db)
                        if let snapshotEpoch { try SyncMeta.snapshotEpoch.write(snapshotEpoch, db) }
                    } else {
                        try SyncMeta.snapshotPage.delete(db)
                        try SyncMeta.snapshotCursor.delete(db)
                        try SyncMeta.snapshotEpoch.delete(db)
                        try Meta.pullCursor.write(String(snapshotCursor), db)
                        if let snapshotEpoch { try SyncMeta.epoch.write(snapshotEpoch, db) } else { try SyncMeta.epoch.delete(db) }
                    }
                }
            } catch {
                prefetched?.cancel()
                throw error
            }
            summary.installed += response.records.count
            progress(SyncProgress(phase: .bootstrap, done: summary.installed))
            guard let next = response.next else { return }
            page = next
            cursor = snapshotCursor
            epoch = snapshotEpoch
        }
    }

    // MARK: Pull

    private func pull(into summary: inout SyncSummary, progress: (SyncProgress) -> Void) async throws(SyncError) {
        var (cursor, epoch) = try store.read { db in
            (try Meta.pullCursor.read(db).flatMap { Int64($0) } ?? 0, try SyncMeta.epoch.read(db))
        }
        var rewound = false
        let transport = self.transport
        let limit = configuration.pullLimit
        var prefetched: Prefetch<PullResponse>?
        while true {
            let response: PullResponse
            do {
                if let ahead = prefetched {
                    prefetched = nil
                    response = try await ahead.value
                } else {
                    response = try await transport.pull(cursor: cursor, limit: limit)
                }
            } catch let error where error.code == .badCursor && cursor > 0 && !rewound {
                // The hub never issued this cursor: it was restored from an older backup.
                try await rewind(into: &summary, progress: progress)
                (cursor, epoch, rewound) = (0, nil, true)
                continue
            }
            if let stored = epoch, let now = response.epoch, stored != now, !rewound {
                // The hub's log is another one since the last pull (restored from a backup):
                // this answer is not applied; what the station holds of the old log stays.
                try await rewind(into: &summary, progress: progress)
                (cursor, epoch, rewound) = (0, nil, true)
                continue
            }
            // Fetch the next page while this one is applied: the hub's answer depends only on
            // the cursor, and the cursor is saved with the page it ends.
            if response.more, response.cursor > cursor {
                prefetched = Prefetch { [next = response.cursor] () async throws(SyncError) in try await transport.pull(cursor: next, limit: limit) }
            }
            let report: ApplyReport
            do {
                let store = self.store
                let taking = try await schemaToTake(response.schemaVersion)
                report = try await adopting(taking) { db in try Self.apply(response, to: store, db) }
                try checkClock(hub: response.hubClock)
            } catch {
                prefetched?.cancel()
                throw error
            }
            epoch = response.epoch ?? epoch
            summary.pulled += report.applied.count
            summary.duplicates += report.duplicates.count
            summary.installed += response.records.count
            summary.removed += response.removed.count
            summary.cursor = response.cursor
            if !report.refused.isEmpty {
                logger.warning("sync.pull.refused", metadata: ["sync.refused.count": "\(report.refused.count)"])
            }
            progress(SyncProgress(phase: .pull, done: summary.pulled))
            guard response.more, response.cursor > cursor else { return }
            cursor = response.cursor
        }
    }

    /// Applies one pull answer in one transaction with the new cursor and the hub's epoch:
    /// installs the records that came into scope, drops those that left, applies the changes.
    /// A bundle from the hub goes through here too.
    public static func apply(_ response: PullResponse, to store: ReplicaStore) throws(SyncError) -> ApplyReport {
        try store.write { db in try apply(response, to: store, db) }
    }

    /// Applies one pull answer inside the caller's transaction.
    static func apply(_ response: PullResponse, to store: ReplicaStore, _ db: Database) throws -> ApplyReport {
        try store.install(response.records, db)
        for key in response.removed { try store.removeRecord(key, db) }
        for key in response.redacted { try store.redact(key, db) }
        // The hub has checked every change against its clock; this station's own wall
        // clock may lag without making them any less valid.
        let wall = max(store.wallClock.nowMillis(), response.hubClock.millis)
        let report = try store.apply(response.changes, context: ValidationContext(wallMillis: wall), db)
        try store.updateClock(db) { $0.receive(response.hubClock, wallMillis: store.wallClock.nowMillis()) }
        try Meta.pullCursor.write(String(response.cursor), db)
        if let epoch = response.epoch { try SyncMeta.epoch.write(epoch, db) }
        return report
    }

    /// The hub lost part of its log (restored from an older backup; SPEC §14): learn what it
    /// still holds of this station's changes, push the rest again, and pull from the start.
    private func rewind(into summary: inout SyncSummary, progress: (SyncProgress) -> Void) async throws(SyncError) {
        logger.warning("sync.epoch.changed", metadata: ["sync.site": "\(store.siteID)"])
        try await adoptHubAcked()
        try store.write { db in
            try Meta.pullCursor.write("0", db)
            try SyncMeta.epoch.delete(db)
        }
        summary.rewound = true
        try await push(into: &summary, progress: progress)
    }

    /// Records a push answer in one transaction: acknowledgement, refusals (their records take
    /// the hub's state), the hub's clock, and the recovery of a clock that ran fast; returns
    /// whether the clock was set back.
    private func record(_ response: PushResponse) async throws(SyncError) -> Bool {
        let store = self.store
        let maxDrift = configuration.maxDriftMillis
        let refusals = response.refused.map {
            Refusal(origin: ChangeOrigin(site: store.siteID, seq: $0.seq), error: SyncError($0.code, $0.message))
        }
        return try await store.asyncWrite { db in
            try store.acknowledge(upTo: response.acked, refusals: refusals, records: response.records, db)
            try store.updateClock(db) { $0.receive(response.hubClock, wallMillis: store.wallClock.nowMillis()) }
            return try store.recoverClock(hub: response.hubClock, maxDriftMillis: maxDrift, db)
        }
    }

    // MARK: Schemas

    /// The hub's schema when it is newer than this replica's (an answer said so with its
    /// `schemaVersion`), checked to descend compatibly from it (SPEC §9); `nil` otherwise.
    private func schemaToTake(_ hubVersion: Int?) async throws(SyncError) -> Schema? {
        guard let hubVersion, hubVersion > store.schema.version else { return nil }
        let newer = try await transport.schema(version: nil)
        guard newer.name == store.schema.name, newer.version >= hubVersion else {
            throw SyncError(
                .schemaMismatch,
                "the hub announced schema version \(hubVersion) but served \(WireProtocol.schemaTag(newer)); this station holds \(WireProtocol.schemaTag(store.schema))")
        }
        try newer.checkCompatibleDescendant(of: store.schema)
        return newer
    }

    /// Runs `body` in one write transaction that first takes `schema` (when given), so that
    /// the page it applies is checked with it; the replica keeps its old schema if the
    /// transaction fails.
    private func adopting<T: Sendable>(_ schema: Schema?, _ body: @escaping @Sendable (Database) throws -> T) async throws(SyncError) -> T {
        guard let schema else { return try await store.asyncWrite(body) }
        let (store, previous) = (self.store, self.store.schema)
        logger.notice("sync.schema.taken", metadata: ["sync.schema": "\(WireProtocol.schemaTag(schema))"])
        store.adopted(schema)
        do {
            return try await store.asyncWrite { db in
                try store.adopt(schema, db)
                return try body(db)
            }
        } catch {
            store.adopted(previous)
            throw error
        }
    }

    /// Asks the hub which of this station's changes it holds (an empty push answers with the
    /// highest seq of the station it holds) and lowers the acknowledged seq to it, so that
    /// what the hub lost waits in the outbox again (SPEC §11, §14). The hub's `acked` never
    /// goes back unless the hub itself went back.
    private func adoptHubAcked() async throws(SyncError) {
        let held = try await transport.push(PushRequest(changes: []))
        try store.write { db in
            if held.acked < (try store.ackedSeq(db)) { try Meta.ackedSeq.write(String(held.acked), db) }
        }
    }

    /// Refuses to go on when this station's wall clock runs so far ahead of the hub's that
    /// the hub would refuse what it writes.
    private func checkClock(hub: HLC) throws(SyncError) {
        let wall = store.wallClock.nowMillis()
        guard wall > hub.millis, wall - hub.millis > configuration.maxDriftMillis else { return }
        throw SyncError(
            .clockSkew,
            "this station's clock is \((wall - hub.millis) / 60_000) minutes ahead of the hub's; the hub would refuse what it writes. Fix the date and time, then sync again"
        )
    }
}

/// A request started ahead of its turn (the next pull or snapshot page, fetched while the
/// current one is applied), with the transport's typed error kept.
private struct Prefetch<Value: Sendable>: Sendable {
    private let task: Task<Result<Value, SyncError>, Never>

    init(_ fetch: @escaping @Sendable () async throws(SyncError) -> Value) {
        task = Task {
            do throws(SyncError) { return .success(try await fetch()) } catch { return .failure(error) }
        }
    }

    /// The answer; a caller cancelled while it waits cancels the request too (the task is
    /// unstructured, so it would not inherit the cancellation by itself).
    var value: Value {
        get async throws(SyncError) {
            try await withTaskCancellationHandler { await task.value } onCancel: { [task] in task.cancel() }.get()
        }
    }

    func cancel() { task.cancel() }
}
