import Foundation
import TributaryTestSupport

/// A certificate authority and a server certificate for 127.0.0.1 made with `openssl` in a
/// temporary directory, standing for a county's own CA and its hub's certificate.
struct TestCertificates {
    /// The CA's certificate (PEM): what a station is given with `--ca`.
    let authority: String
    /// The server's certificate (PEM), signed by the CA, for IP 127.0.0.1 and localhost.
    let certificate: String
    /// The server's private key (PEM).
    let key: String

    /// Makes the three files in `directory`.
    init(in directory: TemporaryDirectory) throws {
        authority = directory.path("county-ca.pem")
        certificate = directory.path("fullchain.pem")
        key = directory.path("privkey.pem")
        let caKey = directory.path("county-ca.key")
        let request = directory.path("server.csr")
        let extensions = directory.path("server.ext")
        try """
            basicConstraints=CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=serverAuth
            subjectAltName=IP:127.0.0.1,DNS:localhost

            """.write(toFile: extensions, atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.openssl(
            ["req", "-x509"] + ec + [
                "-keyout", caKey, "-out", authority, "-days", "2", "-subj", "/CN=Tributary Test County CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        try Self.openssl(["req"] + ec + ["-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1"])
        try Self.openssl([
            "x509", "-req", "-in", request, "-CA", authority, "-CAkey", caKey, "-CAcreateserial", "-out", certificate, "-days", "2",
            "-extfile", extensions,
        ])
    }

    /// Whether `openssl` is installed.
    static var available: Bool { ExternalTool.find("openssl") != nil }

    private static func openssl(_ arguments: [String]) throws {
        guard let openssl = ExternalTool.find("openssl") else { throw CLIRunner.Failure("openssl is not installed") }
        let result = try ExternalTool.run(openssl, arguments)
        guard result.status == 0 else { throw CLIRunner.Failure("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(result.stderr)") }
    }
}

/// A program of the system (nginx, openssl, curl), found on PATH or in the sbin folders.
enum ExternalTool {
    /// The path of `name`, or `nil` when it is not installed.
    static func find(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/local/sbin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` to completion and returns what it printed.
    static func run(_ tool: String, _ arguments: [String], env: [String: String] = [:]) throws -> ToolResult {
        let scratch = TemporaryDirectory("tool")
        let (out, err) = (scratch.path("stdout"), scratch.path("stderr"))
        for file in [out, err] { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let (outHandle, errHandle) = (try FileHandle(forWritingTo: URL(fileURLWithPath: out)), try FileHandle(forWritingTo: URL(fileURLWithPath: err)))
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        return ToolResult(
            status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
