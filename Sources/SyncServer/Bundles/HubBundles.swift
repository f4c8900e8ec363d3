public import SyncModel
import SyncBundle

/// The hub's side of offline bundles (Protocol/SPEC.md §13): imports a station's bundle
/// exactly as `POST /v1/push` applies a push, and writes the bundle that brings a station what
/// a pull would, with the proof of what the hub holds of its changes.
public struct HubBundles: Sendable {
    /// The hub's store.
    public let store: any HubStore
    /// The hub's clock and clock guard, as for pushes.
    public let configuration: HubConfiguration
    /// Changes per push transaction when a bundle is applied.
    public var batchSize = 5_000
    /// Changes per pull when a bundle is written.
    public var pullLimit = 5_000

    /// Creates the bundle handler.
    public init(store: any HubStore, configuration: HubConfiguration = HubConfiguration()) {
        self.store = store
        self.configuration = configuration
    }

    /// What importing a station's bundle did.
    public struct ImportReport: Hashable, Sendable, Codable {
        /// The station id.
        public var station: String
        /// The station's name.
        public var name: String
        /// The changes the bundle held.
        public var changes: Int
        /// Changes applied for the first time.
        public var applied: Int
        /// Changes the hub already held.
        public var duplicates: Int
        /// Changes refused, with reasons (acknowledged all the same).
        public var refused: [PushRefusal]
        /// The highest seq of the station the hub now holds.
        public var acked: UInt64
    }

    /// Verifies a station's bundle and applies its changes as pushes from that station.
    ///
    /// Nothing is applied unless the file is whole, unaltered, signed by a registered station
    /// of this hub, and of this protocol and schema. The changes then go through
    /// ``HubStore/push(_:from:context:)`` in batches — the same checks as `POST /v1/push`
    /// (site binding, seq order, clock guard, scope, validation); importing a bundle twice is
    /// harmless.
    public func importStationBundle(_ bytes: [UInt8]) async throws -> ImportReport {
        let file = try BundleFile.parse(bytes)
        guard file.header.kind == .station else {
            throw SyncError(
                .bundleForeign, "this is the hub's bundle for station \(file.header.station ?? "?"); import it at the station with `tributary import`")
        }
        guard let found = try await store.bundleStation(publicKey: file.header.key), let publicKey = found.publicKey else {
            throw SyncError(
                .bundleForeign,
                "no station of this hub holds the key this bundle was signed with (site \(file.header.site.map(\.hex) ?? "?"), org \(file.header.org.prefix(40))): it was made for another hub, with a token this hub did not issue, or with a token issued before bundles existed (issue a new one)")
        }
        let station = found.station
        try file.verifySignature(publicKey: publicKey)
        guard !station.revoked else {
            throw StationAccessRefusal.revoked(station.id)
        }
        try file.header.checkProtocol()
        if let refusal = WireProtocol.schemaRefusal(file.header.schema, current: try await store.currentSchema()) {
            throw SyncError(refusal.code, "the bundle was written for schema \(file.header.schema.prefix(60)): \(refusal.message)")
        }
        let content = try file.decodeContent(StationBundleContent.self)
        if let site = file.header.site {
            if let bound = station.site, bound != site {
                throw StationAccessRefusal.otherSite(site, station: station.id, bound: bound)
            }
            guard content.changes.allSatisfy({ $0.site == site }) else {
                throw SyncError(.wrongSite, "the bundle of site \(site) holds changes of another site; a station carries only its own changes")
            }
        }
        var report = ImportReport(
            station: station.id, name: station.name, changes: content.changes.count, applied: 0, duplicates: 0, refused: [],
            acked: station.acked)
        var start = 0
        while start < content.changes.count {
            let batch = Array(content.changes[start..<min(start + batchSize, content.changes.count)])
            let context = ValidationContext(wallMillis: configuration.wallClock.nowMillis(), maxDriftMillis: configuration.maxDriftMillis)
            let response: PushResponse
            do {
                response = try await store.push(batch, from: station, context: context)
            } catch let error as HubError where error.body.error.code == .seqGap {
                throw SyncError(
                    .seqGap,
                    "the hub holds seq \(error.body.error.acked ?? 0) of station \(station.id) and this bundle starts at \(batch.first?.seq ?? 0)\(start > 0 ? " (after \(start) changes applied)" : ""): the hub lost changes (restored from a backup?); at the station run `tributary export --all` and import that bundle")
            }
            report.applied += response.applied
            report.duplicates += response.duplicates
            report.refused += response.refused
            report.acked = response.acked
            start += batch.count
        }
        try await store.recordBundleCursor(station: station.id, cursor: content.cursor, epoch: content.epoch)
        return report
    }

    /// What a written hub bundle holds.
    public struct ExportReport: Hashable, Sendable, Codable {
        /// The station id.
        public var station: String
        /// The hub log position the bundle starts after.
        public var from: Int64
        /// The position it reaches.
        public var to: Int64
        /// The hub's log epoch.
        public var epoch: String
        /// Changes in the bundle.
        public var changes: Int
        /// Records moved into the station's scope.
        public var records: Int
        /// Records that left it.
        public var removed: Int
        /// The highest seq of the station the hub holds (the station clears its outbox up to it).
        public var acked: UInt64
    }

    /// Writes the bundle for station `id`: the pulls from `cursor` — by default the cursor the
    /// station reported in its last imported bundle, or 0 when it reported none or one of
    /// another epoch — to the end of the log, with the hub's acknowledged seq and refusals of
    /// the station's changes.
    public func exportBundle(station id: String, cursor: Int64? = nil) async throws -> (bytes: [UInt8], report: ExportReport) {
        let found = try await store.bundleStation(id: id)
        let station = found.station
        guard let epoch = try await store.epoch() else {
            throw SyncError(.storeInvalid, "the hub file has no log epoch; open it with this version of tributary-hub once")
        }
        // A cursor reported without an epoch comes from a station that pulled before hubs had
        // epochs: it belongs to this hub's log as much as the station's own rule assumes.
        let from = cursor ?? (found.cursorEpoch == nil || found.cursorEpoch == epoch ? found.cursor ?? 0 : 0)
        var pulls: [PullResponse] = []
        var position = from
        while true {
            let response = try await store.pull(for: station, after: position, limit: pullLimit)
            pulls.append(response)
            guard response.more, response.cursor > position else { break }
            position = response.cursor
        }
        let to = pulls.last?.cursor ?? from
        let refusals = try await store.refusals(of: station)
        let schema = try await store.currentSchema()
        let content = HubBundleContent(
            acked: station.acked, refusals: refusals.refusals, records: refusals.records, epoch: epoch, from: from, to: to, pulls: pulls,
            schema: schema)
        let header = BundleHeader(
            kind: .hub, created: configuration.wallClock.nowMillis(), schema: WireProtocol.schemaTag(schema),
            site: station.site, org: station.org, key: "", station: station.id, hub: store.siteID)
        let bytes = try BundleFile.hub(content, header: header, tokenHash: found.tokenHash)
        let report = ExportReport(
            station: station.id, from: from, to: to, epoch: epoch, changes: pulls.reduce(0) { $0 + $1.changes.count },
            records: pulls.reduce(0) { $0 + $1.records.count }, removed: pulls.reduce(0) { $0 + $1.removed.count },
            acked: station.acked)
        return (bytes, report)
    }
}
