/// Turns three finder patterns into candidate geometries, most likely first.
struct GeometryEstimator {
    let binary: BinaryImage
    /// Pixels of the full-resolution image per pixel of `binary`.
    let scale: Double
    /// Edge points of the finder patterns (by index) found so far in `binary`.
    private let edges: FinderEdgeCache
    /// The finder patterns found in `binary`; triples refer to them by index.
    var finders: [FinderPattern] { edges.finders }

    /// An estimator for triples of `finders`, all found in `binary`.
    init(binary: BinaryImage, scale: Double, finders: [FinderPattern]) {
        self.binary = binary
        self.scale = scale
        edges = FinderEdgeCache(finders: finders)
    }

    /// Estimated dimension (modules across) from the finder spacing measured along each leg,
    /// each leg in the module size of its own two finders (which follows perspective).
    ///
    /// `alternative`: when one finder's width along a leg is far off the others' (its stone
    /// broken up by print or by the picture of an artistic code), that leg's module size is
    /// wrong and so is the estimate; the dimension measured with the median finder width for
    /// both legs is then worth a try as well (nil when it is the same).
    func estimateDimension(_ t: FinderTriple) -> (dimension: Int, alternative: Int?)? {
        let walker = LineWalker(image: binary)
        func length(_ f: FinderPattern, _ dir: Point, _ other: FinderPattern) -> Double {
            let maxLen = 10 * max(f.moduleSize, other.moduleSize) + 4
            return walker.finderLength(center: f.center, direction: dir, maxLength: maxLen) ?? f.moduleSize * 7
        }
        let top = t.topRight.center - t.topLeft.center, left = t.bottomLeft.center - t.topLeft.center
        guard top.length > 0, left.length > 0 else { return nil }
        let ut = top * (1 / top.length), ul = left * (1 / left.length)
        let widths = [length(t.topLeft, ut, t.topRight), length(t.topRight, ut * -1, t.topLeft),
                      length(t.topLeft, ul, t.bottomLeft), length(t.bottomLeft, ul * -1, t.topLeft)]
        func dimension(topModule: Double, leftModule: Double) -> Int? {
            guard topModule > 0, leftModule > 0 else { return nil }
            let modules = (top.length / topModule + left.length / leftModule) / 2 + 7
            let dim = Int(((modules - 17) / 4).rounded()) * 4 + 17
            return dim >= 21 && dim <= 177 ? dim : nil
        }
        guard let dim = dimension(topModule: (widths[0] + widths[1]) / 14, leftModule: (widths[2] + widths[3]) / 14)
        else { return nil }
        // One width far off while the other three agree: a finder misjudged, not perspective
        // (which changes the widths gradually along each leg).
        let sorted = widths.sorted()
        let lowOutlier = sorted[1] > 1.5 * sorted[0] && sorted[3] <= 1.25 * sorted[1]
        let highOutlier = sorted[3] > 1.5 * sorted[2] && sorted[2] <= 1.25 * sorted[0]
        guard lowOutlier || highOutlier else { return (dim, nil) }
        let median = (sorted[1] + sorted[2]) / 14
        let alternative = dimension(topModule: median, leftModule: median)
        return (dim, alternative == dim ? nil : alternative)
    }

