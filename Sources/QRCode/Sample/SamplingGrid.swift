/// The module→pixel mapping of one symbol: a single homography, or for larger versions one
/// homography per cell between neighbouring alignment patterns, so that curved, bent or
/// lens-distorted symbols are followed locally.
struct SamplingGrid {
    let dimension: Int
    let global: PerspectiveTransform
    /// Per-cell transforms, row-major, `cellsPerSide²` of them; empty when only `global` applies.
    private(set) var cells: [PerspectiveTransform] = []
    private(set) var cellsPerSide = 0
    /// For each module coordinate 0..<dimension, the index of the cell column/row it falls in.
    private var cellOfCoordinate: [Int] = []

    init(dimension: Int, transform: PerspectiveTransform) {
        self.dimension = dimension
        self.global = transform
    }

    @inline(__always)
    func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        if cells.isEmpty { return global.apply(x: x, y: y) }
        let ix = min(max(Int(x), 0), dimension - 1), iy = min(max(Int(y), 0), dimension - 1)
        return cells[cellOfCoordinate[iy] * cellsPerSide + cellOfCoordinate[ix]].apply(x: x, y: y)
    }

    /// The pixel position of module coordinate (x, y) and the derivatives of that position along
    /// the module x and y axes (pixels per module), from the transform that covers (x, y).
    @inline(__always)
    func local(x: Double, y: Double) -> (point: Point, u: Point, v: Point) {
        var m = global
        if !cells.isEmpty {
            let ix = min(max(Int(x), 0), dimension - 1), iy = min(max(Int(y), 0), dimension - 1)
            m = cells[cellOfCoordinate[iy] * cellsPerSide + cellOfCoordinate[ix]]
        }
        let r = 1 / (m.g * x + m.h * y + 1)
        let px = (m.a * x + m.b * y + m.c) * r, py = (m.d * x + m.e * y + m.f) * r
        return (Point(x: px, y: py),
                Point(x: (m.a - px * m.g) * r, y: (m.d - py * m.g) * r),
                Point(x: (m.b - px * m.h) * r, y: (m.e - py * m.h) * r))
    }

    /// The symbol's outer corners in pixels: top-left, top-right, bottom-right, bottom-left.
    var corners: [Point] {
        let d = Double(dimension)
        return [(0.0, 0.0), (d, 0), (d, d), (0, d)].map { let p = apply(x: $0.0, y: $0.1); return Point(x: p.x, y: p.y) }
    }

    /// The same grid moved by (dx, dy) modules: a second look when blur or print gain put the
    /// sampling points a little off the module centres.
    func shifted(dx: Double, dy: Double) -> SamplingGrid {
        var shift = PerspectiveTransform()
        shift.c = dx
        shift.f = dy
        var grid = SamplingGrid(dimension: dimension, transform: global.composed(with: shift))
        grid.cells = cells.map { $0.composed(with: shift) }
        grid.cellsPerSide = cellsPerSide
        grid.cellOfCoordinate = cellOfCoordinate
        return grid
    }

    /// Locates every alignment pattern near where `global` puts it and switches to one
    /// homography per cell between them. Patterns not found are placed by the displacement
    /// of their found neighbours. Returns nil when too few were found to improve on `global`.
    func refined(binary: BinaryImage, scale: Double, moduleSize: Double) -> SamplingGrid? {
        guard let version = QRVersion.forDimension(dimension) else { return nil }
        let centers = version.alignmentPatternCenters
        let k = centers.count
        guard k >= 3 else { return nil }
        let finder = AlignmentPatternFinder(image: binary)
        var points = [Point](repeating: Point(x: 0, y: 0), count: k * k)
        var found = [Bool](repeating: false, count: k * k)
        var foundCount = 0
        func moduleCenter(_ i: Int, _ j: Int) -> Point { Point(x: Double(centers[i]) + 0.5, y: Double(centers[j]) + 0.5) }
        /// Where `global` puts pattern (i, j), moved by the mean displacement seen at the found
        /// patterns among `neighbours` (offsets, in this order); nil when none is found.
        func predicted(_ i: Int, _ j: Int, from neighbours: [(Int, Int)]) -> Point? {
            var shift = Point(x: 0, y: 0), n = 0.0
            for (di, dj) in neighbours {
                let ni = i + di, nj = j + dj
                guard ni >= 0, nj >= 0, ni < k, nj < k, found[nj * k + ni] else { continue }
                shift = shift + (points[nj * k + ni] - global.apply(moduleCenter(ni, nj)))
                n += 1
            }
            return n > 0 ? global.apply(moduleCenter(i, j)) + shift * (1 / n) : nil
        }
        for j in 0..<k {
            for i in 0..<k {
                let g = global.apply(moduleCenter(i, j))
                let isFinderCorner = (i == 0 && j == 0) || (i == k - 1 && j == 0) || (i == 0 && j == k - 1)
                if isFinderCorner { points[j * k + i] = g; found[j * k + i] = true; continue }
                // Predict from the displacement already seen at found neighbours.
                let predicted = predicted(i, j, from: [(-1, 0), (0, -1), (-1, -1), (1, -1)]) ?? g
                if let p = finder.find(near: predicted * (1 / scale), moduleSize: moduleSize, radius: 2.5 * moduleSize) {
                    points[j * k + i] = p * scale
                    found[j * k + i] = true
                    foundCount += 1
                } else {
                    points[j * k + i] = predicted
                }
            }
        }
        // A second look for the patterns not found, now predicted from every found neighbour:
        // the first pass saw only those above and to the left, which along the top row and left
        // column are the finders alone, so a bend along those edges went unnoticed.
        let around = [(-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)]
        var missing = (0..<(k * k)).filter { !found[$0] }
        // Where each missing pattern was last looked for: a search from the same prediction
        // finds nothing again, so a pattern is looked for anew only once a neighbour is found.
        var searched = [Point?](repeating: nil, count: k * k)
        var again = true
        while again {
            again = false
            for index in missing {
                guard let predicted = predicted(index % k, index / k, from: around) else { continue }
                if let last = searched[index], last.x == predicted.x, last.y == predicted.y { continue }
                searched[index] = predicted
                points[index] = predicted
                if let p = finder.find(near: predicted * (1 / scale), moduleSize: moduleSize, radius: 2.5 * moduleSize)
                    ?? finder.find(near: predicted * (1 / scale), moduleSize: moduleSize, radius: 5 * moduleSize, requireOuterRing: true) {
                    points[index] = p * scale
                    found[index] = true
                    foundCount += 1
                    again = true
                }
            }
            missing = missing.filter { !found[$0] }
        }
        guard foundCount >= (k * k - 3) / 2 else { return nil }
        var grid = self
        grid.cellsPerSide = k - 1
        grid.cells = []
        for j in 0..<(k - 1) {
            for i in 0..<(k - 1) {
                let src = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)].map {
                    Point(x: Double(centers[$0.0]) + 0.5, y: Double(centers[$0.1]) + 0.5)
                }
                let dst = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)].map { points[$0.1 * k + $0.0] }
                guard let h = PerspectiveTransform(from: src, to: dst) else { return nil }
                grid.cells.append(h)
            }
        }
        grid.cellOfCoordinate = (0..<dimension).map { c in
            var cell = 0
            while cell < k - 2 && c >= centers[cell + 1] { cell += 1 }
            return cell
        }
        return grid
    }
}

