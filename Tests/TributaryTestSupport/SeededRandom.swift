import Foundation

/// A small, fast, seedable random number generator (SplitMix64), so that every randomised
/// test can be replayed from the seed it prints.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `true` with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < p
    }
}

/// Settings of the property tests, from the environment.
public enum PropertySettings {
    /// How many random histories a property test runs: `TRIBUTARY_PROPERTY_RUNS` or `default`.
    public static func runs(default value: Int) -> Int {
        ProcessInfo.processInfo.environment["TRIBUTARY_PROPERTY_RUNS"].flatMap(Int.init) ?? value
    }

    /// The first seed: `TRIBUTARY_SEED` to replay a failure, otherwise a fresh random one.
    public static func baseSeed() -> UInt64 {
        ProcessInfo.processInfo.environment["TRIBUTARY_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
    }

    /// The line a failing property test prints so that it can be replayed.
    public static func replayHint(seed: UInt64) -> String {
        "replay with: TRIBUTARY_SEED=\(seed) TRIBUTARY_PROPERTY_RUNS=1 swift test --filter <test>"
    }
}
