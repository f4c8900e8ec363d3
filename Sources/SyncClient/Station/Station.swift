import CountyWork
public import Foundation
public import Logging
public import SyncModel
public import SyncStore
import GRDB

/// A township station: the headless client that records work offline in a local replica
/// file and shows what waits to sync and what is in conflict.
///
/// A station is bound to one org unit (its scope) and may write only inside that unit's
/// subtree, as the org units the replica holds describe it. Every write — a `put`, a
/// `delete`, a `resolve` — is one transaction holding the record change, its log entries
/// and their place in the outbox, so a crash leaves either all of it or none.
///
/// ```swift
/// let station = try Station.create(at: "station.db", org: "yc-t01", name: "桃城镇")
/// let id = try station.put(type: "member", fields: ["name": "林秀英", "orgUnitId": "yc-t01", "category": "retired"])
/// try station.status().outbox   // 3
/// ```
public struct Station: Sendable {
    /// The replica the station writes to.
    public let store: ReplicaStore
    /// The replica file's path.
    public let path: String
    /// The org unit the station is bound to.
    public let org: String
    /// Where diagnostics go; personal values never appear in them.
    let logger: Logger?

    /// This replica's site id, drawn once when the file was created.
    public var siteID: SiteID { store.siteID }
    /// The schema writes are checked against.
    public var schema: Schema { store.schema }

    init(store: ReplicaStore, path: String, org: String, logger: Logger?) {
        self.store = store
        self.path = path
        self.org = org
        self.logger = logger
    }

    /// Creates a new station replica at `path`, bound to the org unit `org`.
    ///
    /// - Parameters:
    ///   - hub: the hub's base URL, if the station is to sync with one.
    ///   - token: the bearer token for the hub.
    ///   - schema: the schema to record against; the county-work schema by default.
    ///   - force: replace an existing file (and its `-wal`/`-shm` companions) instead of
    ///     refusing with `store_invalid`.
    ///   - busyTimeout: how long a write waits for another process holding the file.
    /// - Throws: ``SyncError`` `malformed_id` for a bad org id, `store_invalid` when the file
    ///   exists and `force` is false or it cannot be written.
    public static func create(
        at path: String, org: String, name: String? = nil, hub: URL? = nil, token: String? = nil,
        schema: Schema? = nil, force: Bool = false, wallClock: WallClock = .system, busyTimeout: Double = 5,
        logger: Logger? = nil
    ) throws(SyncError) -> Station {
        guard Identifier.isValidID(org) else {
            throw SyncError(.malformedID, "org unit id \"\(org.prefix(40))\" is not 1–128 characters of A–Z a–z 0–9 - _ . :")
        }
        let files = FileManager.default
        if files.fileExists(atPath: path) {
            guard force else {
                throw SyncError(.storeInvalid, "\(path) already exists; pass --force to replace it (its unsynced changes are lost)")
            }
            for file in [path, path + "-wal", path + "-shm"] where files.fileExists(atPath: file) {
                do {
                    try files.removeItem(atPath: file)
                } catch {
                    throw SyncError(.storeInvalid, "cannot remove \(file): \(error.localizedDescription)")
                }
            }
        }
        let store = try ReplicaStore.open(
            path: path, schema: try Self.schema(schema), wallClock: wallClock, busyTimeout: busyTimeout)
        try store.write { db in
            try Meta.org.write(org, db)
            if let name { try Meta.stationName.write(name, db) }
            if let hub { try Meta.hubURL.write(hub.absoluteString, db) }
            if let token { try Meta.token.write(token, db) }
        }
        logger?.info("station.created", metadata: ["station.org": "\(org)", "station.site": "\(store.siteID.hex)"])
        return Station(store: store, path: path, org: org, logger: logger)
    }

    /// Opens the station replica at `path`.
    ///
    /// - Throws: ``SyncError`` `not_found` when there is no file at `path`, `store_invalid`
    ///   when the file is not a station replica.
    public static func open(
        at path: String, schema: Schema? = nil, wallClock: WallClock = .system, busyTimeout: Double = 5,
        logger: Logger? = nil
    ) throws(SyncError) -> Station {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SyncError(.notFound, "no station replica at \(path); run `tributary init --org ORG_ID` first")
        }
        let store = try ReplicaStore.open(
            path: path, schema: try Self.schema(schema), wallClock: wallClock, busyTimeout: busyTimeout)
        guard let org = try store.read({ db in try Meta.org.read(db) }) else {
            throw SyncError(.storeInvalid, "\(path) is a replica but not a station (no org unit is set); run `tributary init`")
        }
        return Station(store: store, path: path, org: org, logger: logger)
    }

    /// The station's settings as the replica holds them now.
    public func settings() throws(SyncError) -> StationSettings {
        try store.read { db in
            StationSettings(
                org: try Meta.org.read(db) ?? org,
                name: try Meta.stationName.read(db),
                hub: try Meta.hubURL.read(db).flatMap { URL(string: $0) },
                token: try Meta.token.read(db),
                lastSyncMillis: try Meta.lastSync.read(db).flatMap { UInt64($0) },
                certificateAuthority: try Meta.hubCA.read(db))
        }
    }

    /// The given schema, or the built-in county-work schema.
    static func schema(_ given: Schema?) throws(SyncError) -> Schema {
        if let given { return given }
        return try CountyWorkSchema.load()
    }
}
