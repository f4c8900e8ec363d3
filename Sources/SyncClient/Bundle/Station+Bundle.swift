public import SyncModel
import Logging
import SyncBundle
import SyncStore
import GRDB

/// What `tributary export` wrote.
public struct StationExportReport: Hashable, Sendable, Codable {
    /// Own changes in the bundle.
    public var changes: Int
    /// The first and last seq in it, when it holds any.
    public var firstSeq: UInt64?
    /// The last seq in it.
    public var lastSeq: UInt64?
    /// The pull cursor the bundle reports (the hub's answer continues from it).
    public var cursor: Int64?
}

/// What `tributary import` of a hub bundle did.
public struct StationImportReport: Hashable, Sendable, Codable {
    /// The station id at the hub.
    public var station: String
    /// The highest own seq the hub holds, now acknowledged here.
    public var acked: UInt64
    /// Own changes that left the outbox with this bundle.
    public var cleared: Int
    /// Own changes the hub refused that this station had not heard of before.
    public var refused: [PushRefusal]
    /// Changes applied for the first time.
    public var pulled: Int
    /// Changes this replica already held.
    public var duplicates: Int
    /// Records installed because they came into scope.
    public var installed: Int
    /// Records dropped because they left scope.
    public var removed: Int
    /// The pull cursor after the import.
    public var cursor: Int64
    /// Whether the bundle's changes were already here (only its acknowledgement was new).
    public var alreadyApplied: Bool
    /// Whether the hub's log epoch had changed (restored hub): the outbox now holds again what
    /// the hub lost.
    public var rewound: Bool
}

extension Station {
    /// Writes the bundle of this station's own changes for its hub (SPEC §13): the outbox, or
    /// with `all` every own change, with where the station stands (acked seq, pull cursor and
    /// its epoch), signed with the key derived from the station's token.
    ///
    /// - Throws: `not_found` when the station has no token (`tributary remote set --offline`).
    public func exportBundle(all: Bool = false) throws(SyncError) -> (bytes: [UInt8], report: StationExportReport) {
        let settings = try settings()
        guard let token = settings.token else {
            throw SyncError(
                .notFound,
                "this station has no token to sign a bundle with; run `tributary remote set --hub URL --token TOKEN --offline` with the token the county issued")
        }
        let content = try store.read { db in
            let acked = try store.ackedSeq(db)
            return StationBundleContent(
                changes: try store.ownChanges(after: all ? 0 : acked, db), acked: acked,
                cursor: try Meta.pullCursor.read(db).flatMap { Int64($0) }, epoch: try SyncMeta.epoch.read(db))
        }
        let header = BundleHeader(
            kind: .station, created: store.wallClock.nowMillis(), schema: WireProtocol.schemaTag(schema), site: siteID, org: org,
            key: "", name: settings.name)
        let bytes = try BundleFile.station(content, header: header, token: token)
        logger?.info("station.bundle.export", metadata: ["bundle.changes": "\(content.changes.count)"])
        return (
            bytes,
            StationExportReport(
                changes: content.changes.count, firstSeq: content.changes.first?.seq, lastSeq: content.changes.last?.seq,
                cursor: content.cursor)
        )
    }