/// Where a grid puts nine of its modules: the four corner modules, the middles of the four sides
/// and the centre. Grids made from one symbol's finders at two thresholds often come out the same
/// to a fraction of a module, and then read the same modules from the same pixels: the footprint
/// tells such a grid from one that was already sampled.
struct GridFootprint {
    let dimension: Int
    private let points: [Point]
    /// A tenth of the module pitch along the grid's top row, in pixels.
    private let tolerance: Double

    init(_ grid: SamplingGrid) {
        let n = Double(grid.dimension)
        dimension = grid.dimension
        points = [(0.5, 0.5), (n / 2, 0.5), (n - 0.5, 0.5), (0.5, n / 2), (n / 2, n / 2), (n - 0.5, n / 2),
                  (0.5, n - 0.5), (n / 2, n - 0.5), (n - 0.5, n - 0.5)]
            .map { let p = grid.apply(x: $0.0, y: $0.1); return Point(x: p.x, y: p.y) }
        tolerance = 0.1 * points[0].distance(to: points[2]) / max(1, n - 1)
    }

    /// Whether `other` is a grid of the same dimension whose nine modules lie within a tenth of a
    /// module of these. (A tenth: the reader's second looks move a grid by a fifth of a module,
    /// and a grid a fifth off sometimes reads where the first did not.)
    func coincides(with other: GridFootprint) -> Bool {
        guard dimension == other.dimension else { return false }
        for (p, q) in zip(points, other.points) where p.distance(to: q) >= tolerance { return false }
        return true
    }
}
