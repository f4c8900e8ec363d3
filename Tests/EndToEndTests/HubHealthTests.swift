import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SyncModel
import Testing
import TributaryTestSupport

/// `/healthz` and `/metrics` say whether the hub can store pushes: a real hub process whose
/// file sits on a volume that turns read-only (SPEC §10 Operations, §16).
@Suite("Hub health (processes)", .serialized)
struct HubHealthTests {
    /// GET `url` (plain HTTP on loopback, `Connection: close`): the status and the body.
    static func get(_ url: String) async throws -> (Int, String) {
        let target = try #require(URL(string: url))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(target.port ?? 80).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CLIRunner.Failure("cannot connect to \(url)") }
        let request = Array("GET \(target.path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            answer += buffer[0..<count]
        }
        let text = String(decoding: answer, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body)
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
