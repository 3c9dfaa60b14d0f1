/// A plane-to-plane homography: maps module coordinates of a symbol to image pixels.
///
///     x' = (a·x + b·y + c) / (g·x + h·y + 1),  y' = (d·x + e·y + f) / (g·x + h·y + 1)
public struct PerspectiveTransform: Sendable, Equatable {
    public var a, b, c, d, e, f, g, h: Double

    /// Identity.
    public init() { a = 1; b = 0; c = 0; d = 0; e = 1; f = 0; g = 0; h = 0 }

    /// The homography that maps each `source` point onto its `destination`, least squares
    /// when more than four pairs are given. Nil when the points are degenerate.
    public init?(from source: [Point], to destination: [Point]) {
        guard source.count == destination.count, source.count >= 4 else { return nil }
        // Normal equations of the linearised problem, 8 unknowns: an 8×9 augmented matrix,
        // row-major (this runs for every candidate geometry, so it avoids nested arrays).
        var m = [Double](repeating: 0, count: 72)
        // Normalise for numerical stability.
        let (sn, _) = Self.normalisation(source)
        let (dn, dInv) = Self.normalisation(destination)
        m.withUnsafeMutableBufferPointer { m in
            for (p, q) in zip(source, destination) {
                let s = sn.apply(p), t = dn.apply(q)
                let r1 = (s.x, s.y, 1.0, 0.0, 0.0, 0.0, -s.x * t.x, -s.y * t.x, t.x)
                let r2 = (0.0, 0.0, 0.0, s.x, s.y, 1.0, -s.x * t.y, -s.y * t.y, t.y)
                for r in [r1, r2] {
                    withUnsafeBytes(of: r) { raw in
                        let v = raw.assumingMemoryBound(to: Double.self)
                        for i in 0..<8 where v[i] != 0 {
                            for j in 0..<9 { m[i * 9 + j] += v[i] * v[j] }
                        }
                    }
                }
            }
        }
        guard let sol = Self.solve(&m) else { return nil }
        var t = PerspectiveTransform()
        t.a = sol[0]; t.b = sol[1]; t.c = sol[2]; t.d = sol[3]; t.e = sol[4]; t.f = sol[5]; t.g = sol[6]; t.h = sol[7]
        // destination = dInv ∘ t ∘ sn
        self = dInv.composed(with: t).composed(with: sn)
        guard a.isFinite, b.isFinite, c.isFinite, d.isFinite, e.isFinite, f.isFinite, g.isFinite, h.isFinite else { return nil }
    }

    @inline(__always)
    public func apply(_ p: Point) -> Point {
        let w = g * p.x + h * p.y + 1
        return Point(x: (a * p.x + b * p.y + c) / w, y: (d * p.x + e * p.y + f) / w)
    }

    @inline(__always)
    public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        let w = g * x + h * y + 1
        return ((a * x + b * y + c) / w, (d * x + e * y + f) / w)
    }

    /// self ∘ other: first `other`, then `self`.
    public func composed(with o: PerspectiveTransform) -> PerspectiveTransform {
        // 3×3 matrices with i = 1: C = A·B, normalised so that C₃₃ = 1.
        let s = g * o.c + h * o.f + 1
        var t = PerspectiveTransform()
        t.a = (a * o.a + b * o.d + c * o.g) / s
        t.b = (a * o.b + b * o.e + c * o.h) / s
        t.c = (a * o.c + b * o.f + c) / s
        t.d = (d * o.a + e * o.d + f * o.g) / s
        t.e = (d * o.b + e * o.e + f * o.h) / s
        t.f = (d * o.c + e * o.f + f) / s
        t.g = (g * o.a + h * o.d + o.g) / s
        t.h = (g * o.b + h * o.e + o.h) / s
        return t
    }

    /// Similarity transform moving the points' centroid to 0 and their mean distance to √2, and its inverse.
    private static func normalisation(_ pts: [Point]) -> (PerspectiveTransform, PerspectiveTransform) {
        var cx = 0.0, cy = 0.0
        for p in pts { cx += p.x; cy += p.y }
        cx /= Double(pts.count); cy /= Double(pts.count)
        var dist = 0.0
        for p in pts { dist += ((p.x - cx) * (p.x - cx) + (p.y - cy) * (p.y - cy)).squareRoot() }
        dist /= Double(pts.count)
        let s = dist > 0 ? 2.0.squareRoot() / dist : 1
        var n = PerspectiveTransform(); n.a = s; n.e = s; n.c = -s * cx; n.f = -s * cy
        var inv = PerspectiveTransform(); inv.a = 1 / s; inv.e = 1 / s; inv.c = cx; inv.f = cy
        return (n, inv)
    }

    /// Gaussian elimination with partial pivoting on an 8×9 augmented matrix (row-major).
    private static func solve(_ m: inout [Double]) -> [Double]? {
        let n = 8, w = 9
        for col in 0..<n {
            var pivot = col
            for r in col + 1..<n where abs(m[r * w + col]) > abs(m[pivot * w + col]) { pivot = r }
            guard abs(m[pivot * w + col]) > 1e-12 else { return nil }
            if pivot != col { for k in 0..<w { m.swapAt(col * w + k, pivot * w + k) } }
            for r in 0..<n where r != col {
                let factor = m[r * w + col] / m[col * w + col]
                if factor != 0 { for k in col...n { m[r * w + k] -= factor * m[col * w + k] } }
            }
        }
        return (0..<n).map { m[$0 * w + n] / m[$0 * w + $0] }
    }
}
