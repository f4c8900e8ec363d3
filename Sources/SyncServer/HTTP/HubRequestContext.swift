public import Hummingbird
import NIOCore
import SyncModel

/// The request context of the hub: Hummingbird's core storage and, once the protocol
/// middleware has checked the token, the calling station.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated station (on `/v1` routes).
    public var station: HubStation?
    /// The peer's IP address (the failed-authentication limit's key).
    var clientAddress: String?
    /// The connection the request came on, to learn when its client goes away.
    var connection: ClientConnection?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.station = nil
        self.clientAddress = source.channel.remoteAddress?.ipAddress
        self.connection = ClientConnection(closed: source.channel.closeFuture)
    }

    /// The authenticated station, or an `unauthorized` error if the middleware did not run.
    func requireStation() throws -> HubStation {
        guard let station else { throw HubError(.unauthorized, .unauthorized, "this route needs a station token") }
        return station
    }
}
