import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import SyncModel
import SyncServer
import SyncStore
import Testing

/// The real server on 127.0.0.1 with several stations pushing at once over real HTTP.
@Suite struct LiveConcurrencyTests {
    /// Sends one request with URLSession and returns the status and body.
    static func send(_ url: URL, method: String, headers: [String: String], body: Data? = nil) async throws -> (Int, Data) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    @Test(arguments: HubStoreKind.all) func concurrentPushesAreAppliedExactlyOnce(_ kind: HubStoreKind) async throws {
        // Given four stations, each with 60 members (180 changes) in its own unit
        let hub = try await HubFixture(kind)
        let plan = [("t1", "yc-t01-c02"), ("t2", "yc-t02-c01"), ("c01", "yc-t01-c01"), ("county", "yc")]
        var outboxes: [String: [Change]] = [:]
        for (station, unit) in plan {
            let replica = try hub.replica(station)
            for index in 0..<60 { try replica.writeLocal(memberEdits("m-\(station)-\(index)", unit: unit)) }
            outboxes[station] = try replica.outbox()
        }
        let before = try await hub.logCount()
        let batches = outboxes
        try await hub.application().test(.live) { client in
            let base = URL(string: "http://127.0.0.1:\(client.port!)")!
            // When every station pushes batches of 30, each batch twice, all stations at once
            try await withThrowingTaskGroup(of: (String, Int, Int).self) { group in
                for (station, _) in plan {
                    let changes = batches[station]!
                    var headers = ["Tributary-Protocol": "1", "Tributary-Schema": "county-work/1", "Content-Type": "application/json"]
                    headers["Authorization"] = "Bearer \(hub.tokens[station]!)"
                    group.addTask {
                        var applied = 0
                        var duplicates = 0
                        for start in stride(from: 0, to: changes.count, by: 30) {
                            let body = try JSONEncoder().encode(PushRequest(changes: Array(changes[start..<min(start + 30, changes.count)])))
                            for _ in 0..<2 {
                                let (status, data) = try await Self.send(base.appendingPathComponent("v1/push"), method: "POST", headers: headers, body: body)
                                #expect(status == 200)
                                expectConforms(data, "PushResponse")
                                let response = try JSONDecoder().decode(PushResponse.self, from: data)
                                applied += response.applied
                                duplicates += response.duplicates
                            }
                        }
                        return (station, applied, duplicates)
                    }
                }
                // Then each station's changes were applied once and recognised once as duplicates
                for try await (station, applied, duplicates) in group {
                    #expect(applied == 180, "\(station)")
                    #expect(duplicates == 180, "\(station)")
                }
            }
            // And the hub's log holds each change exactly once, every station acknowledged to 180
            #expect(try await hub.logCount() == before + 4 * 180)
            #expect(try await hub.store.stations().filter { $0.name != "county2" }.allSatisfy { $0.acked == 180 })
            // And a pull by t2 over HTTP sees only its own township's and the county's members
            var headers = ["Tributary-Protocol": "1", "Tributary-Schema": "county-work/1"]
            headers["Authorization"] = "Bearer \(hub.tokens["county2"]!)"
            let (status, data) = try await Self.send(
                URL(string: "\(base.absoluteString)/v1/pull?cursor=\(before)&limit=20000")!, method: "GET", headers: headers)
            #expect(status == 200)
            let pull = try JSONDecoder().decode(PullResponse.self, from: data)
            #expect(pull.changes.count == 4 * 180 && !pull.more)
        }
    }
}
