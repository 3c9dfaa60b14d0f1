/// One of the three 7×7 position-detection patterns in a QR code's corners, as found in an image.
public struct FinderPattern: Sendable, Equatable {
    /// Centre of the 3×3 stone, in pixels.
    public var center: Point
    /// Estimated module size in pixels (the pattern is 7 modules across).
    public var moduleSize: Double
    /// How many scan lines confirmed this pattern; more is more trustworthy.
    public var confirmations: Int

    public init(center: Point, moduleSize: Double, confirmations: Int = 1) {
        self.center = center
        self.moduleSize = moduleSize
        self.confirmations = confirmations
    }
}

/// Checks of dark/light run lengths against the finder's 1:1:3:1:1 and the alignment
/// pattern's 1:1:1 proportions.
///
/// The finder test compares sums of neighbouring runs (edge-to-edge distances) rather than
/// single runs: ink spread, blur and threshold bias grow dark runs and shrink light ones by
/// the same amount, which leaves those sums unchanged.
enum RunPattern {
    @inline(__always)
    static func isFinder(_ r0: Int, _ r1: Int, _ r2: Int, _ r3: Int, _ r4: Int, tolerance: Double = 1.0) -> Bool {
        guard r0 > 0, r1 > 0, r2 > 0, r3 > 0, r4 > 0 else { return false }
        // The stone test below in integers first: most runs of text and texture fail it, and
        // it is far cheaper than the sums in floating point.
        guard r2 > r1, r2 > r3, r2 >= 3 else { return false }
        let total = r0 + r1 + r2 + r3 + r4
        guard total >= 7 else { return false }
        let u = Double(total) / 7
        let t = tolerance
        guard abs(Double(r0 + r1) - 2 * u) < 0.8 * u * t,
              abs(Double(r3 + r4) - 2 * u) < 0.8 * u * t,
              abs(Double(r1 + r2) - 4 * u) < 1.0 * u * t,
              abs(Double(r2 + r3) - 4 * u) < 1.0 * u * t
        else { return false }
        // The stone must dominate: this rejects 1:1:1:1:1 stripes that pass the sums.
        return Double(r2) > 1.6 * u && r2 > r1 && r2 > r3 && r2 >= 3
    }

    /// An alignment pattern seen through its centre: light, dark 1-module stone, light, each
    /// about one module of `moduleSize`.
    @inline(__always)
    static func isAlignment(_ l0: Int, _ d: Int, _ l1: Int, moduleSize: Double) -> Bool {
        let m = moduleSize
        let lo = 0.4 * m, hi = 1.8 * m
        let dd = Double(d), a = Double(l0), b = Double(l1)
        return dd >= lo && dd <= hi * 1.2 && a >= lo && a <= hi && b >= lo && b <= hi
    }
}
