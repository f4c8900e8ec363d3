import CountyWork
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SyncClient
import SyncModel
import SyncServer
import SyncStore
import Testing
import TributaryTestSupport

/// A hub on a temp-dir SQLite file (or, for ``HubStoreKind/postgres``, a fresh database of the
/// test PostgreSQL cluster) with a small county tree and four stations, plus helpers to talk
/// to it the way a station does.
///
///     yc (county)
///     ├── yc-t01 (township)  ← station "t1"
///     │   ├── yc-t01-c01     ← station "c01"
///     │   └── yc-t01-c02
///     └── yc-t02 (township)  ← station "t2"
///         └── yc-t02-c01
/// plus stations "county" and "county2" on yc.
struct HubFixture {
    static let wallMillis: UInt64 = 1_750_000_000_000
    let directory = TemporaryDirectory("hub")
    /// The store the hub runs on.
    let kind: HubStoreKind
    let store: any HubStore
    let schema: Schema
    let configuration: HubConfiguration
    let metrics = HubMetrics()
    /// Token of each station by fixture name.
    var tokens: [String: String] = [:]
    /// Station ids by fixture name.
    var stationIDs: [String: String] = [:]

    init(_ kind: HubStoreKind = .sqlite, maxBodyBytes: Int = 32 * 1024 * 1024) async throws {
        schema = try CountyWorkSchema.load()
        self.kind = kind
        var configuration = HubConfiguration(port: 0, maxBodyBytes: maxBodyBytes, wallClock: .fixed(Self.wallMillis))
        // HummingbirdTesting's live client opens its connection when the test starts and never
        // reconnects: on a loaded machine a test may take longer than the header or idle
        // deadline before its first or next request. Tests of the deadlines set their own.
        configuration.headerTimeout = 3_600
        configuration.idleTimeout = 3_600
        self.configuration = configuration
        store = try await kind.open(in: directory, schema: schema, wallClock: .fixed(Self.wallMillis))
        _ = try await store.importOrgUnits([
            HubOrgUnit(id: "yc", name: "永春县", kind: "county"),
            HubOrgUnit(id: "yc-t01", name: "桃城镇", kind: "township", parentId: "yc"),
            HubOrgUnit(id: "yc-t01-c01", name: "留安社区", kind: "community", parentId: "yc-t01"),
            HubOrgUnit(id: "yc-t01-c02", name: "环城社区", kind: "community", parentId: "yc-t01"),
            HubOrgUnit(id: "yc-t02", name: "五里街镇", kind: "township", parentId: "yc"),
            HubOrgUnit(id: "yc-t02-c01", name: "大羽村", kind: "village", parentId: "yc-t02"),
        ])
        for (name, org) in [("t1", "yc-t01"), ("t2", "yc-t02"), ("c01", "yc-t01-c01"), ("county", "yc"), ("county2", "yc")] {
            let (station, token) = try await store.addStation(name: name, org: org)
            tokens[name] = token
            stationIDs[name] = station.id
        }
    }

    /// The SQLite store, for tests of what only it has (its replica file).
    var sqlite: SQLiteHubStore { store as! SQLiteHubStore }

    /// The PostgreSQL store, for tests of what only it has.
    var postgres: PostgresHubStore { store as! PostgresHubStore }

    /// How many entries the hub's log holds.
    func logCount() async throws -> Int {
        try await store.log(after: 0, limit: 100_000_000).entries.count
    }

    /// The hub's last log position.
    func lastPosition() async throws -> Int64 {
        try await store.digest(for: nil).cursor
    }

    /// Writes edits as the hub's own changes (as `org import` does).
    @discardableResult
    func hubWrite(_ edits: [LocalEdit]) async throws -> [Change] {
        switch store {
        case let sqlite as SQLiteHubStore: try sqlite.replica.writeLocal(edits)
        case let postgres as PostgresHubStore: try await postgres.writeLocal(edits)
        default: []
        }
    }

    /// The hub's merged state of one record.
    func record(_ key: RecordKey) async throws -> RecordState? {
        switch store {
        case let sqlite as SQLiteHubStore: try sqlite.replica.record(key)
        case let postgres as PostgresHubStore: try await postgres.record(key)
        default: nil
        }
    }

