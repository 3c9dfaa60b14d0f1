/// Three finder patterns that may be the corners of one symbol, in symbol order.
struct FinderTriple {
    var topLeft: FinderPattern
    var topRight: FinderPattern
    var bottomLeft: FinderPattern
    /// Lower is a better-shaped triple.
    var score: Double
    var indices: (Int, Int, Int)
    /// Ordered by the finders' own sides under strong perspective
    /// (`GeometryEstimator.reorderedByFinderSides`): their corners are then found along
    /// those sides too, as the lines between the centres are far off them.
    var strongPerspective = false

    /// Orders three patterns so that `topLeft` holds the right angle and the triple runs
    /// clockwise in image coordinates, and rejects shapes no QR symbol can take.
    ///
    /// The top-left finder is the corner opposite the longest side, measured in pixels or, when
    /// `inModules` is set, in the module sizes of the two finders it joins: under strong
    /// perspective a near finder looks big and its sides long, and only the module count still
    /// tells the diagonal from the legs.
    static func make(_ p: [FinderPattern], _ i: Int, _ j: Int, _ k: Int, inModules: Bool = false) -> FinderTriple? {
        let a = p[i], b = p[j], c = p[k]
        let distances = (ab: a.center.distance(to: b.center), bc: b.center.distance(to: c.center),
                         ac: a.center.distance(to: c.center))
        return shape(p, i, j, k, inModules: inModules, distances: distances).map { build(p, $0) }
    }

    /// What `make` decides about a triple, without the triple: its score and its finders in
    /// symbol order (indices into the patterns). The candidate search weighs hundreds of
    /// thousands of triples on a page full of finder-like print and keeps sixty.
    struct Shape {
        var score: Double
        var order: (Int, Int, Int)
    }

    /// The triple `shape` describes.
    private static func build(_ p: [FinderPattern], _ s: Shape) -> FinderTriple {
        FinderTriple(topLeft: p[s.order.0], topRight: p[s.order.1], bottomLeft: p[s.order.2], score: s.score, indices: s.order)
    }

    /// `make`'s decision with the pixel distances a–b, b–c and a–c given: `forEachShape` has them
    /// from its pair test and weighs every triple up to twice, so each square root is paid once per
    /// pair. The legs are two of the same distances (|p − q| is |q − p| to the bit).
    @inline(__always)
    private static func shape(_ p: [FinderPattern], _ i: Int, _ j: Int, _ k: Int, inModules: Bool,
                              distances: (ab: Double, bc: Double, ac: Double)) -> Shape? {
        let a = p[i], b = p[j], c = p[k]
        let minSize = min(a.moduleSize, b.moduleSize, c.moduleSize), maxSize = max(a.moduleSize, b.moduleSize, c.moduleSize)
        guard maxSize <= 3 * minSize else { return nil }
        var (ab, bc, ac) = distances
        if inModules {
            ab /= a.moduleSize + b.moduleSize; bc /= b.moduleSize + c.moduleSize; ac /= a.moduleSize + c.moduleSize
        }
        var (tl, p1, p2, idx): (FinderPattern, FinderPattern, FinderPattern, (Int, Int, Int))
        let l1: Double, l2: Double
        switch corner(ab, bc, ac) {
        case 0: (tl, p1, p2, idx) = (a, b, c, (i, j, k)); (l1, l2) = (distances.ab, distances.ac)
        case 1: (tl, p1, p2, idx) = (b, a, c, (j, i, k)); (l1, l2) = (distances.ab, distances.bc)
        default: (tl, p1, p2, idx) = (c, a, b, (k, i, j)); (l1, l2) = (distances.ac, distances.bc)
        }
        let v1 = p1.center - tl.center, v2 = p2.center - tl.center
        guard l1 > 0, l2 > 0 else { return nil }
        let legRatio = max(l1, l2) / min(l1, l2)
        guard legRatio < 2.2 else { return nil }
        let cosine = Point.dot(v1, v2) / (l1 * l2)
        // 37°…143° at the corner: strong perspective and shear open the corner angle far beyond
        // a right angle; the score still ranks such triples last.
        guard abs(cosine) < 0.8 else { return nil }
        let module = (tl.moduleSize + p1.moduleSize + p2.moduleSize) / 3
        let modulesAcross = (l1 + l2) / 2 / module + 7
        guard modulesAcross >= 15, modulesAcross <= 200 else { return nil }
        // Clockwise: with y pointing down, top-right × bottom-left is positive.
        let order = Point.cross(v1, v2) > 0 ? idx : (idx.0, idx.2, idx.1)
        let score = (legRatio - 1) * 2 + abs(cosine) * 2 + (maxSize / minSize - 1)
        return Shape(score: score, order: order)
    }

    /// Which of a, b and c (0, 1, 2) `make` takes for the top-left: the corner opposite the
    /// longest of the sides a–b, b–c and a–c. Everything else `make` derives follows from this
    /// choice and the pixel distances.
    @inline(__always)
    private static func corner(_ ab: Double, _ bc: Double, _ ac: Double) -> Int {
        if bc >= ab && bc >= ac { return 0 }
        if ac >= ab && ac >= bc { return 1 }
        return 2
    }

