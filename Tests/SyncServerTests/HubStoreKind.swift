import Foundation
import SyncModel
import SyncServer
import Testing
import TributaryTestSupport

/// Which store a conformance test's hub runs on. Suites run the same test code on each
/// (`@Test(arguments: HubStoreKind.all)`).
enum HubStoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when the test cluster runs (and always in CI, where a
    /// missing server fails the PostgreSQL cases instead of skipping them).
    static let all: [HubStoreKind] = {
        if PostgresTestServer.shouldRun { return [.sqlite, .postgres] }
        FileHandle.standardError.write(Data("PostgreSQL cases skipped: \(PostgresTestServer.unavailableReason ?? "")\n".utf8))
        return [.sqlite]
    }()

    /// Only PostgreSQL (for suites about several hub processes), when it runs.
    static let postgresOnly: [HubStoreKind] = all.filter { $0 == .postgres }

    var testDescription: String { rawValue }

    /// Opens a fresh hub store of this kind (a file in `directory`, or a new database).
    func open(in directory: TemporaryDirectory, schema: Schema, wallClock: WallClock) async throws -> any HubStore {
        switch self {
        case .sqlite:
            return try SQLiteHubStore.open(path: directory.path("hub.db"), schema: schema, wallClock: wallClock)
        case .postgres:
            let url = try await PostgresTestServer.require().newDatabaseOffPool()
            return try await PostgresHubStore.open(try PostgresLocation(url: url), schema: schema, wallClock: wallClock)
        }
    }
}