    /// The fixture's store opened again with another clock (as a command run later would).
    func reopened(wallClock: WallClock) async throws -> any HubStore {
        switch kind {
        case .sqlite: try SQLiteHubStore.open(path: directory.path("hub.db"), schema: schema, wallClock: wallClock)
        case .postgres: try await PostgresHubStore.open(postgres.location, schema: schema, wallClock: wallClock)
        }
    }

    /// A new hub restored from a backup of this fixture's store (`tributary-hub restore`): a
    /// file beside it, or a new database.
    func restoredCopy(from backup: String) async throws -> any HubStore {
        switch kind {
        case .sqlite:
            let path = directory.path("restored-\(UUID().uuidString.prefix(6)).db")
            _ = try SQLiteHubStore.restore(from: backup, to: path)
            return try SQLiteHubStore.open(path: path, schema: schema, wallClock: .fixed(Self.wallMillis))
        case .postgres:
            let location = try PostgresLocation(url: try await PostgresTestServer.require().newDatabaseOffPool("restored"))
            _ = try await PostgresHubStore.restore(from: backup, to: location, schema: schema)
            return try await PostgresHubStore.open(location, schema: schema, wallClock: .fixed(Self.wallMillis))
        }
    }

    /// Where the hub says a record lies (`nil`: it holds no row of it).
    func scope(of key: RecordKey) async throws -> String? {
        switch store {
        case let sqlite as SQLiteHubStore: try sqlite.replica.scope(of: key)
        case let postgres as PostgresHubStore: try await postgres.place(of: key)?.scope
        default: nil
        }
    }

    /// The application over this fixture's store.
    func application() -> some ApplicationProtocol {
        buildApplication(store: store, configuration: configuration, metrics: metrics)
    }

    /// The application over this fixture's store with another configuration (rate limits) or a logger.
    func application(configuration: HubConfiguration? = nil, logger: Logger?) -> some ApplicationProtocol {
        buildApplication(store: store, configuration: configuration ?? self.configuration, metrics: metrics, logger: logger)
    }

    /// The application over this fixture's store with another configuration.
    func application(configuration: HubConfiguration) -> some ApplicationProtocol {
        buildApplication(store: store, configuration: configuration, metrics: metrics)
    }

    /// A station replica in the temp dir, with a clock a little behind the hub's.
    func replica(_ name: String) throws -> ReplicaStore {
        try ReplicaStore.open(path: directory.path("\(name)-\(UUID().uuidString).db"), schema: schema, wallClock: .fixed(Self.wallMillis - 60_000))
    }

    /// The headers of a station request.
    func headers(_ station: String?, protocol version: String = "1", schema tag: String = "county-work/1") -> HTTPFields {
        var headers = HTTPFields()
        headers[.init("Tributary-Protocol")!] = version
        headers[.init("Tributary-Schema")!] = tag
        if let station, let token = tokens[station] { headers[.authorization] = "Bearer \(token)" }
        headers[.contentType] = "application/json"
        return headers
    }
}

/// Member edits for a new member in `unit`.
func memberEdits(_ id: String, unit: String, name: String = "林秀英", phone: String? = nil) -> [LocalEdit] {
    var fields: [String: FieldValue] = ["name": .string(name), "orgUnitId": .string(unit), "category": .string("retired")]
    if let phone { fields["phone"] = .string(phone) }
    // The scope field first, as a station writes a new record (SPEC §10 "Scope").
    return fields.sorted { ($0.key == "orgUnitId" ? "" : $0.key) < ($1.key == "orgUnitId" ? "" : $1.key) }.map {
        LocalEdit(key: FieldKey(type: "member", id: id, field: $0.key), scope: unit, value: $0.value)
    }
}

