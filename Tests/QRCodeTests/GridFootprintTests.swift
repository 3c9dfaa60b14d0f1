import Testing
@testable import QRCode

/// `GridFootprint`: how the reader tells a grid it already sampled in vain from a new one. Only
/// grids that read the same pixels may coincide: a grid a fifth of a module off (the reader's own
/// second look), one whose far corner is bent away, or one of another dimension must not.
@Suite struct GridFootprintTests {

    /// A grid `dimension` modules wide, `module` pixels per module, its top-left corner at
    /// (`x`, `y`) pixels; the bottom-right corner moved by `bend` pixels when given.
    static func grid(dimension: Int = 29, module: Double, x: Double = 40, y: Double = 30, bend: Point? = nil) -> SamplingGrid {
        let n = Double(dimension)
        let source = [Point(x: 0, y: 0), Point(x: n, y: 0), Point(x: n, y: n), Point(x: 0, y: n)]
        var destination = source.map { Point(x: x + $0.x * module, y: y + $0.y * module) }
        if let bend { destination[2] = destination[2] + bend }
        return SamplingGrid(dimension: dimension, transform: PerspectiveTransform(from: source, to: destination)!)
    }

    @Test func aGridCoincidesWithItselfAndWithOneAHairOff() {
        let a = GridFootprint(Self.grid(module: 6))
        #expect(a.coincides(with: GridFootprint(Self.grid(module: 6))))
        #expect(a.coincides(with: GridFootprint(Self.grid(module: 6, x: 40.3, y: 29.8))))
    }

    @Test func theReadersSecondLookIsANewGrid() {
        let grid = Self.grid(module: 6)
        let a = GridFootprint(grid)
        for (dx, dy) in [(0.2, 0.0), (-0.2, 0), (0, 0.2), (0, -0.2)] {
            #expect(!a.coincides(with: GridFootprint(grid.shifted(dx: dx, dy: dy))))
        }
    }

    /// The tolerance follows the module: half a pixel is a twelfth of a 6-pixel module and a
    /// quarter of a 2-pixel one.
    @Test func toleranceIsInModulesNotPixels() {
        #expect(GridFootprint(Self.grid(module: 6)).coincides(with: GridFootprint(Self.grid(module: 6, x: 40.5))))
        #expect(!GridFootprint(Self.grid(module: 2)).coincides(with: GridFootprint(Self.grid(module: 2, x: 40.5))))
    }

    @Test func aBentCornerOrAnotherDimensionIsANewGrid() {
        let a = GridFootprint(Self.grid(module: 6))
        #expect(!a.coincides(with: GridFootprint(Self.grid(module: 6, bend: Point(x: 2, y: 2)))))
        // Same outer corners, four modules more: every module but the corners moves.
        #expect(!a.coincides(with: GridFootprint(Self.grid(dimension: 33, module: 6 * 29 / 33))))
    }
}
