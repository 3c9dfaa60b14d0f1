import Testing
@testable import QRCode

/// Alignment patterns in dense or bent symbols: the search must not settle on a lone data
/// module that passes the stone test, and must still find patterns pushed away from where the
/// finders alone predict them.
@Suite struct AlignmentPatternTests {
    static let module = 4

    /// A light binary page with 5×5 alignment patterns (one-module stone, light ring, dark
    /// ring) centred at `patterns` and look-alike data modules centred at `lookAlikes`, in pixels.
    static func page(width: Int, height: Int, patterns: [Point], lookAlikes: [Point] = [], module: Int = module) -> BinaryImage {
        var bits = [UInt8](repeating: 0, count: width * height)
        func paint(_ c: Point, ring: Int) {
            let m = module
            let x0 = Int(c.x) - (2 * ring + 1) * m / 2, y0 = Int(c.y) - (2 * ring + 1) * m / 2
            for y in 0..<(2 * ring + 1) * m {
                for x in 0..<(2 * ring + 1) * m {
                    let r = max(abs(x / m - ring), abs(y / m - ring))
                    if r != 1 { bits[(y0 + y) * width + x0 + x] = 1 }
                }
            }
        }
        for p in patterns { paint(p, ring: 2) }
        // A lone data module: dark, light beside it, dark again two modules out along the rows
        // and columns (so it passes the stone test both ways) but light on the diagonals.
        for p in lookAlikes {
            for (dx, dy) in [(0, 0), (2, 0), (-2, 0), (0, 2), (0, -2)] {
                let x0 = Int(p.x) + dx * module - module / 2, y0 = Int(p.y) + dy * module - module / 2
                for y in 0..<module { for x in 0..<module { bits[(y0 + y) * width + x0 + x] = 1 } }
            }
        }
        return BinaryImage(width: width, height: height, bits: bits)
    }

    @Test func theRealPatternWinsOverACloserLoneModule() {
        // The look-alike sits right at the prediction, the real pattern seven modules below.
        let image = Self.page(width: 120, height: 120, patterns: [Point(x: 60, y: 78)], lookAlikes: [Point(x: 60, y: 50)])
        let found = AlignmentPatternFinder(image: image).find(near: Point(x: 60, y: 50), moduleSize: 4, radius: 40)
        #expect(found.map { $0.distance(to: Point(x: 60, y: 78)) < 1.5 } == true, "found \(String(describing: found))")
    }

    /// A wide search around large modules reads every third of a module's rows, not every row:
    /// the pattern must still be found wherever it sits between the rows read.
    @Test(arguments: 0..<12)
    func wideSearchAroundLargeModulesFindsThePatternAtAnyRowOffset(offset: Int) {
        let center = Point(x: 200, y: 190 + Double(offset))
        let image = Self.page(width: 400, height: 400, patterns: [center], module: 12)
        let found = AlignmentPatternFinder(image: image).find(near: Point(x: 230, y: 160), moduleSize: 12, radius: 120)
        #expect(found.map { $0.distance(to: center) < 1.5 } == true, "found \(String(describing: found))")
    }

    @Test func aLoneModuleIsStillTakenWhenNothingBetterIsThere() {
        let image = Self.page(width: 120, height: 120, patterns: [], lookAlikes: [Point(x: 60, y: 50)])
        let finder = AlignmentPatternFinder(image: image)
        let found = finder.find(near: Point(x: 62, y: 52), moduleSize: 4, radius: 10)
        #expect(found.map { $0.distance(to: Point(x: 60, y: 50)) < 1.5 } == true)
        // A wide search accepts only the full pattern.
        #expect(finder.find(near: Point(x: 62, y: 52), moduleSize: 4, radius: 10, requireOuterRing: true) == nil)
    }

    /// A version 7 grid (alignment rows and columns at modules 6, 22 and 38) whose six
    /// alignment patterns are all printed 3.5 modules lower than the finders predict, as on
    /// paper bent between the finders: beyond the first search's 2.5 modules, within the
    /// wide search's five.
    @Test func patternsDisplacedBeyondTheFirstSearchAreFound() throws {
        let m = Double(Self.module), offset = 40.0, shift = 3.5 * m
        let n = 45
        var global = PerspectiveTransform()
        global.a = m; global.e = m; global.c = offset; global.f = offset
        let centers = [6, 22, 38]
        var printed: [(module: Point, pixel: Point)] = []
        for (j, cy) in centers.enumerated() {
            for (i, cx) in centers.enumerated() where !(i == 0 && j == 0) && !(i == 2 && j == 0) && !(i == 0 && j == 2) {
                let at = Point(x: Double(cx) + 0.5, y: Double(cy) + 0.5)
                printed.append((at, global.apply(at) + Point(x: 0, y: shift)))
            }
        }
        let side = Int(offset) * 2 + n * Self.module
        let image = Self.page(width: side, height: side, patterns: printed.map(\.pixel))
        let grid = SamplingGrid(dimension: n, transform: global)
        let result = grid.refined(binary: image, scale: 1, moduleSize: m)
        let refined = try #require(result, "too few alignment patterns found for a piecewise grid")
        for (module, pixel) in printed {
            let p = refined.apply(x: module.x, y: module.y)
            #expect(Point(x: p.x, y: p.y).distance(to: pixel) < 1.5, "pattern at module \(module): \(p) vs \(pixel)")
        }
    }
}
