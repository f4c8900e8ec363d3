import NIOCore

/// When a client has taken too long (SPEC §10 "Connections"): the bookkeeping of one HTTP/1.1
/// connection, fed with what the ``ConnectionGuard`` sees, and asked for the next deadline.
///
/// - **Header:** a request's head (request line and headers) must be complete within
///   `header` of the connection's opening, or of the first byte of a later request.
/// - **Idle:** between requests a connection may stay open `idle` (keep-alive).
/// - **Body:** a body may take `bodyGrace`, and longer only while it keeps up an average of
///   `minBodyRate` bytes per second: the hub has waited too long once the time it spent
///   waiting for the body's bytes exceeds max(`bodyGrace`, bytes received ÷ `minBodyRate`).
///   Only time the hub asked for bytes counts: a body left unread while its request waits its
///   turn (the hub stops reading; TCP holds the client back) is not the client's slowness.
/// - While the hub works on a request (its body read, its answer not yet sent) nothing runs out.
struct ConnectionDeadlines {
    /// The limits; every field has the hub's default.
    struct Settings: Sendable {
        var header: TimeAmount = .seconds(10)
        var idle: TimeAmount = .seconds(30)
        var bodyGrace: TimeAmount = .seconds(30)
        /// Bytes per second.
        var minBodyRate: Int = 8 * 1024
    }

    /// The limit a connection ran out of, as metrics and logs name it.
    enum Limit: String, Sendable {
        case header = "header_timeout"
        case idle = "idle_timeout"
        case body = "body_timeout"
    }

    let settings: Settings
    /// Requests whose head came and whose answer has not ended.
    private(set) var open = 0
    /// Whether a request's body is still coming.
    private(set) var reading = false
    /// Since when the next request's head is awaited with bytes of it (or since the opening).
    private var headSince: NIODeadline?
    /// Since when the connection is idle between requests.
    private var idleSince: NIODeadline?
    /// Since when the hub has asked for body bytes that have not come.
    private var waitingSince: NIODeadline?
    /// The time the hub has waited for the current body's bytes, not counting `waitingSince`.
    private var waited: TimeAmount = .zero
    /// Body bytes of the current request received so far.
    private var received = 0
    /// Whether a request ended in the read now being delivered (its bytes are not a new head).
    private var endedInThisRead = false

    /// A connection opened at `now`: its first head is due within the header limit.
    init(settings: Settings, openedAt now: NIODeadline) {
        self.settings = settings
        self.headSince = now
    }

    /// The hub asked the socket for more bytes.
    mutating func readRequested(at now: NIODeadline) {
        if reading && waitingSince == nil { waitingSince = now }
    }

    /// Bytes came (the end of a read from the socket).
    mutating func bytesArrived(at now: NIODeadline) {
        if reading {
            if let since = waitingSince { waited = waited + (now - since) }
            waitingSince = nil
        } else if !endedInThisRead && headSince == nil {
            headSince = now
            idleSince = nil
        }
        endedInThisRead = false
    }

    /// A request's head is complete.
    mutating func headReceived(at now: NIODeadline) {
        open += 1
        reading = true
        headSince = nil
        idleSince = nil
        waitingSince = nil
        waited = .zero
        received = 0
    }

    /// `count` body bytes of the current request came.
    mutating func bodyReceived(_ count: Int) {
        received += count
    }

    /// The current request's body is complete.
    mutating func requestEnded(at now: NIODeadline) {
        reading = false
        waitingSince = nil
        endedInThisRead = true
        if open == 0 { idleSince = now }
    }

    /// An answer has been written whole.
    mutating func responseEnded(at now: NIODeadline) {
        open = max(0, open - 1)
        if open == 0 && !reading && headSince == nil { idleSince = now }
    }

    /// The moment the connection runs out of time if nothing happens, and which limit that is.
    var deadline: (at: NIODeadline, limit: Limit)? {
        if reading {
            guard let since = waitingSince else { return nil }
            let earned = TimeAmount.nanoseconds(Int64((Double(received) / Double(max(1, settings.minBodyRate)) * 1e9).rounded()))
            let allowance = max(settings.bodyGrace, earned)
            return (since + (allowance - waited), .body)
        }
        guard open == 0 else { return nil }
        if let since = headSince { return (since + settings.header, .header) }
        if let since = idleSince { return (since + settings.idle, .idle) }
        return nil
    }

    /// The limit the connection has run out of at `now`, if any.
    func expired(at now: NIODeadline) -> Limit? {
        guard let deadline, now >= deadline.at else { return nil }
        return deadline.limit
    }
}