    /// All plausible triples among `patterns` (the first 120), best first, at most `limit`;
    /// of equal scores, the one found first.
    static func candidates(_ patterns: [FinderPattern], limit: Int = 60) -> [FinderTriple] {
        guard limit > 0 else { return [] }
        // The best `limit` so far in a max-heap on (score, arrival): the worst on top, so
        // each of the tens of thousands of triples is turned away with one comparison.
        var heap: [(shape: Shape, arrival: Int)] = []
        heap.reserveCapacity(min(limit, 1024))
        var arrivals = 0
        @inline(__always) func worse(_ x: (shape: Shape, arrival: Int), _ y: (shape: Shape, arrival: Int)) -> Bool {
            x.shape.score > y.shape.score || (x.shape.score == y.shape.score && x.arrival > y.arrival)
        }
        forEachShape(patterns) { shape in
            let entry = (shape: shape, arrival: arrivals)
            arrivals += 1
            if heap.count < limit {
                heap.append(entry)
                var c = heap.count - 1
                while c > 0 {
                    let parent = (c - 1) / 2
                    guard worse(heap[c], heap[parent]) else { break }
                    heap.swapAt(c, parent)
                    c = parent
                }
                return heap.count < limit ? .infinity : heap[0].shape.score
            }
            // Not better than the worst kept (a later arrival loses a tie).
            guard heap[0].shape.score > shape.score else { return heap[0].shape.score }
            heap[0] = entry
            var c = 0
            while true {
                let l = 2 * c + 1, r = l + 1
                var top = c
                if l < heap.count && worse(heap[l], heap[top]) { top = l }
                if r < heap.count && worse(heap[r], heap[top]) { top = r }
                if top == c { break }
                heap.swapAt(c, top)
                c = top
            }
            return heap[0].shape.score
        }
        heap.sort { worse($1, $0) }
        return heap.map { build(patterns, $0.shape) }
    }

    /// Whether `patterns` (the first 120) hold any plausible triple; stops at the first.
    static func containsCandidate(_ patterns: [FinderPattern]) -> Bool {
        var found = false
        forEachShape(patterns) { _ in found = true; return -.infinity }
        return found
    }

    /// Calls `body` with each plausible triple's shape among the first 120 `patterns`. `body`
    /// returns the score below which it still wants triples (−∞: no more at all), so that
    /// triples whose finders' sizes alone score worse are not weighed: on a page of small
    /// print most finder-like specks differ in size.
    private static func forEachShape(_ patterns: [FinderPattern], _ body: (Shape) -> Double) {
        let n = min(patterns.count, 120)
        if n < 3 { return }
        // Pairs that can share a symbol first (similar module size, 4…260 modules apart: a version
        // 40 symbol's diagonal is 240): a photo of many codes has a hundred finders, and most of
        // the 160,000 triples fail on these.
        var pairs = [Bool](repeating: false, count: n * n)
        // Pixel distance of each pair i < j, at [i * n + j].
        var distance = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i + 1..<n {
                let a = patterns[i], b = patterns[j]
                let small = min(a.moduleSize, b.moduleSize), large = max(a.moduleSize, b.moduleSize)
                distance[i * n + j] = a.center.distance(to: b.center)
                let modules = distance[i * n + j] / ((small + large) / 2)
                let ok = large <= 3 * small && modules >= 4 && modules <= 260
                pairs[i * n + j] = ok
                pairs[j * n + i] = ok
            }
        }
        // A triple's score is at least its size term, max / min module size − 1 (`shape`).
        var cutoff = Double.infinity
        for i in 0..<n - 2 {
            let sa = patterns[i].moduleSize
            for j in i + 1..<n - 1 where pairs[i * n + j] {
                let sb = patterns[j].moduleSize
                guard max(sa, sb) / min(sa, sb) - 1 < cutoff else { continue }
                for k in j + 1..<n where pairs[i * n + k] && pairs[j * n + k] {
                    let sc = patterns[k].moduleSize
                    guard max(sa, sb, sc) / min(sa, sb, sc) - 1 < cutoff else { continue }
                    let d = (ab: distance[i * n + j], bc: distance[j * n + k], ac: distance[i * n + k])
                    let t = shape(patterns, i, j, k, inModules: false, distances: d)
                    if let t {
                        cutoff = body(t)
                        if cutoff == -.infinity { return }
                    }
                    // The module-count ordering is a second reading only when it names another corner.
                    // When it names the same one, `shape` would return the same triple (or nil
                    // again): it is not weighed, which spares most triples the second `shape`.
                    guard corner(d.ab / (sa + sb), d.bc / (sb + sc), d.ac / (sa + sc)) != corner(d.ab, d.bc, d.ac) else { continue }
                    if let m = shape(patterns, i, j, k, inModules: true, distances: d), m.order.0 != t?.order.0 {
                        cutoff = body(m)
                        if cutoff == -.infinity { return }
                    }
                }
            }
        }
    }
}
