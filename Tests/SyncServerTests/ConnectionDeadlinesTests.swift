import NIOCore
import Testing

@testable import SyncServer

/// The header, idle and body deadlines of one connection (SPEC §10 "Connections"), on a clock
/// the test moves by hand.
@Suite struct ConnectionDeadlinesTests {
    static let settings = ConnectionDeadlines.Settings(
        header: .seconds(10), idle: .seconds(30), bodyGrace: .seconds(30), minBodyRate: 1_000)

    static func at(_ seconds: Double) -> NIODeadline { .uptimeNanoseconds(UInt64(1_000_000_000 + seconds * 1e9)) }

    @Test func aHeadThatTricklesInRunsOutOfTheHeaderTimeFromTheOpening() {
        // Given a connection opened at 0 whose client sends a byte of its head every second
        var connection = ConnectionDeadlines(settings: Self.settings, openedAt: Self.at(0))
        for second in 1...9 { connection.bytesArrived(at: Self.at(Double(second))) }

        // Then the bytes do not buy time: at 10 s the header deadline has passed
        #expect(connection.expired(at: Self.at(9.9)) == nil)
        #expect(connection.expired(at: Self.at(10)) == .header)
    }

    @Test func betweenRequestsTheIdleTimeRunsAndANewHeadStartsTheHeaderTime() {
        // Given a request answered at 2 s
        var connection = ConnectionDeadlines(settings: Self.settings, openedAt: Self.at(0))
        connection.headReceived(at: Self.at(1))
        connection.requestEnded(at: Self.at(1))
        connection.bytesArrived(at: Self.at(1))
        #expect(connection.deadline == nil, "nothing runs out while the hub works on a request")
        connection.responseEnded(at: Self.at(2))

        // Then the connection may sit idle 30 s…
        #expect(connection.expired(at: Self.at(31.9)) == nil)
        #expect(connection.expired(at: Self.at(32)) == .idle)
        // …unless a new head begins, which then has 10 s
        connection.bytesArrived(at: Self.at(20))
        #expect(connection.expired(at: Self.at(29.9)) == nil)
        #expect(connection.expired(at: Self.at(30)) == .header)
    }

    @Test func aBodyAtOneBytePerSecondRunsOutAfterTheGrace() {
        // Given a request whose body comes at 1 byte/s while the hub keeps asking for more
        var connection = ConnectionDeadlines(settings: Self.settings, openedAt: Self.at(0))
        connection.headReceived(at: Self.at(0))
        for second in 0..<29 {
            connection.readRequested(at: Self.at(Double(second)))
            connection.bodyReceived(1)
            connection.bytesArrived(at: Self.at(Double(second) + 1))
        }
        connection.readRequested(at: Self.at(29))

        // Then it runs out at 30 s: 29 bytes earn nothing past the grace
        #expect(connection.expired(at: Self.at(29.9)) == nil)
        #expect(connection.expired(at: Self.at(30)) == .body)
    }

    @Test func aLargeBodyAtTheMinimumRateIsKeptPastTheGrace() {
        // Given a body arriving at 2,000 B/s, twice the minimum rate, for 100 s
        var connection = ConnectionDeadlines(settings: Self.settings, openedAt: Self.at(0))
        connection.headReceived(at: Self.at(0))
        for second in 0..<100 {
            connection.readRequested(at: Self.at(Double(second)))
            #expect(connection.expired(at: Self.at(Double(second) + 0.999)) == nil, "at \(second) s")
            connection.bodyReceived(2_000)
            connection.bytesArrived(at: Self.at(Double(second) + 1))
        }
        // Then it is still being read, and once complete nothing runs out while it is handled
        connection.requestEnded(at: Self.at(100))
        #expect(connection.deadline == nil)
    }

    @Test func aBodyTheHubLeavesUnreadIsNotTheClientsSlowness() {
        // Given a body of which 10 bytes came, then the hub stopped reading (the request waits its turn)
        var connection = ConnectionDeadlines(settings: Self.settings, openedAt: Self.at(0))
        connection.headReceived(at: Self.at(0))
        connection.readRequested(at: Self.at(0))
        connection.bodyReceived(10)
        connection.bytesArrived(at: Self.at(1))

        // Then however long it waits, nothing runs out…
        #expect(connection.deadline == nil)
        #expect(connection.expired(at: Self.at(500)) == nil)
        // …and once the hub asks again, the client has the rest of its grace
        connection.readRequested(at: Self.at(500))
        #expect(connection.expired(at: Self.at(528.9)) == nil)
        #expect(connection.expired(at: Self.at(529)) == .body)
    }

    @Test func aResponseBeforeTheBodyEndsLeavesTheBodyDeadlineRunning() {
        // Given a request refused (answered) before its body came
        var connection = ConnectionDeadlines(settings: Self.settings, openedAt: Self.at(0))
        connection.headReceived(at: Self.at(0))
        connection.responseEnded(at: Self.at(0.1))
        connection.readRequested(at: Self.at(0.1))

        // Then the rest of the body must still come in time (the hub drains it)
        #expect(connection.expired(at: Self.at(30.2)) == .body)
        // And once it has, the connection is idle
        connection.bytesArrived(at: Self.at(1))
        connection.requestEnded(at: Self.at(1))
        connection.bytesArrived(at: Self.at(1))
        #expect(connection.expired(at: Self.at(30.9)) == nil)
        #expect(connection.expired(at: Self.at(31)) == .idle)
    }
}
