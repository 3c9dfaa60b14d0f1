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
        image.bits.withUnsafeBufferPointer { bits in
            for dir in Self.rays {
                if let p = Self.exit(bits, width: image.width, height: image.height, from: f.center, direction: dir,
                                     maxLength: maxLength) { out.append(p) }
            }
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
    ///
    /// Under strong perspective a finder's own sides can turn 40° and more away from the lines
    /// between the finder centres that `u` and `v` come from, and the edge points then fall into
    /// the wrong sides. With `ownSides`, when no corners come out that way, the finder's side
    /// directions are read from its own edge points and tried instead. (Only then: on clutter
    /// the second try finds corners for specks that the first rejects, and every such triple
    /// then costs a full geometry.)
    func corners(of f: FinderPattern, edges: [Point], u: Point, v: Point, ownSides: Bool = false) -> [Point]? {
        if let c = corners(of: f, edges: edges, u: u, v: v, within: 7 * f.moduleSize) { return c }
        guard ownSides, let (su, sv) = Self.sideDirections(edges, u: u, v: v) else { return nil }
        // The module size is no bound here: the scan lines met the finder where it is
        // foreshortened. A corner well beyond the ring's own edge points is still a bad fit.
        var reach = 0.0
        for p in edges { reach = max(reach, p.distance(to: f.center)) }
        return corners(of: f, edges: edges, u: su, v: sv, within: max(7 * f.moduleSize, 1.3 * reach))
    }

    /// The directions of a finder's two pairs of sides (unsigned unit vectors), from chords
    /// across every four edge points (in ray order): the most common chord direction, then the
    /// most common one at least 35° from it. Nil when the edge is too ragged to show two.
    static func sideLines(_ edges: [Point]) -> FinderSides? {
        let n = edges.count
        guard n >= 16 else { return nil }
        // cos 24° (chords within 12° of each other) and cos 70° (directions 35° apart).
        let near = 0.9135, apart = 0.342
        // Chord directions as doubled-angle unit vectors (a side and its reverse coincide): x
        // components in the first half of the buffer, y in the second.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { buffer in
            var m = 0
            for k in 0..<n {
                let d = edges[(k + 2) % n] - edges[(k + n - 2) % n]
                let length = d.length
                guard length > 1 else { continue }
                let c = d.x / length, s = d.y / length
                buffer[m] = c * c - s * s
                buffer[n + m] = 2 * c * s
                m += 1
            }
            let xs = UnsafeBufferPointer(rebasing: buffer[0..<m]), ys = UnsafeBufferPointer(rebasing: buffer[n..<n + m])
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: m) { counts in
                // How many chords lie within 12° of each one (itself included), two at a time:
                // this runs for every finder of every triple the reader weighs.
                let pairs = m / 2
                let nearby = SIMD2<Double>(repeating: near)
                for a in 0..<m {
                    let ax = SIMD2(repeating: xs[a]), ay = SIMD2(repeating: ys[a])
                    var lanes = SIMD2<Int64>(repeating: 0)
                    for p in 0..<pairs {
                        let i = 2 &* p
                        let dot = ax * SIMD2(xs[i], xs[i &+ 1]) + ay * SIMD2(ys[i], ys[i &+ 1])
                        // A true lane of the mask is all ones: −1.
                        lanes &-= unsafeBitCast(dot .> nearby, to: SIMD2<Int64>.self)
                    }
                    var count = Int(lanes[0] &+ lanes[1])
                    if m % 2 == 1, xs[a] * xs[m - 1] + ys[a] * ys[m - 1] > near { count += 1 }
                    counts[a] = count
                }
                func peak(awayFrom other: Point?) -> (direction: Point, chords: Int)? {
                    var best = -1, bestCount = 0
                    for a in 0..<m {
                        if let other, xs[a] * other.x + ys[a] * other.y > apart { continue }
                        if counts[a] > bestCount { best = a; bestCount = counts[a] }
                    }
                    guard best >= 0, bestCount >= 4 else { return nil }
                    var sum = Point(x: 0, y: 0)
                    for b in 0..<m where xs[best] * xs[b] + ys[best] * ys[b] > near { sum = sum + Point(x: xs[b], y: ys[b]) }
                    return sum.length > 0 ? (sum * (1 / sum.length), bestCount) : nil
                }
                guard let first = peak(awayFrom: nil), let second = peak(awayFrom: first.direction) else { return nil }
                func direction(_ d: Point) -> Point {
                    let angle = atan2Approx(d.y, d.x) / 2
                    return Point(x: cosine(angle), y: sine(angle))
                }
                return FinderSides(first: direction(first.direction), second: direction(second.direction),
                                   straightShare: Double(first.chords + second.chords) / Double(n))
            }
        }
    }

    /// `sideLines` matched to the symbol's axes `u` and `v` and signed like them; nil when
    /// they are more than 70° off.
    static func sideDirections(_ edges: [Point], u: Point, v: Point) -> (Point, Point)? {
        guard let sides = sideLines(edges) else { return nil }
        let (a, b) = (sides.first, sides.second)
        var (su, sv) = abs(Point.dot(a, u)) + abs(Point.dot(b, v)) >= abs(Point.dot(b, u)) + abs(Point.dot(a, v)) ? (a, b) : (b, a)
        if Point.dot(su, u) < 0 { su = su * -1 }
        if Point.dot(sv, v) < 0 { sv = sv * -1 }
        guard Point.dot(su, u) > 0.342, Point.dot(sv, v) > 0.342 else { return nil }
        return (su, sv)
    }

    private func corners(of f: FinderPattern, edges: [Point], u: Point, v: Point, within limit: Double) -> [Point]? {
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
            // A corner far from where the finder's size puts it means a bad fit.
            guard p.distance(to: f.center) < limit else { return nil }
            out.append(p)
        }
        return out
    }

    /// Where a ray leaves the finder's outer dark ring, or nil when the ring structure is not there.
    /// `bits` is the binary image opened once for all sixty-four rays of a finder.
    private static func exit(_ bits: UnsafeBufferPointer<UInt8>, width: Int, height: Int, from c: Point,
                             direction d: Point, maxLength: Double) -> Point? {
        var t = 0.0
        let step = 0.5
        @inline(__always) func dark(_ t: Double) -> Bool {
            BinaryImage.isDark(bits, width: width, height: height, x: c.x + d.x * t, y: c.y + d.y * t)
        }
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

/// The directions of a finder's two pairs of sides, as `FinderCorners.sideLines` reads them.
struct FinderSides {
    /// Unsigned unit vectors along each pair of sides.
    let first: Point
    let second: Point
    /// Fraction (0…1) of the edge chords that run along one of the two: about 0.8 for a
    /// square finder, under 0.5 for a round one (whose "sides" say nothing).
    let straightShare: Double

    /// Whether these read as a square's sides: most chords along them (not a round or ragged
    /// outline) and within 25° of a right angle (motion blur slants the smeared pair further).
    var readSquare: Bool { straightShare >= 0.6 && abs(Point.dot(first, second)) <= 0.42 }
}
