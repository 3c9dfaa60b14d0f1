/// Where a symbol lies in the image: its size in modules and the module→pixel mapping.
struct SymbolGeometry {
    var dimension: Int
    /// Maps module coordinates (0…dimension on both axes, (0,0) the outer top-left corner) to pixels.
    var transform: PerspectiveTransform

    /// The symbol's four outer corners in pixels: top-left, top-right, bottom-right, bottom-left.
    var corners: [Point] {
        let d = Double(dimension)
        return [Point(x: 0, y: 0), Point(x: d, y: 0), Point(x: d, y: d), Point(x: 0, y: d)].map(transform.apply)
    }
}

/// Turns three finder patterns into candidate geometries, most likely first.
struct GeometryEstimator {
    let binary: BinaryImage
    /// Pixels of the full-resolution image per pixel of `binary`.
    let scale: Double

    /// Estimated dimension (modules across) from the finder spacing measured along each leg.
    func estimateDimension(_ t: FinderTriple) -> Int? {
        let walker = LineWalker(image: binary)
        func legModules(_ a: FinderPattern, _ b: FinderPattern) -> Double? {
            let v = b.center - a.center
            let len = v.length
            guard len > 0 else { return nil }
            let dir = v * (1 / len)
            let maxLen = 10 * max(a.moduleSize, b.moduleSize) + 4
            let la = walker.finderLength(center: a.center, direction: dir, maxLength: maxLen) ?? a.moduleSize * 7
            let lb = walker.finderLength(center: b.center, direction: dir * -1, maxLength: maxLen) ?? b.moduleSize * 7
            let module = (la + lb) / 14
            guard module > 0 else { return nil }
            return len / module
        }
        guard let top = legModules(t.topLeft, t.topRight), let left = legModules(t.topLeft, t.bottomLeft) else { return nil }
        let modules = (top + left) / 2 + 7
        let dim = Int(((modules - 17) / 4).rounded()) * 4 + 17
        guard dim >= 21, dim <= 177 else { return nil }
        return dim
    }

    /// Geometries to try for `triple` at `dimension`: with the bottom-right alignment pattern
    /// when one is found, then the affine (parallelogram) completion.
    func geometries(_ t: FinderTriple, dimension n: Int) -> [SymbolGeometry] {
        let d = Double(n)
        let tl = t.topLeft.center, tr = t.topRight.center, bl = t.bottomLeft.center
        let moduleCoords = [Point(x: 3.5, y: 3.5), Point(x: d - 3.5, y: 3.5), Point(x: 3.5, y: d - 3.5)]
        var out: [SymbolGeometry] = []
        let s = scale
        func scaled(_ p: Point) -> Point { p * s }
        if n > 21 {
            // Affine prediction of the bottom-right alignment centre (d − 6.5, d − 6.5).
            let k = (d - 10) / (d - 7)
            let predicted = tl + (tr - tl) * k + (bl - tl) * k
            let module = (t.topLeft.moduleSize + t.topRight.moduleSize + t.bottomLeft.moduleSize) / 3
            let finder = AlignmentPatternFinder(image: binary)
            for radiusModules in [5.0, 10.0] {
                if let ap = finder.find(near: predicted, moduleSize: module, radius: radiusModules * module) {
                    if let h = PerspectiveTransform(
                        from: moduleCoords + [Point(x: d - 6.5, y: d - 6.5)],
                        to: [tl, tr, bl, ap].map(scaled)) {
                        out.append(SymbolGeometry(dimension: n, transform: h))
                    }
                    break
                }
            }
        }
        let br = tr + bl - tl
        if let h = PerspectiveTransform(from: moduleCoords + [Point(x: d - 3.5, y: d - 3.5)], to: [tl, tr, bl, br].map(scaled)) {
            out.append(SymbolGeometry(dimension: n, transform: h))
        }
        return out
    }
}
