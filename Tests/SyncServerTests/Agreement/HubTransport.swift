import SyncClient
import SyncModel
import SyncServer
import TributaryTestSupport

/// An in-process transport wired straight to a hub store as one station: every call
/// authenticates the token first, as the HTTP layer does, and pushes are checked against the
/// hub's wall clock with the default drift, as `SyncController` does. Errors reach the
/// station as the codes the HTTP transport would give it.
enum HubTransport {
    static func make(hub: any HubStore, token: String, hubClock: TestClock) -> InProcessTransport {
        InProcessTransport(
            push: { request throws(SyncError) in
                try await answer {
                    let station = try await hub.authenticate(token: token)
                    return try await hub.push(request.changes, from: station, context: ValidationContext(wallMillis: hubClock.now))
                }
            },
            pull: { cursor, limit throws(SyncError) in
                try await answer { try await hub.pull(for: try await hub.authenticate(token: token), after: cursor, limit: limit) }
            },
            snapshot: { page, limit throws(SyncError) in
                try await answer {
                    var pageToken: SnapshotToken?
                    if let page {
                        guard let parsed = SnapshotToken(text: page) else {
                            throw SyncError(.badCursor, "the snapshot page token was not issued by this hub; start the snapshot again")
                        }
                        pageToken = parsed
                    }
                    let station = try await hub.authenticate(token: token)
                    return try await hub.snapshot(for: station, token: pageToken, limit: limit)
                }
            },
            whoami: { () throws(SyncError) in
                try await answer {
                    let station = try await hub.authenticate(token: token)
                    return WhoAmIResponse(
                        station: station.id, name: station.name, org: station.org, site: station.site,
                        schema: WireProtocol.schemaTag(hub.schema), protocol: WireProtocol.version)
                }
            },
            digest: { () throws(SyncError) in
                try await answer { try await hub.digest(for: try await hub.authenticate(token: token)) }
            })
    }

    /// Runs a hub call and turns what it throws into the ``SyncError`` a station would get.
    static func answer<T>(_ body: () async throws -> T) async throws(SyncError) -> T {
        do {
            return try await body()
        } catch let error as SyncError {
            throw error
        } catch let error as HubError {
            throw SyncError(error.body.error.code, error.body.error.message)
        } catch {
            throw SyncError(.internalError, "hub: \(error)")
        }
    }
}
