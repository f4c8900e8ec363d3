import Testing

@testable import SyncServer

/// Render and request times in logs count whole seconds too (a 1.5 s render was logged as 500).
@Suite("Duration in milliseconds")
struct DurationMillisecondsTests {
    @Test("seconds and the fraction both count", arguments: [
        (Duration.milliseconds(1_500), Int64(1_500)),
        (Duration.seconds(0), Int64(0)),
        (Duration.microseconds(2_999), Int64(2)),
        (Duration.seconds(61) + .milliseconds(7), Int64(61_007)),
    ])
    func milliseconds(_ duration: Duration, _ expected: Int64) {
        #expect(duration.milliseconds == expected)
    }
}
