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
    ///   - force: replace an existing station replica (or an empty file) instead of refusing
    ///     with `store_invalid`; the replica is kept aside (``setAside(replicaAt:wallClock:)``).
    ///   - busyTimeout: how long a write waits for another process holding the file.
    /// - Throws: ``SyncError`` `malformed_id` for a bad org id, `store_invalid` when the file
    ///   exists and `force` is false, when it is anything but a station replica or an empty
    ///   file (a hub file, another file, a device, a directory), or when it cannot be written.
    public static func create(
        at path: String, org: String, name: String? = nil, hub: URL? = nil, token: String? = nil,
        schema: Schema? = nil, force: Bool = false, wallClock: WallClock = .system, busyTimeout: Double = 5,
        logger: Logger? = nil
    ) throws(SyncError) -> Station {
        guard Identifier.isValidID(org) else {
            throw SyncError(.malformedID, "org unit id \"\(org.prefix(40))\" is not 1–128 characters of A–Z a–z 0–9 - _ . :")
        }
        switch StoreFileIdentity.of(path) {
        case .missing:
            break
        case .tributary(.station), .empty:
            guard force else {
                throw SyncError(.storeInvalid, "\(path) already exists; pass --force to replace it (the old replica is kept aside as a copy)")
            }
            try setAside(replicaAt: path, wallClock: wallClock)
        case let other:
            throw replaceRefusal(path, other, force: force)
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

    /// Moves the station replica at `path` (with its `-wal` and `-shm`) aside to
    /// `<path>.replaced-<millis>` so that a new one can be created in its place, and returns
    /// where it went; an empty file, which holds nothing, is removed (`nil`), as is nothing.
    ///
    /// - Throws: ``SyncError`` `store_invalid`, leaving everything as it was, when `path` is
    ///   anything else: a hub file, another program's file, a device, a directory.
    @discardableResult
    public static func setAside(replicaAt path: String, wallClock: WallClock = .system) throws(SyncError) -> String? {
        let files = FileManager.default
        switch StoreFileIdentity.of(path) {
        case .missing:
            return nil
        case .empty:
            do {
                for file in [path, path + "-wal", path + "-shm"] where files.fileExists(atPath: file) { try files.removeItem(atPath: file) }
            } catch {
                throw SyncError(.storeInvalid, "cannot remove the empty file \(path): \(error.localizedDescription)")
            }
            return nil
        case .tributary(.station):
            let aside = "\(path).replaced-\(wallClock.nowMillis())"
            do {
                for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: path + suffix) {
                    try files.moveItem(atPath: path + suffix, toPath: aside + suffix)
                }
            } catch {
                throw SyncError(.storeInvalid, "cannot move \(path) aside to \(aside): \(error.localizedDescription)")
            }
            return aside
        case let other:
            throw replaceRefusal(path, other, force: true)
        }
    }

    /// Why `init` (with `--force` or not) leaves the file at `path` alone.
    static func replaceRefusal(_ path: String, _ identity: StoreFileIdentity, force: Bool) -> SyncError {
        let reason = identity.refusal(path: path, expected: .station)?.message ?? "\(path) is not a station replica"
        return SyncError(
            .storeInvalid,
            force
                ? "--force replaces only a station replica or an empty file, so nothing was changed: \(reason)"
                : "\(path) already exists and init leaves it alone: \(reason)")
    }

    /// Opens the station replica at `path`.
    ///
    /// - Parameters:
    ///   - readOnly: open it for a caller that only reads: nothing is written to the file (not
    ///     even SQLite's WAL set-up), it works on a file that may not be written, and every write
    ///     fails with `read_only`. Otherwise the file's pages are checked before anything is
    ///     written to it, refusing a damaged one (SPEC §16).
    /// - Throws: ``SyncError`` `not_found` when there is no file at `path`, `store_invalid`
    ///   when the file is not a station replica, was written by a newer version or is damaged.
    public static func open(
        at path: String, schema: Schema? = nil, wallClock: WallClock = .system, busyTimeout: Double = 5,
        readOnly: Bool = false, logger: Logger? = nil
    ) throws(SyncError) -> Station {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SyncError(.notFound, "no station replica at \(path); run `tributary init --org ORG_ID` first")
        }
        let store =
            readOnly
            ? try ReplicaStore.openForReading(path: path, schema: try Self.schema(schema), wallClock: wallClock, busyTimeout: busyTimeout)
            : try ReplicaStore.open(path: path, schema: try Self.schema(schema), wallClock: wallClock, busyTimeout: busyTimeout)
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
