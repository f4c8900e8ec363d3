import FaultProxy
import Foundation
import TributaryTestSupport
import Synchronization

/// One station of the soak: a replica file driven through the real `tributary` executable,
/// talking to the hub through its own fault-injecting proxy.
final class StationNode: Sendable {
    let index: Int
    let name: String
    /// The org unit the station is bound to.
    let org: String
    /// Its township, `nil` for the county station.
    let township: String?
    let database: String
    let proxy: FlakyProxy
    /// The proxy's port.
    let port: Int
    private let tools: Tools
    /// Whether the next process of this station is to be killed.
    let killPending = Atomic<Bool>(false)
    private let siteID = Mutex<Int64>(0)

    init(index: Int, org: String, township: String?, database: String, proxy: FlakyProxy, port: Int, tools: Tools) {
        self.index = index
        self.name = "s\(index)-\(org)"
        self.org = org
        self.township = township
        self.database = database
        self.proxy = proxy
        self.port = port
        self.tools = tools
    }

    /// The station's site id as `log.site` stores it.
    var site: Int64 { siteID.withLock { $0 } }

    /// Creates the replica, bound to the hub (through the proxy) with `token`.
    func create(token: String) async throws {
        let exit = try await tools.ok(
            "tributary",
            ["init", "--db", database, "--org", org, "--name", name, "--hub", "http://127.0.0.1:\(port)", "--token", token, "--json"])
        guard let hex = ((try? exit.json()) as? [String: Any])?["site"] as? String, let site = UInt64(hex, radix: 16) else {
            throw SoakFailure("\(name): init printed no site: \(exit.stdout)")
        }
        siteID.withLock { $0 = Int64(bitPattern: site) }
    }

    /// Runs `tributary --db <file> ARGS…`; with `killAfter`, sends SIGKILL that many
    /// milliseconds in (if it still runs). Returns the exit and whether the kill landed.
    func run(_ args: [String], killAfter: Int? = nil) async throws -> (exit: ToolResult, killed: Bool) {
        let process = try tools.start("tributary", ["--db", database] + args)
        guard let killAfter else { return (await process.wait(), false) }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await Task.sleep(for: .milliseconds(killAfter))
                return Task.isCancelled ? false : process.kill9()
            }
            let exit = await process.wait()
            group.cancelAll()
            let delivered = await group.next() ?? false
            return (exit, delivered && exit.killedBySignal)
        }
    }

    /// Syncs with a clean link until a round completes (exit 0, or 6 when the hub refused
    /// some changes — kept and listed), at most `attempts` times.
    func settle(attempts: Int = 6) async throws -> Int {
        var last: ToolResult?
        for attempt in 1...attempts {
            let (exit, _) = try await run(["sync", "--json", "--timeout", "20"])
            if !exit.killedBySignal && (exit.status == 0 || exit.status == 6) { return attempt }
            last = exit
            try await Task.sleep(for: .milliseconds(200))
        }
        throw SoakFailure("\(name): no clean sync through \(proxy.upstream.absoluteString) in \(attempts) attempts; last exit \(last?.status ?? -1): \(last?.firstErrorLine ?? "")")
    }
}
