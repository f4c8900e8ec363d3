import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 client over a plain socket, for requests no well-behaved client sends:
/// invalid UTF-8, lying `Content-Length`, truncated or huge bodies. Each exchange opens a
/// connection, sends `Connection: close`, and reads the answer until the hub closes it.
/// Blocking I/O runs on a thread of its own, never on the concurrency pool the hub uses.
enum RawHTTP {
    struct Response: Sendable {
        /// 0 when no status line came back.
        var status: Int
        var headers: [String: String]
        var body: Data
        /// Request bytes written before the hub answered or closed.
        var sent: Int

        /// The header `name` (case-insensitive).
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// Sends `head` (request line and headers, without the blank line; `Connection: close` is
    /// added) and `body`; with `repeatBody`, `body` is sent that many times (for huge bodies,
    /// stopping as soon as the hub answers).
    static func send(
        port: Int, head: String, body: [UInt8] = [], repeatBody: Int = 1, halfClose: Bool = false, timeout: Double = 20
    ) async -> Response {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    returning: exchange(port: port, head: head, body: body, repeatBody: repeatBody, halfClose: halfClose, timeout: timeout))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// A request head with the usual station headers.
    static func head(
        _ method: String, _ target: String, token: String?, contentLength: Int? = nil, extra: [String] = [],
        protocolVersion: String = "1", schema: String = "county-work/1"
    ) -> String {
        var lines = ["\(method) \(target) HTTP/1.1", "Host: 127.0.0.1", "Tributary-Protocol: \(protocolVersion)", "Tributary-Schema: \(schema)"]
        if let token { lines.append("Authorization: Bearer \(token)") }
        if let contentLength { lines.append("Content-Type: application/json"); lines.append("Content-Length: \(contentLength)") }
        return (lines + extra).joined(separator: "\r\n")
    }

    private static func exchange(port: Int, head: String, body: [UInt8], repeatBody: Int, halfClose: Bool, timeout: Double) -> Response {
        let failed = Response(status: 0, headers: [:], body: Data(), sent: 0)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return failed }
        defer { close(fd) }
        var time = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return failed }
        var sent = 0
        let start = Array((head + "\r\nConnection: close\r\n\r\n").utf8)
        guard write(fd, start, &sent) else { return read(fd, sent: sent) }
        for _ in 0..<repeatBody {
            // A huge body stops as soon as the hub answers (it may stop reading after its 413).
            guard write(fd, body, &sent, watch: repeatBody > 1) else { break }
        }
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        return read(fd, sent: sent)
    }

    /// Writes `bytes`; with `watch`, never blocks and gives up as soon as the hub has
    /// something to say (`false`).
    private static func write(_ fd: Int32, _ bytes: [UInt8], _ sent: inout Int, watch: Bool = false) -> Bool {
        var offset = 0
        while offset < bytes.count {
            if watch {
                var poller = pollfd(fd: fd, events: Int16(POLLIN | POLLOUT), revents: 0)
                guard poll(&poller, 1, 20_000) > 0, poller.revents & Int16(POLLIN) == 0, poller.revents & Int16(POLLOUT) != 0 else { return false }
            }
            let flags = Int32(MSG_NOSIGNAL) | (watch ? Int32(MSG_DONTWAIT) : 0)
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, flags) }
            if count < 0 && watch && errno == EAGAIN { continue }
            guard count > 0 else { return false }
            offset += count
            sent += count
        }
        return true
    }

    private static func read(_ fd: Int32, sent: Int) -> Response {
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            data += chunk[0..<count]
            if complete(data) { break }  // a hub that answered before reading the whole body may wait for us to close
        }
        return parse(data, sent: sent)
    }

    /// Whether `data` holds a whole answer with a `Content-Length`.
    private static func complete(_ data: [UInt8]) -> Bool {
        let answer = parse(data, sent: 0)
        guard answer.status != 0, let length = answer.header("content-length").flatMap({ Int($0) }) else { return false }
        return answer.body.count >= length
    }

    static func parse(_ data: [UInt8], sent: Int) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = data.indices.dropLast(3).first(where: { Array(data[$0..<$0 + 4]) == separator }) else {
            return Response(status: 0, headers: [:], body: Data(data), sent: sent)
        }
        let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(data[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Response(status: status, headers: headers, body: Data(body), sent: sent)
    }

    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8]()
        var index = 0
        while index < bytes.count {
            guard let lineEnd = bytes[index...].firstIndex(of: 10) else { break }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16), size > 0 else { break }
            let start = lineEnd + 1
            output += bytes[start..<min(bytes.count, start + size)]
            index = start + size + 2
        }
        return output
    }
}
