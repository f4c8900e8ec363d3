import AsyncHTTPClient
import NIOCore
import NIOPosix
import Synchronization

/// The HTTP clients of the process, one per timeout, made on first use and kept for the
/// life of the process (an AsyncHTTPClient client must otherwise be shut down explicitly;
/// these are never, like `HTTPClient.shared`). A handful at most: every transport of a
/// `tributary` run uses the same timeout.
enum TransportClients {
    private static let clients = Mutex<[Int64: HTTPClient]>([:])

    /// The client whose connect and read timeouts are `timeout` seconds.
    static func client(timeout: Double) -> HTTPClient {
        let millis = Int64(max(0.001, timeout) * 1_000)
        return clients.withLock { clients in
            if let client = clients[millis] { return client }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .milliseconds(millis), read: .milliseconds(millis)))
            // A station is told at once that its hub cannot be reached: the transport retries
            // with its own backoff and jitter (RetryPolicy), the sync loop with its own.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.connectionPool.idleTimeout = .seconds(30)
            let client = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton), configuration: configuration)
            clients[millis] = client
            return client
        }
    }
}