    /// The version read from the two version-information blocks beside the top-right and
    /// bottom-left finders, each through a local frame built from its own finder. Works before
    /// the dimension is known, which is what large versions need: their dimension is easy to
    /// misjudge from finder spacing by a few modules.
    func versionFromInformationBlocks(_ t: FinderTriple) -> Int? {
        let walker = LineWalker(image: binary)
        let across = t.topRight.center - t.topLeft.center, down = t.bottomLeft.center - t.topLeft.center
        guard across.length > 0, down.length > 0 else { return nil }
        let ua = across * (1 / across.length), ud = down * (1 / down.length)
        func frame(_ f: FinderPattern) -> (Point, Point) {
            let maxLen = 10 * f.moduleSize + 4
            let ma = (walker.finderLength(center: f.center, direction: ua, maxLength: maxLen) ?? 7 * f.moduleSize) / 7
            let md = (walker.finderLength(center: f.center, direction: ud, maxLength: maxLen) ?? 7 * f.moduleSize) / 7
            return (ua * ma, ud * md)
        }
        func read(_ f: FinderPattern, _ offset: (Int) -> (Double, Double)) -> UInt32 {
            let (u, v) = frame(f)
            var bits: UInt32 = 0
            for i in stride(from: 17, through: 0, by: -1) {
                let (dx, dy) = offset(i)
                let p = f.center + u * dx + v * dy
                bits = bits << 1 | (binary.isDark(x: p.x, y: p.y) ? 1 : 0)
            }
            return bits
        }
        let first = read(t.topRight) { i in (Double(i % 3 - 7), Double(i / 3 - 3)) }
        let second = read(t.bottomLeft) { i in (Double(i / 3 - 3), Double(i % 3 - 7)) }
        return VersionInformation.decode(first, second)?.version
    }

    /// `t` with another finder as the top-left one, when the finders' own sides say so: under
    /// strong perspective the far finders shrink and the symbol's diagonal can look shorter
    /// than its sides, so the corner picked by side lengths is wrong. A finder's sides run along
    /// the symbol's rows and columns, and so do the lines from the top-left finder to the other
    /// two (rows and columns 3.5); from any other finder one of them is a diagonal. Nil when the
    /// finders look alike in size (no strong perspective), when `t`'s top-left finder already
    /// fits, or when no other one does.
    func reorderedByFinderSides(_ t: FinderTriple) -> FinderTriple? {
        let patterns = [t.topLeft, t.topRight, t.bottomLeft]
        let sizes = patterns.map(\.moduleSize)
        guard let small = sizes.min(), let large = sizes.max(), large > 1.4 * small else { return nil }
        let indices = [t.indices.0, t.indices.1, t.indices.2]
        guard patterns.allSatisfy({ $0.confirmations >= 3 }) else { return nil }
        let cornerFinder = FinderCorners(image: binary)
        // The cosine of the larger angle between a leg and the side it follows (0 when the
        // finder's sides cannot be read).
        func fit(_ k: Int) -> Double {
            guard let sides = edges.sides(indices[k], cornerFinder) else { return 0 }
            let (a, b) = (sides.first, sides.second)
            let legs = patterns.indices.filter { $0 != k }.map { patterns[$0].center - patterns[k].center }
            guard legs.allSatisfy({ $0.length > 0 }) else { return 0 }
            let l1 = legs[0] * (1 / legs[0].length), l2 = legs[1] * (1 / legs[1].length)
            let straight = min(abs(Point.dot(l1, a)), abs(Point.dot(l2, b)))
            let crossed = min(abs(Point.dot(l1, b)), abs(Point.dot(l2, a)))
            return max(straight, crossed)
        }
        // The corner finder must be clearly off (a leg over 30° from its sides) and another one
        // clearly right (both legs within 15°).
        guard fit(0) < 0.866, let k = [1, 2].first(where: { fit($0) > 0.966 }) else { return nil }
        let others = [0, 1, 2].filter { $0 != k }
        let (p, q) = (patterns[others[0]], patterns[others[1]])
        let corner = patterns[k]
        // Clockwise in image coordinates: top-right × bottom-left is positive.
        let clockwise = Point.cross(p.center - corner.center, q.center - corner.center) > 0
        let (tr, bl) = clockwise ? (others[0], others[1]) : (others[1], others[0])
        return FinderTriple(topLeft: corner, topRight: patterns[tr], bottomLeft: patterns[bl], score: t.score,
                            indices: (indices[k], indices[tr], indices[bl]), strongPerspective: true)
    }

