import NIOCore

/// The connection a request came on, to learn when its client has gone away: the connection
/// closes when the client closes it, or shuts its side while a request is in progress
/// (``ConnectionGuard``), or runs out of time.
struct ClientConnection: Sendable {
    /// Completed once the connection is closed.
    let closed: EventLoopFuture<Void>

    /// Runs `action` once the connection is closed (at once if it already is).
    func whenClosed(_ action: @escaping @Sendable () -> Void) {
        closed.whenComplete { _ in action() }
    }
}
