/// Elementary functions in pure Swift: the module imports nothing (no Foundation, no Glibc),
/// and own implementations also make the rendered bytes independent of the platform's libm.
/// Accuracy is near double precision over the ranges the renderer uses.
public enum SceneMath {
    public static let pi = 3.141_592_653_589_793_238_46
    static let ln2 = 0.693_147_180_559_945_309_42

    public static func radians(_ degrees: Double) -> Double { degrees * pi / 180 }

    /// sin and cos together: reduce to [-π/4, π/4] by quadrant, then Taylor series.
    public static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
        guard x.isFinite else { return (.nan, .nan) }
        let quarter = (x / (pi / 2)).rounded()
        let r = x - quarter * (pi / 2)
        let r2 = r * r
        var s = 0.0, c = 0.0
        // Horner form of the series up to r^17 / r^16.
        s = r * (1 - r2 / 6 * (1 - r2 / 20 * (1 - r2 / 42 * (1 - r2 / 72 * (1 - r2 / 110 * (1 - r2 / 156 * (1 - r2 / 210 * (1 - r2 / 272))))))))
        c = 1 - r2 / 2 * (1 - r2 / 12 * (1 - r2 / 30 * (1 - r2 / 56 * (1 - r2 / 90 * (1 - r2 / 132 * (1 - r2 / 182 * (1 - r2 / 240)))))))
        let q = Int(quarter.truncatingRemainder(dividingBy: 4))
        switch (q + 4) % 4 {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }

    public static func sin(_ x: Double) -> Double { sinCos(x).sin }
    public static func cos(_ x: Double) -> Double { sinCos(x).cos }

    /// e^x: x = k·ln 2 + r with |r| ≤ ln2/2, Taylor series for e^r, then scale by 2^k.
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x < -745 { return 0 }
        if x > 709 { return .infinity }
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var term = 1.0, sum = 1.0
        for n in 1...16 {
            term *= r / Double(n)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }

    /// Natural logarithm: x = m·2^e with m in [1, 2), ln m = 2·atanh((m−1)/(m+1)).
    public static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == 0 ? -.infinity : (x.isNaN || x < 0 ? .nan : x) }
        var m = x.significand
        var e = Double(x.exponent)
        if m > 1.414_213_562_373_095 { m /= 2; e += 1 }
        let t = (m - 1) / (m + 1), t2 = t * t
        var term = t, sum = 0.0
        var n = 1.0
        while n < 60 {
            sum += term / n
            term *= t2
            n += 2
        }
        return 2 * sum + e * ln2
    }

    /// arctangent: reduce |x| > 1 by π/2 − atan(1/x), then halve the angle twice before the series.
    public static func atan(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x < 0 { return -atan(-x) }
        if x > 1 { return pi / 2 - atan(1 / x) }
        // atan(x) = 2·atan(x / (1 + √(1 + x²))) brings x below tan(π/16) ≈ 0.2.
        var t = x
        for _ in 0..<2 { t = t / (1 + (1 + t * t).squareRoot()) }
        let t2 = t * t
        var term = t, sum = 0.0, n = 1.0, sign = 1.0
        while n < 40 {
            sum += sign * term / n
            term *= t2
            n += 2
            sign = -sign
        }
        return 4 * sum
    }

    /// arcsine on [-1, 1] (clamped).
    public static func asin(_ x: Double) -> Double {
        let c = min(1, max(-1, x))
        if c == 1 { return pi / 2 }
        if c == -1 { return -pi / 2 }
        return atan(c / (1 - c * c).squareRoot())
    }
}
