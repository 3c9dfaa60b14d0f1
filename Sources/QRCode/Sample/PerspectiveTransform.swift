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
        // Normal equations of the linearised problem, 8 unknowns.
        var m = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
        // Normalise for numerical stability.
        let (sn, _) = Self.normalisation(source)
        let (dn, dInv) = Self.normalisation(destination)
        for (p, q) in zip(source, destination) {
            let s = sn.apply(p), t = dn.apply(q)
            let rows: [[Double]] = [
                [s.x, s.y, 1, 0, 0, 0, -s.x * t.x, -s.y * t.x, t.x],
                [0, 0, 0, s.x, s.y, 1, -s.x * t.y, -s.y * t.y, t.y],
            ]
            for r in rows {
                for i in 0..<8 {
                    for j in 0..<9 { m[i][j] += r[i] * r[j] }
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
        // 3×3 matrices with i = 1.
        let A = [[a, b, c], [d, e, f], [g, h, 1.0]]
        let B = [[o.a, o.b, o.c], [o.d, o.e, o.f], [o.g, o.h, 1.0]]
        var C = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { C[i][j] += A[i][k] * B[k][j] } } }
        let s = C[2][2]
        var t = PerspectiveTransform()
        t.a = C[0][0] / s; t.b = C[0][1] / s; t.c = C[0][2] / s
        t.d = C[1][0] / s; t.e = C[1][1] / s; t.f = C[1][2] / s
        t.g = C[2][0] / s; t.h = C[2][1] / s
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

    /// Gaussian elimination with partial pivoting on an 8×9 augmented matrix.
    private static func solve(_ m: inout [[Double]]) -> [Double]? {
        let n = 8
        for col in 0..<n {
            var pivot = col
            for r in col + 1..<n where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            guard abs(m[pivot][col]) > 1e-12 else { return nil }
            m.swapAt(col, pivot)
            for r in 0..<n where r != col {
                let factor = m[r][col] / m[col][col]
                if factor != 0 { for k in col...n { m[r][k] -= factor * m[col][k] } }
            }
        }
        return (0..<n).map { m[$0][n] / m[$0][$0] }
    }
}
