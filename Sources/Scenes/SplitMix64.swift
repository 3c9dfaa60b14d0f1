/// A small seeded pseudo-random generator (SplitMix64): the same seed gives the same sequence
/// on every platform, which keeps generated scenes byte-identical from run to run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser: also used to hash lattice coordinates for texture noise.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * unit() }

    /// Uniform integer in range.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        return range.lowerBound + Int(next() % span)
    }

    /// Standard normal variate (Marsaglia's polar method; own `log` keeps it Foundation-free).
    public mutating func gaussian() -> Double {
        while true {
            let u = 2 * unit() - 1, v = 2 * unit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * SceneMath.log(s) / s).squareRoot() }
        }
    }

    /// A generator for a sub-stream, so adding draws in one part of a scene does not shift another.
    public func derived(_ salt: UInt64) -> SplitMix64 { SplitMix64(seed: Self.mix(state ^ Self.mix(salt))) }
}
