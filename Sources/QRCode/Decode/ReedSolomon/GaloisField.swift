/// Arithmetic in GF(256) with the QR code's primitive polynomial x⁸+x⁴+x³+x²+1 (0x11D)
/// and generator α = 2.
public enum GaloisField {
    /// αⁱ for i in 0..<512 (doubled so that `exp[log a + log b]` needs no reduction).
    public static let exp: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 512)
        var x = 1
        for i in 0..<255 {
            t[i] = UInt8(x)
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        for i in 255..<512 { t[i] = t[i - 255] }
        return t
    }()

    /// logₐ(x) for x in 1...255; `log[0]` is unused.
    public static let log: [Int] = {
        var t = [Int](repeating: 0, count: 256)
        for i in 0..<255 { t[Int(exp[i])] = i }
        return t
    }()

    @inlinable
    public static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }

    /// a / b; b must not be zero.
    @inlinable
    public static func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
        precondition(b != 0, "GF(256) division by zero")
        if a == 0 { return 0 }
        return exp[log[Int(a)] + 255 - log[Int(b)]]
    }

    /// The multiplicative inverse; a must not be zero.
    @inlinable
    public static func inverse(_ a: UInt8) -> UInt8 { divide(1, a) }

    /// αⁿ for any integer n (negative allowed).
    @inlinable
    public static func power(_ n: Int) -> UInt8 {
        var e = n % 255
        if e < 0 { e += 255 }
        return exp[e]
    }
}