    /// Whether the finders of `t` have their sides along the lines between them, as a symbol's
    /// have: a finder's sides run along the rows and columns, so the corner finder has a side
    /// along each line to the other two, and each of those a side along its line back to the
    /// corner. (Under perspective a finder's sides and these lines are images of parallel lines a
    /// few modules apart and still agree within a few degrees.) Any of the three may be the corner:
    /// under strong perspective the one `t` names can be wrong. Finder-like squares strewn over a
    /// print at their own angles mostly fail this, and it costs far less than the geometry it
    /// spares. A finder is not judged when its sides cannot be read, when it is round (an artistic
    /// code's) or when its sides read far from square (motion blur slants the smeared pair). A
    /// triple with a finder placed rather than seen (`confirmations` 0, from `completePairs`)
    /// passes: the placement follows the pair's line, not the symbol's skew under perspective.
    ///
    /// 25°: on the test photos (any quarter turn) and the stress set no triple that read came
    /// above 14°, while half the clutter triples that got past the first look are turned away;
    /// the side directions themselves are read to within about 12°.
    func finderSidesFollowLegs(_ t: FinderTriple) -> Bool {
        let patterns = [t.topLeft, t.topRight, t.bottomLeft]
        guard patterns.allSatisfy({ $0.confirmations > 0 }) else { return true }
        let indices = [t.indices.0, t.indices.1, t.indices.2]
        let cornerFinder = FinderCorners(image: binary)
        let sides: [FinderSides?] = (0..<3).map { k in
            guard let s = edges.sides(indices[k], cornerFinder), s.readSquare else { return nil }
            return s
        }
        let cos25 = 0.9063
        // Whether finder `k` has a side within 25° of the line to finder `o` (or is not judged).
        func follows(_ k: Int, _ o: Int) -> Bool {
            guard let s = sides[k] else { return true }
            let leg = patterns[o].center - patterns[k].center
            let length = leg.length
            guard length > 0 else { return true }
            let u = leg * (1 / length)
            return max(abs(Point.dot(u, s.first)), abs(Point.dot(u, s.second))) >= cos25
        }
        return (0..<3).contains { c in
            (0..<3).allSatisfy { o in o == c || (follows(c, o) && follows(o, c)) }
        }
    }

    /// The twelve outer finder corners of `t` (top-left, top-right, bottom-left finder; each
    /// clockwise from its outer corner), found in two passes: with the symbol's overall axes,
    /// then with each finder's own axes under the first fit; with the homography fitted to them
    /// at `dimension`. `dimension` only shapes that first fit, so the corners found for one
    /// dimension serve every other one tried for the triple.
    func finderFit(_ t: FinderTriple, dimension n: Int) -> FinderFit {
        let fit = cornerHomography(t, dimension: n, alignment: nil)
        return FinderFit(dimension: n, homography: fit.homography, corners: fit.corners)
    }

    /// The finder corners of a triple and the finder-corner homography at the dimension they
    /// were found for, which is exactly what `geometries` computes again from those corners at
    /// that dimension (the reader asks for it there twice: the first look and the full search).
    struct FinderFit {
        let dimension: Int
        let homography: PerspectiveTransform?
        let corners: [[Point]]?
    }

