import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SyncServer

/// `tributary-hub serve`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve protocol v1 to stations until SIGTERM or SIGINT.",
        discussion: """
            Prints `listening on http://HOST:PORT` once the port is bound (with --port 0, a free port).
            Example:
              tributary-hub --db hub.db serve --host 0.0.0.0 --port 8080
            """)

    @OptionGroup var hub: HubOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port; 0 picks a free one.")
    var port = 8080

    @Option(help: "The largest request body in bytes.")
    var maxBody = 32 * 1024 * 1024

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func run() async throws {
        var logger = Logger(label: "tributary-hub")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let configuration = HubConfiguration(host: host, port: port, dbPath: hub.path, maxBodyBytes: maxBody)
        let host = self.host
        let app = try await buildApplication(configuration: configuration, logger: logger) { port in
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
        try await app.runService()
    }
}
