import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SyncModel
import Testing
import TributaryTestSupport

/// `/healthz` and `/metrics` say whether the hub can store pushes: a real hub process whose
/// file sits on a volume that turns read-only (SPEC §10 Operations, §16).
@Suite("Hub health (processes)", .serialized)
struct HubHealthTests {
    /// GET `url`: the status and the body.
    static func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test(
        "a hub whose database cannot be written answers /healthz 503 degraded read_only and sets tributary_store_writable 0",
        .enabled(if: ScratchVolume.canMount, "needs to mount a tmpfs: \(ScratchVolume.unavailableReason ?? "")"))
    func readOnlyStoreIsDegraded() async throws {
        // Given a hub on a writable volume
        let volume = try ScratchVolume(size: 16 << 20)
        let logs = TemporaryDirectory("health-log")
        let hub = try HubProcess(database: volume.path("hub.db"), logPath: logs.path("hub.log"))
        try hub.start()
        defer { hub.stop() }

        // Then it is healthy, says its version, and its store is writable
        let (okStatus, okBody) = try await Self.get(hub.url + "/healthz")
        #expect(okStatus == 200, "\(okBody)")
        let ok = try JSONDecoder().decode(HealthResponse.self, from: Data(okBody.utf8))
        #expect(ok.status == "ok" && ok.version == SoftwareVersion.current && ok.reason == nil)
        let (_, metrics) = try await Self.get(hub.url + "/metrics")
        #expect(metrics.contains("tributary_store_writable 1"), "\(metrics.prefix(2_000))")
        #expect(metrics.contains(#"tributary_build_info{version="\#(SoftwareVersion.current)"} 1"#))

        // When the hub restarts on the volume made read-only (pushes would be refused read_only)
        hub.stop()
        try volume.remountReadOnly()
        try hub.start()

        // Then /healthz is 503 degraded with the reason, and the gauge is 0
        let (status, body) = try await Self.get(hub.url + "/healthz")
        #expect(status == 503, "\(body)")
        let degraded = try JSONDecoder().decode(HealthResponse.self, from: Data(body.utf8))
        #expect(degraded.status == "degraded" && degraded.reason == .readOnly, "\(body)")
        #expect(degraded.message?.contains("cannot be written") == true)
        let (_, after) = try await Self.get(hub.url + "/metrics")
        #expect(after.contains("tributary_store_writable 0"), "\(after.prefix(2_000))")

        // When the volume is writable again and the hub restarted / Then it is healthy again
        hub.stop()
        try volume.remountWritable()
        try hub.start()
        #expect(try await Self.get(hub.url + "/healthz").0 == 200)
    }
}
