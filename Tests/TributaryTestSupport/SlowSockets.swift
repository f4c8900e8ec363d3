import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Many raw connections to a hub on loopback that misbehave slowly: each sends `opening`, then
/// one byte of `drip` every `interval`, until the hub closes it or `giveUp` passes. The
/// sockets are driven by a thread of their own (blocking I/O never runs on the concurrency
/// pool the hub uses); ``closedByHub`` counts those the hub closed so far.
public final class SlowSockets: Sendable {
    private let fds: [Int32]
    private let closed = Mutex(0)
    private let stopping = Mutex(false)
    private let outcome = Mutex<(finished: Int?, waiter: CheckedContinuation<Int, Never>?)>((nil, nil))

    /// Connects `count` sockets to `port` (those the hub refuses at once are counted as closed).
    public init(port: Int, count: Int, opening: [UInt8], drip: UInt8, interval: Duration = .milliseconds(500), giveUp: Duration = .seconds(60)) {
        fds = (0..<count).map { _ in Self.connect(port: port) }
        let fds = self.fds
        for fd in fds where fd >= 0 { _ = Self.send(fd, opening) }
        let thread = Thread { [self] in run(fds, drip: drip, interval: interval, giveUp: giveUp) }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// How many connections the hub has closed so far.
    public var closedByHub: Int { closed.withLock { $0 } }

    /// Closes every connection still open (within one `interval`) and returns how many the hub closed.
    public func stop() async -> Int {
        stopping.withLock { $0 = true }
        return await ended()
    }

    /// Whether the sockets are still at it (neither all closed nor given up).
    public var trickling: Bool { outcome.withLock { $0.finished == nil } }

    /// Raises this process's open-file limit to at least `count` (up to the hard limit), for
    /// tests that hold hundreds of connections at both ends.
    public static func allowOpenFiles(_ count: Int) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(count) else { return }
        limit.rlim_cur = min(rlim_t(count), limit.rlim_max)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Waits until every connection is closed or the sockets gave up; returns how many the hub closed.
    public func ended() async -> Int {
        await withCheckedContinuation { continuation in
            let result = outcome.withLock { state -> Int? in
                if let finished = state.finished { return finished }
                state.waiter = continuation
                return nil
            }
            if let result { continuation.resume(returning: result) }
        }
    }

    private func run(_ fds: [Int32], drip: UInt8, interval: Duration, giveUp: Duration) {
        var open = Set(fds.filter { $0 >= 0 })
        closed.withLock { $0 = fds.count - open.count }
        let end = ContinuousClock.now + giveUp
        let millis = Int32(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        while !open.isEmpty && ContinuousClock.now < end && !stopping.withLock({ $0 }) {
            var polls = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&polls, nfds_t(polls.count), millis)
            for entry in polls where entry.revents != 0 && Self.hungUp(entry.fd) {
                open.remove(entry.fd)
                closed.withLock { $0 += 1 }
            }
            for fd in open where !Self.send(fd, [drip]) {
                open.remove(fd)
                closed.withLock { $0 += 1 }
            }
        }
        for fd in fds where fd >= 0 { Glibc.close(fd) }
        let count = closed.withLock { $0 }
        let waiter = outcome.withLock { state -> CheckedContinuation<Int, Never>? in
            state.finished = count
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: count)
    }

    /// Whether the peer closed `fd` (end of stream or reset); answers it sent are read and dropped.
    static func hungUp(_ fd: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 { return true }
            if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        }
    }

    /// Sends without blocking; `false` when the connection is gone.
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        return count >= 0 || errno == EAGAIN || errno == EWOULDBLOCK
    }

    /// A connected socket to 127.0.0.1:`port`, or -1.
    static func connect(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return -1
        }
        return fd
    }
}