    /// Geometries to try for `triple` at `dimension`: the perspective fit of the finder corners
    /// (with the bottom-right alignment pattern when one is found), the four-point homography
    /// through the alignment pattern, then the affine (parallelogram) completion. `corners`
    /// (from `finderFit`) spares finding them again; nil finds them for this dimension.
    /// `alignment: false` skips the alignment-pattern search (the finder fit and the affine
    /// completion only): a cheap first look that tells a symbol from finder-like clutter.
    /// `fit` (from `finderFit`) stands in for the finder fit when it was made for this
    /// dimension from these corners.
    func geometries(_ t: FinderTriple, dimension n: Int, corners: [[Point]]? = nil, alignment: Bool = true,
                    fit: FinderFit? = nil) -> [SamplingGrid] {
        let d = Double(n)
        let tl = t.topLeft.center, tr = t.topRight.center, bl = t.bottomLeft.center
        let moduleCoords = [Point(x: 3.5, y: 3.5), Point(x: d - 3.5, y: 3.5), Point(x: 3.5, y: d - 3.5)]
        var out: [SamplingGrid] = []
        let s = scale
        func scaled(_ p: Point) -> Point { p * s }
        // Perspective from the twelve finder corners. The first pass sorts ring edge points into
        // sides with the symbol's overall axes; the second uses each finder's own axes under the
        // first homography, which matters under strong perspective where the three finders are
        // seen at visibly different angles.
        let finderFit: (homography: PerspectiveTransform?, corners: [[Point]]?)
        if let fit, fit.dimension == n, fit.corners == corners {
            finderFit = (fit.homography, fit.corners)
        } else {
            finderFit = cornerHomography(t, dimension: n, alignment: nil, corners: corners)
        }
        // Alignment-pattern candidates: where the finders' perspective puts it (with the module
        // size seen there; under strong tilt the affine guess lands modules away and picks up
        // data modules), then the affine guess when it finds another pattern.
        var alignments: [Point] = []
        if n > 21 && alignment {
            let target = Point(x: d - 6.5, y: d - 6.5)
            let mean = (t.topLeft.moduleSize + t.topRight.moduleSize + t.bottomLeft.moduleSize) / 3
            let finder = AlignmentPatternFinder(image: binary)
            if let h = finderFit.homography {
                let c = h.apply(target)
                let local = max(0, (h.apply(target + Point(x: 1, y: 0)) - c).length * (h.apply(target + Point(x: 0, y: 1)) - c).length).squareRoot()
                let module = local > 0.3 * mean && local < 3 * mean ? local : mean
                if let ap = finder.find(near: c, moduleSize: module, radius: 3 * module) { alignments.append(ap) }
            }
            // Affine prediction of the bottom-right alignment centre (d − 6.5, d − 6.5), looked
            // for at the finders' mean module size and, under strong perspective (the finder
            // sizes far apart), at the size of the two finders beside it: with the top-left one
            // near and large, the mean is far above the pattern's own and the search settles on
            // a cluster of data modules of that size instead.
            let k = (d - 10) / (d - 7)
            let predicted = tl + (tr - tl) * k + (bl - tl) * k
            let beside = (t.topRight.moduleSize + t.bottomLeft.moduleSize) / 2
            for size in abs(beside - mean) > 0.2 * mean ? [mean, beside] : [mean] {
                for radiusModules in [5.0, 10.0] {
                    if let ap = finder.find(near: predicted, moduleSize: size, radius: radiusModules * size) {
                        if !alignments.contains(where: { $0.distance(to: ap) < size }) { alignments.append(ap) }
                        break
                    }
                }
            }
        }
        let full = PerspectiveTransform(from: [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 0, y: 1), Point(x: 1, y: 1)],
                                        to: [Point(x: 0, y: 0), Point(x: s, y: 0), Point(x: 0, y: s), Point(x: s, y: s)])
        for ap in alignments {
            if let h = cornerHomography(t, dimension: n, alignment: ap, corners: finderFit.corners).homography, let scaleUp = full {
                out.append(SamplingGrid(dimension: n, transform: scaleUp.composed(with: h)))
            }
            if let h = PerspectiveTransform(from: moduleCoords + [Point(x: d - 6.5, y: d - 6.5)], to: [tl, tr, bl, ap].map(scaled)) {
                out.append(SamplingGrid(dimension: n, transform: h))
            }
        }
        // The finder fit alone also comes after any alignment candidate: glare or damage can hide
        // the real pattern and leave a look-alike among the data modules near its place.
        if let h = finderFit.homography, let scaleUp = full {
            out.append(SamplingGrid(dimension: n, transform: scaleUp.composed(with: h)))
        }
        let br = tr + bl - tl
        if let h = PerspectiveTransform(from: moduleCoords + [Point(x: d - 3.5, y: d - 3.5)], to: [tl, tr, bl, br].map(scaled)) {
            out.append(SamplingGrid(dimension: n, transform: h))
        }
        return out
    }

    /// The finder-corner homography in two passes (overall axes, then each finder's own axes
    /// under the first fit), with the finder corners it used so a refit can reuse them.
    private func cornerHomography(_ t: FinderTriple, dimension n: Int, alignment: Point?,
                                  corners known: [[Point]]? = nil) -> (homography: PerspectiveTransform?, corners: [[Point]]?) {
        let d = Double(n)
        if let known {
            return (cornerTransform(t, dimension: n, corners: known, alignment: alignment), known)
        }
        let tl = t.topLeft.center, tr = t.topRight.center, bl = t.bottomLeft.center
        let u = (tr - tl) * (1 / max(1e-9, (tr - tl).length)), v = (bl - tl) * (1 / max(1e-9, (bl - tl).length))
        var axes = [(u, v), (u, v), (u, v)]
        var result: (PerspectiveTransform?, [[Point]]?) = (nil, nil)
        let cornerFinder = FinderCorners(image: binary)
        let (i, j, k) = t.indices
        let e0 = edges.points(i, cornerFinder), e1 = edges.points(j, cornerFinder), e2 = edges.points(k, cornerFinder)
        for _ in 0..<2 {
            let sides = t.strongPerspective
            guard let c0 = cornerFinder.corners(of: t.topLeft, edges: e0, u: axes[0].0, v: axes[0].1, ownSides: sides),
                  let c1 = cornerFinder.corners(of: t.topRight, edges: e1, u: axes[1].0, v: axes[1].1, ownSides: sides),
                  let c2 = cornerFinder.corners(of: t.bottomLeft, edges: e2, u: axes[2].0, v: axes[2].1, ownSides: sides),
                  let h = cornerTransform(t, dimension: n, corners: [c0, c1, c2], alignment: alignment) else { break }
            result = (h, [c0, c1, c2])
            axes = [Point(x: 3.5, y: 3.5), Point(x: d - 3.5, y: 3.5), Point(x: 3.5, y: d - 3.5)].map { m in
                let c = h.apply(m)
                let du = h.apply(m + Point(x: 1, y: 0)) - c, dv = h.apply(m + Point(x: 0, y: 1)) - c
                return (du * (1 / max(1e-9, du.length)), dv * (1 / max(1e-9, dv.length)))
            }
        }
        return result
    }

    /// Least-squares homography (module → binary-image pixels) from the finders' outer corners
    /// (top-left, top-right, bottom-left finder; each clockwise from its outer corner), their
    /// centres and the alignment centre.
    private func cornerTransform(_ t: FinderTriple, dimension n: Int, corners: [[Point]], alignment: Point?) -> PerspectiveTransform? {
        let d = Double(n)
        var src: [Point] = []
        for (ox, oy) in [(0.0, 0.0), (d - 7, 0), (0, d - 7)] {
            src += [Point(x: ox, y: oy), Point(x: ox + 7, y: oy), Point(x: ox + 7, y: oy + 7), Point(x: ox, y: oy + 7)]
        }
        var dst = corners[0] + corners[1] + corners[2]
        src += [Point(x: 3.5, y: 3.5), Point(x: d - 3.5, y: 3.5), Point(x: 3.5, y: d - 3.5)]
        dst += [t.topLeft.center, t.topRight.center, t.bottomLeft.center]
        if let ap = alignment {
            // Weighted like any other point: weighting it up (tried ×4) lost more photos than it won.
            src.append(Point(x: d - 6.5, y: d - 6.5))
            dst.append(ap)
        }
        return PerspectiveTransform(from: src, to: dst)
    }
}

/// Finder edge points, and the side directions read from them, computed once per finder and
/// binary image, shared by all triples.
private final class FinderEdgeCache {
    let finders: [FinderPattern]
    var known: [[Point]?]
    /// Side directions by finder: nil not yet read, .some(nil) unreadable.
    var knownSides: [FinderSides??]

    init(finders: [FinderPattern]) {
        self.finders = finders
        known = Array(repeating: nil, count: finders.count)
        knownSides = Array(repeating: nil, count: finders.count)
    }

    func sides(_ index: Int, _ corners: FinderCorners) -> FinderSides? {
        if let s = knownSides[index] { return s }
        let s = FinderCorners.sideLines(points(index, corners))
        knownSides[index] = .some(s)
        return s
    }

    func points(_ index: Int, _ corners: FinderCorners) -> [Point] {
        if let p = known[index] { return p }
        let p = corners.edgePoints(of: finders[index])
        known[index] = p
        return p
    }
}
