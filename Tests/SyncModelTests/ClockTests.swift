import SyncModel
import Testing

@Suite("Hybrid logical clock")
struct ClockTests {
    @Test("now() follows the wall clock and never goes back")
    func nowIsMonotonic() {
        // Given: a clock.
        var clock = HybridLogicalClock()
        // When: the wall clock moves forward, stalls and jumps back.
        let a = clock.now(wallMillis: 1_000)
        let b = clock.now(wallMillis: 1_000)
        let c = clock.now(wallMillis: 900)
        let d = clock.now(wallMillis: 2_000)
        // Then: every stamp is greater than the one before; the counter carries stalls.
        #expect(a == HLC(millis: 1_000, counter: 0))
        #expect(b == HLC(millis: 1_000, counter: 1))
        #expect(c == HLC(millis: 1_000, counter: 2))
        #expect(d == HLC(millis: 2_000, counter: 0))
    }

    @Test("receive() moves past a remote clock that is ahead")
    func receiveAdoptsRemote() {
        // Given: a clock at 1,000 ms and a remote stamp at 5,000 ms, counter 7.
        var clock = HybridLogicalClock(last: HLC(millis: 1_000, counter: 3))
        // When: it receives the remote stamp while its wall clock reads 2,000.
        let received = clock.receive(HLC(millis: 5_000, counter: 7), wallMillis: 2_000)
        // Then: it is just past the remote, and the next local stamp is past that.
        #expect(received == HLC(millis: 5_000, counter: 8))
        #expect(clock.now(wallMillis: 2_000) == HLC(millis: 5_000, counter: 9))
    }

    @Test("receive() of an older stamp still advances")
    func receiveOlder() {
        var clock = HybridLogicalClock(last: HLC(millis: 9_000, counter: 0))
        #expect(clock.receive(HLC(millis: 1, counter: 0), wallMillis: 8_000) == HLC(millis: 9_000, counter: 1))
        #expect(clock.receive(HLC(millis: 1, counter: 0), wallMillis: 10_000) == HLC(millis: 10_000, counter: 0))
    }

    @Test("a full counter spills into the next millisecond")
    func counterOverflow() {
        var clock = HybridLogicalClock(last: HLC(millis: 50, counter: .max))
        #expect(clock.now(wallMillis: 10) == HLC(millis: 51, counter: 0))
    }

    @Test("hex text is fixed width, exact and sorts like the number")
    func hexText() {
        let value = HLC(millis: 1_767_225_600_000, counter: 42)
        #expect(value.hex.count == 16)
        #expect(HLC(hex: value.hex) == value)
        #expect(HLC(hex: "0000019B77") == nil)
        #expect(HLC(hex: "0000019B7764000A") == nil, "upper case is not canonical")
        #expect(HLC(hex: "zz00019b7764000a") == nil)
        #expect(HLC(millis: 2, counter: 0).hex > HLC(millis: 1, counter: 900).hex)
    }

    @Test("versions order by clock, then by site, and round-trip as text")
    func versionOrder() {
        let a = Version(hlc: HLC(millis: 5, counter: 0), site: SiteID(rawValue: 9))
        let b = Version(hlc: HLC(millis: 5, counter: 0), site: SiteID(rawValue: 10))
        let c = Version(hlc: HLC(millis: 5, counter: 1), site: SiteID(rawValue: 1))
        #expect(a < b && b < c)
        #expect(a.text < b.text && b.text < c.text)
        #expect(Version(text: c.text) == c)
        #expect(Version(text: "0000000000050001_0000000000000001") == nil)
    }
}
