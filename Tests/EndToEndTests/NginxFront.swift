import Foundation
import TributaryTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real nginx (Debian's `nginx-light`) running the shipped `Scripts/deploy/nginx-tributary.conf`
/// in front of a hub, as a child process with its pid, logs and temporary files in a temp dir.
/// Only paths, ports (on loopback) and the upstream's port are substituted; every directive
/// of the shipped file is kept.
final class NginxFront {
    /// The shipped configuration.
    static let shipped = CLIRunner.root.appendingPathComponent("Scripts/deploy/nginx-tributary.conf").path
    /// The shipped configuration for three hub processes on PostgreSQL (ports 8081–8083).
    static let shippedUpstream = CLIRunner.root.appendingPathComponent("Scripts/deploy/nginx-tributary-upstream.conf").path

    /// Why nginx tests cannot run here (`nil` when nginx and openssl are installed).
    static var missing: String? {
        if ExternalTool.find("nginx") == nil { return "nginx is not installed (apt-get install nginx-light)" }
        if !TestCertificates.available { return "openssl is not installed (apt-get install openssl)" }
        return nil
    }

    /// Whether the tests run: when nginx is there, and always under CI (where they then fail).
    static var shouldRun: Bool { missing == nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// `https://127.0.0.1:PORT`.
    let url: String
    /// The TLS port.
    let tlsPort: Int
    /// The plain-HTTP port (the redirect to HTTPS).
    let httpPort: Int
    /// The configuration nginx runs (the main file including the rendered shipped one).
    let mainConfiguration: String
    private let directory: TemporaryDirectory
    private let nginx: String
    private var process: Process?

    /// Renders the shipped configuration for a hub on `hubPort`, with `certificates`.
    convenience init(hubPort: Int, certificates: TestCertificates, directory: TemporaryDirectory) throws {
        try self.init(file: Self.shipped, hubPorts: [8080: hubPort], certificates: certificates, directory: directory)
    }

    /// Renders the shipped configuration `file`, its upstream servers on the ports `hubPorts`
    /// maps them to, with `certificates`.
    init(file: String, hubPorts: [Int: Int], certificates: TestCertificates, directory: TemporaryDirectory) throws {
        if let missing = Self.missing { throw CLIRunner.Failure(missing) }
        self.directory = directory
        nginx = ExternalTool.find("nginx")!
        tlsPort = try Self.freePort()
        httpPort = try Self.freePort()
        url = "https://127.0.0.1:\(tlsPort)"
        let rendered = try Self.render(
            try String(contentsOfFile: file, encoding: .utf8), hubPorts: hubPorts, httpPort: httpPort, tlsPort: tlsPort,
            certificates: certificates)
        let site = directory.path("tributary.conf")
        try rendered.write(toFile: site, atomically: true, encoding: .utf8)
        for folder in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            try FileManager.default.createDirectory(atPath: directory.path(folder), withIntermediateDirectories: true)
        }
        mainConfiguration = directory.path("nginx.conf")
        try """
            # What Debian's /etc/nginx/nginx.conf gives conf.d files, with this test's own paths.
            # A master process (not `master_process off`): only it unblocks the signals that the
            # test's threads block and the child inherits, so SIGTERM stops it.
            daemon off;
            worker_processes 1;
            pid \(directory.path("nginx.pid"));
            error_log \(directory.path("error.log")) warn;
            events { worker_connections 512; }
            http {
                access_log \(directory.path("access.log"));
                client_body_temp_path \(directory.path("client_body"));
                proxy_temp_path \(directory.path("proxy"));
                fastcgi_temp_path \(directory.path("fastcgi"));
                uwsgi_temp_path \(directory.path("uwsgi"));
                scgi_temp_path \(directory.path("scgi"));
                include \(site);
            }

            """.write(toFile: mainConfiguration, atomically: true, encoding: .utf8)
    }

    /// The shipped file with test paths and loopback ports.
    static func render(_ text: String, hubPorts: [Int: Int], httpPort: Int, tlsPort: Int, certificates: TestCertificates) throws -> String {
        let ipv6 = (try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8))?.contains("00000000000000000000000000000001") ?? false
        var substitutions = hubPorts.sorted { $0.key < $1.key }.map { shipped, test in
            ("server 127.0.0.1:\(shipped)", "server 127.0.0.1:\(test)")
        }
        substitutions += [
            ("listen 80;", "listen 127.0.0.1:\(httpPort);"),
            ("listen 443 ssl http2;", "listen 127.0.0.1:\(tlsPort) ssl http2;"),
            ("/etc/letsencrypt/live/hub.example.gov.cn/fullchain.pem", certificates.certificate),
            ("/etc/letsencrypt/live/hub.example.gov.cn/privkey.pem", certificates.key),
        ]
        // A machine without IPv6 loopback cannot bind [::1]; those two lines go only there.
        substitutions += ipv6
            ? [("listen [::]:80;", "listen [::1]:\(httpPort);"), ("listen [::]:443 ssl http2;", "listen [::1]:\(tlsPort) ssl http2;")]
            : [("listen [::]:80;", ""), ("listen [::]:443 ssl http2;", "")]
        var rendered = text
        for (shipped, test) in substitutions {
            guard rendered.contains(shipped) else { throw CLIRunner.Failure("the shipped nginx file no longer has \"\(shipped)\"") }
            rendered = rendered.replacingOccurrences(of: shipped, with: test)
        }
        return rendered
    }

    /// `nginx -t` on the rendered configuration.
    func check() throws -> ToolResult {
        try ExternalTool.run(nginx, ["-t", "-p", directory.url.path, "-e", directory.path("error.log"), "-c", mainConfiguration])
    }

    /// Starts nginx and waits until it accepts TLS connections.
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", directory.url.path, "-e", directory.path("error.log"), "-c", mainConfiguration]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<500 {
            if Self.accepts(port: tlsPort) { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw CLIRunner.Failure("nginx did not start: \(log())")
    }

    /// Stops nginx (SIGTERM: fast shutdown) and waits for it.
    func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// nginx's error log.
    func log() -> String { (try? String(contentsOfFile: directory.path("error.log"), encoding: .utf8)) ?? "" }

    deinit { stop() }

    /// A TCP port free on 127.0.0.1 now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CLIRunner.Failure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