    /// Verifies the hub's bundle for this station and applies it: the acknowledgement (the
    /// outbox is cleared only up to the seq the hub proves it holds; refusals are kept and
    /// taken out of the merge) and the pulls, each as `SyncEngine` applies a pull.
    ///
    /// Nothing is applied unless the file is whole, unaltered, MACed with this station's key,
    /// and continues the hub's log where this station stands (`bundle_gap` otherwise).
    public func importBundle(_ bytes: [UInt8]) throws(SyncError) -> StationImportReport {
        let file = try BundleFile.parse(bytes)
        guard file.header.kind == .hub else {
            throw SyncError(
                .bundleForeign, "this is a station's bundle of its own changes; import it at the hub with `tributary-hub import`")
        }
        guard let token = try settings().token else {
            throw SyncError(
                .notFound,
                "this station has no token to check the bundle with; run `tributary remote set --hub URL --token TOKEN --offline`")
        }
        guard file.header.key == BundleKeys.keyID(token: token) else {
            throw SyncError(
                .bundleForeign,
                "this bundle was made for station \(file.header.station?.prefix(40) ?? "?") (org \(file.header.org.prefix(40))), not for this station's token — or by another hub")
        }
        if let site = file.header.site, site != siteID {
            throw SyncError(.bundleForeign, "this bundle was made for site \(site), not this replica (site \(siteID))")
        }
        try file.verifyMAC(tokenHash: BundleKeys.tokenHash(token: token))
        try file.header.checkProtocol()
        let content = try file.decodeContent(HubBundleContent.self)
        let taking = try Self.schemaToTake(file.header, offered: content.schema, holding: schema)

        let (cursor, epoch, ackedBefore) = try store.read { db in
            (try Meta.pullCursor.read(db).flatMap { Int64($0) }, try SyncMeta.epoch.read(db), try store.ackedSeq(db))
        }
        let sameEpoch = epoch == nil || epoch == content.epoch
        let station = file.header.station ?? "?"
        let applyPulls: Bool
        if !sameEpoch {
            guard content.from == 0 else {
                throw SyncError(
                    .bundleGap,
                    "the hub's log epoch changed since this station last pulled (the hub was restored from a backup); ask the hub for a bundle from the start: tributary-hub export --station \(station) --cursor 0")
            }
            applyPulls = true
        } else if (cursor ?? 0) == content.from {
            applyPulls = true
        } else if let cursor, cursor >= content.to {
            applyPulls = false
        } else {
            throw SyncError(
                .bundleGap,
                "this bundle continues the hub's log after position \(content.from), but this station stands at \(cursor ?? 0); ask the hub for tributary-hub export --station \(station) --cursor \(cursor ?? 0)")
        }

        // One transaction: the acknowledgement (proof of what the hub holds) and the pulls, so
        // that a bundle is applied whole or not at all, and importing it again is harmless.
        // The pulls are checked with the schema they were written under: taken first, in the
        // same transaction; the replica keeps its old one if the transaction fails.
        let previous = store.schema
        if let taking { store.adopted(taking) }
        do {
            return try applyHubBundle(content, taking: taking, cursor: cursor, ackedBefore: ackedBefore, sameEpoch: sameEpoch, applyPulls: applyPulls, station: station)
        } catch {
            store.adopted(previous)
            throw error
        }
    }

    /// Applies a verified hub bundle in one transaction (see ``importBundle(_:)``).
    private func applyHubBundle(
        _ content: HubBundleContent, taking: Schema?, cursor: Int64?, ackedBefore: UInt64, sameEpoch: Bool, applyPulls: Bool, station: String
    ) throws(SyncError) -> StationImportReport {
        try store.write { db -> StationImportReport in
            if let taking { try store.adopt(taking, db) }
            let known = try store.refusalsByOrigin(db)
            let fresh = content.refusals.filter { known[$0.seq] == nil }
            try store.acknowledge(
                upTo: content.acked,
                refusals: fresh.map { Refusal(origin: ChangeOrigin(site: siteID, seq: $0.seq), error: SyncError($0.code, $0.message)) },
                records: content.records, db)
            if !sameEpoch {
                // The hub lost changes it had acknowledged: they wait in the outbox again.
                try Meta.ackedSeq.write(String(content.acked), db)
                try SyncMeta.epoch.delete(db)
            }
            let acked = try store.ackedSeq(db)
            var report = StationImportReport(
                station: station, acked: acked, cleared: Int(acked > ackedBefore ? acked - ackedBefore : 0), refused: fresh,
                pulled: 0, duplicates: 0, installed: 0, removed: 0, cursor: cursor ?? 0, alreadyApplied: !applyPulls,
                rewound: !sameEpoch)
            guard applyPulls else { return report }
            for key in [SyncMeta.snapshotPage, SyncMeta.snapshotCursor, SyncMeta.snapshotEpoch] { try key.delete(db) }
            for pull in content.pulls {
                let applied = try SyncEngine.apply(pull, to: store, db)
                report.pulled += applied.applied.count
                report.duplicates += applied.duplicates.count
                report.installed += pull.records.count
                report.removed += pull.removed.count
                report.cursor = pull.cursor
            }
            return report
        }
    }

    /// The hub's schema a hub bundle carries, when it is newer than this replica's and
    /// descends compatibly from it (SPEC §9); `nil` when the replica holds that version (or a
    /// newer one). Refuses a bundle of another schema.
    static func schemaToTake(_ header: BundleHeader, offered: Schema?, holding schema: Schema) throws(SyncError) -> Schema? {
        guard let (name, version) = WireProtocol.parseSchemaTag(header.schema), name == schema.name else {
            throw SyncError(
                .schemaMismatch,
                "the bundle was written for schema \(header.schema.prefix(60)); this station records \(WireProtocol.schemaTag(schema))")
        }
        guard version > schema.version else { return nil }
        guard let offered, offered.name == name, offered.version == version else {
            throw SyncError(
                .schemaMismatch,
                "the bundle was written under \(header.schema.prefix(60)) but does not carry that schema (a hub older than this station?); this station records \(WireProtocol.schemaTag(schema))")
        }
        try offered.checkCompatibleDescendant(of: schema)
        return offered
    }
}
