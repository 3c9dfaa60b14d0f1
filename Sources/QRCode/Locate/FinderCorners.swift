/// The outer corners of a finder pattern, from its ring's boundary.
///
/// Rays from the centre cross stone, light ring and dark ring; where they leave the dark ring
/// lies the pattern's outer edge. The edge points are split into the four sides using the
/// symbol's axes, a line is fitted to each side, and neighbouring lines are intersected. Twelve
/// corners from three finders pin down a perspective that three centres alone cannot.
struct FinderCorners {
    let image: BinaryImage

    /// Where 64 rays from the centre leave the outer dark ring. They do not depend on the
    /// symbol's axes, so one finder's edge points serve every triple and pass it takes part in.
    func edgePoints(of f: FinderPattern) -> [Point] {
        let maxLength = 9 * f.moduleSize + 3
        var out: [Point] = []
        out.reserveCapacity(Self.rays.count)
        for dir in Self.rays {
            if let p = exit(from: f.center, direction: dir, maxLength: maxLength) { out.append(p) }
        }
        return out
    }

    /// Unit vectors of the 64 ray directions.
    private static let rays: [Point] = (0..<64).map {
        let angle = Double($0) * 2 * Double.pi / 64
        return Point(x: cosine(angle), y: sine(angle))
    }

    /// The corners from edge points found by `edgePoints(of:)`, in the order (−u,−v), (+u,−v),
    /// (+u,+v), (−u,+v) where `u` and `v` are the symbol's row and column directions (unit
    /// vectors) at this finder.
    func corners(of f: FinderPattern, edges: [Point], u: Point, v: Point) -> [Point]? {
        var sides: [[Point]] = [[], [], [], []]   // −v (top), +u (right), +v (bottom), −u (left)
        let det = Point.cross(u, v)
        guard abs(det) > 0.2 else { return nil }
        for p in edges {
            // Coordinates of the edge point in the (u, v) basis.
            let d = p - f.center
            let a = Point.cross(d, v) / det, b = Point.cross(u, d) / det
            if abs(a) > 1.25 * abs(b) { sides[a > 0 ? 1 : 3].append(p) }
            else if abs(b) > 1.25 * abs(a) { sides[b > 0 ? 2 : 0].append(p) }
        }
        var lines: [(Point, Point)] = []
        for side in sides {
            guard side.count >= 3, let line = Self.fitLine(side) else { return nil }
            lines.append(line)
        }
        // top∩left, top∩right, bottom∩right, bottom∩left
        let pairs = [(0, 3), (0, 1), (2, 1), (2, 3)]
        var out: [Point] = []
        for (i, j) in pairs {
            guard let p = Self.intersect(lines[i], lines[j]) else { return nil }
            // A corner far from where the module size puts it means a bad fit.
            guard p.distance(to: f.center) < 7 * f.moduleSize else { return nil }
            out.append(p)
        }
        return out
    }

    /// Where a ray leaves the finder's outer dark ring, or nil when the ring structure is not there.
    private func exit(from c: Point, direction d: Point, maxLength: Double) -> Point? {
        var t = 0.0
        let step = 0.5
        func dark(_ t: Double) -> Bool { image.isDark(Int(c.x + d.x * t), Int(c.y + d.y * t)) }
        while dark(t) { t += step; if t > maxLength { return nil } }
        while !dark(t) { t += step; if t > maxLength { return nil } }
        while dark(t) { t += step; if t > maxLength { return nil } }
        let e = t - step / 2
        return Point(x: c.x + d.x * e, y: c.y + d.y * e)
    }

    /// Total least squares line through points: (point on line, unit direction).
    static func fitLine(_ pts: [Point]) -> (Point, Point)? {
        let n = Double(pts.count)
        var mx = 0.0, my = 0.0
        for p in pts { mx += p.x; my += p.y }
        mx /= n; my /= n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for p in pts {
            let dx = p.x - mx, dy = p.y - my
            sxx += dx * dx; syy += dy * dy; sxy += dx * dy
        }
        let theta = 0.5 * atan2Approx(2 * sxy, sxx - syy)
        let dir = Point(x: cosine(theta), y: sine(theta))
        return (Point(x: mx, y: my), dir)
    }

    static func intersect(_ a: (Point, Point), _ b: (Point, Point)) -> Point? {
        let denom = Point.cross(a.1, b.1)
        guard abs(denom) > 1e-6 else { return nil }
        let t = Point.cross(b.0 - a.0, b.1) / denom
        return a.0 + a.1 * t
    }
}
