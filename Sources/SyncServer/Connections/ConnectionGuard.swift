import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Sits in every connection's pipeline between the HTTP codec and Hummingbird (one per
/// connection): counts the connection against its address's cap, and closes it when its
/// client runs out of time — header, idle or body deadline (``ConnectionDeadlines``). It also
/// closes a connection whose client shuts its side while a request is in progress, so that the
/// request's waits for a turn end at once (``SyncAdmission``).
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private var deadlines: ConnectionDeadlines?
    private var address = "unknown"
    private var counted = false
    private var timer: Scheduled<Void>?
    private var timerAt: NIODeadline?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = NIODeadline.now()
        switch unwrapInboundIn(data) {
        case .head: deadlines?.headReceived(at: now)
        case .body(let buffer): deadlines?.bodyReceived(buffer.readableBytes)
        case .end: deadlines?.requestEnded(at: now)
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        deadlines?.bytesArrived(at: .now())
        schedule(context)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        deadlines?.readRequested(at: .now())
        schedule(context)
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            deadlines?.responseEnded(at: .now())
            schedule(context)
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, let deadlines, deadlines.open > 0 || deadlines.reading {
            // The client has gone (HTTP/1.1 clients do not half-close and wait for an answer).
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard deadlines == nil else { return }
        address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        deadlines = ConnectionDeadlines(settings: limits.deadlines, openedAt: .now())
        guard limits.opened(address) else {
            context.close(promise: nil)
            return
        }
        counted = true
        schedule(context)
    }

    private func stop() {
        timer?.cancel()
        timer = nil
        timerAt = nil
        if counted { limits.closed(address) }
        counted = false
    }

    /// Makes sure a timer fires at the current deadline (a later one is moved earlier; one
    /// that fires early finds no expiry and sets the next).
    private func schedule(_ context: ChannelHandlerContext) {
        guard counted, let deadline = deadlines?.deadline?.at else { return }
        if let timerAt, timerAt <= deadline { return }
        timer?.cancel()
        timerAt = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerAt = nil
            check(context)
        }
    }

    private func check(_ context: ChannelHandlerContext) {
        guard counted, let deadlines else { return }
        if let limit = deadlines.expired(at: .now()) {
            limits.expired(limit, address: address)
            context.close(promise: nil)
        } else {
            schedule(context)
        }
    }
}