extension TestClientProtocol {
    /// Sends a request and returns the status and the body bytes.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: Data? = nil
    ) async throws -> (status: HTTPResponse.Status, body: Data, headers: HTTPFields) {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            (response.status, Data(response.body.readableBytesView), response.headers)
        }
    }

    /// Pushes `changes` as `station` and decodes the answer, checking it against the spec.
    func push(_ fixture: HubFixture, _ station: String, _ changes: [Change]) async throws -> PushResponse {
        let (status, body, _) = try await call(.post, "/v1/push", headers: fixture.headers(station), body: try JSONEncoder().encode(PushRequest(changes: changes)))
        #expect(status == .ok, "\(String(decoding: body, as: UTF8.self))")
        expectConforms(body, "PushResponse")
        return try JSONDecoder().decode(PushResponse.self, from: body)
    }

    /// Pulls as `station` and decodes the answer, checking it against the spec.
    func pull(_ fixture: HubFixture, _ station: String, cursor: Int64, limit: Int = 5_000) async throws -> PullResponse {
        let (status, body, _) = try await call(.get, "/v1/pull?cursor=\(cursor)&limit=\(limit)", headers: fixture.headers(station))
        #expect(status == .ok, "\(String(decoding: body, as: UTF8.self))")
        expectConforms(body, "PullResponse")
        return try JSONDecoder().decode(PullResponse.self, from: body)
    }

    /// Fetches every snapshot page as `station`.
    func snapshot(_ fixture: HubFixture, _ station: String, limit: Int = 2) async throws -> (records: [SnapshotRecord], cursor: Int64, pages: Int) {
        var records: [SnapshotRecord] = []
        var page: String? = nil
        var cursor: Int64 = -1
        var pages = 0
        repeat {
            let query = page.map { "&page=\($0)" } ?? ""
            let (status, body, _) = try await call(.get, "/v1/snapshot?limit=\(limit)\(query)", headers: fixture.headers(station))
            #expect(status == .ok, "\(String(decoding: body, as: UTF8.self))")
            expectConforms(body, "SnapshotPage")
            let decoded = try JSONDecoder().decode(SnapshotPage.self, from: body)
            if cursor >= 0 { #expect(decoded.cursor == cursor) }
            cursor = decoded.cursor
            records += decoded.records
            page = decoded.next
            pages += 1
        } while page != nil
        return (records, cursor, pages)
    }

    /// Expects an error answer with `status` and `code`, conforming to the spec.
    @discardableResult
    func expectError(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: Data? = nil, status: HTTPResponse.Status,
        code: SyncErrorCode, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ErrorBody {
        let (got, data, responseHeaders) = try await call(method, uri, headers: headers, body: body)
        #expect(got == status, "\(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(responseHeaders[.contentType] == "application/json", sourceLocation: sourceLocation)
        expectConforms(data, "ErrorBody", sourceLocation: sourceLocation)
        let error = try JSONDecoder().decode(ErrorBody.self, from: data)
        #expect(error.error.code == code, sourceLocation: sourceLocation)
        return error
    }
}

/// Expects `body` to match schema `name` of Protocol/openapi.yaml.
func expectConforms(_ body: Data, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let problems = OpenAPIContract.shared.problems(body, schema: name)
    #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
}

extension HubFixture {
    /// A transport that calls this fixture's store directly as `station` (authenticated on each
    /// call, as the HTTP layer does), with the hub's configured clock guard.
    func inProcess(_ station: String) -> InProcessTransport {
        let store = self.store
        let token = tokens[station]!
        let configuration = self.configuration
        @Sendable func call<T>(_ body: (HubStation) async throws -> T) async throws(SyncError) -> T {
            do {
                return try await body(try await store.authenticate(token: token))
            } catch let error as SyncError {
                throw error
            } catch let error as HubError {
                throw SyncError(error.body.error.code, error.body.error.message)
            } catch {
                throw SyncError(.internalError, "\(error)")
            }
        }
        return InProcessTransport(
            push: { request throws(SyncError) in
                try await call { station in
                    try await store.push(
                        request.changes, from: station,
                        context: ValidationContext(wallMillis: configuration.wallClock.nowMillis(), maxDriftMillis: configuration.maxDriftMillis))
                }
            },
            pull: { cursor, limit throws(SyncError) in try await call { try await store.pull(for: $0, after: cursor, limit: limit) } },
            snapshot: { page, limit throws(SyncError) in
                try await call { station in
                    try await store.snapshot(for: station, token: page.flatMap(SnapshotToken.init(text:)), limit: limit)
                }
            },
            whoami: { () throws(SyncError) in
                try await call { WhoAmIResponse(station: $0.id, name: $0.name, org: $0.org, site: $0.site, schema: "county-work/1", protocol: 1) }
            },
            digest: { () throws(SyncError) in try await call { try await store.digest(for: $0) } },
            schema: { version throws(SyncError) in
                try await call { _ in
                    let history = try await store.schemas()
                    guard let found = version.map({ version in history.first { $0.version == version } }) ?? history.last else {
                        throw SyncError(.notFound, "no such schema version")
                    }
                    return found
                }
            })
    }
}
