import Testing
@testable import QRCode

/// The dimension estimate from finder spacing, when one finder is misjudged: the stone of an
/// artistic code's finder can hold a picture, and a finder scan that sees only part of it
/// reports a module size far too small.
@Suite struct DimensionEstimateTests {
    static let module = 6.0, quietZone = 2

    /// A version 6 symbol (41 modules) and its three finders where a scan puts them, with
    /// the top-right finder's module size as given; `holeInTopRightStone` paints the middle
    /// module of that finder's stone light.
    static func scene(topRightModule: Double, holeInTopRightStone: Bool) throws -> (GeometryEstimator, FinderTriple) {
        let symbol = try QREncoder.encode("DIMENSION ESTIMATE 0123456789", options: EncodeOptions(level: .Q, minimumVersion: 6, maximumVersion: 6))
        var image = SymbolRenderer.render(symbol.matrix, moduleSize: Int(module), quietZone: quietZone)
        let centre = { (m: Double) in (Double(quietZone) + m) * module }
        if holeInTopRightStone {
            let x0 = Int(centre(41 - 3.5) - module / 2), y0 = Int(centre(3.5) - module / 2)
            for y in y0..<y0 + Int(module) { for x in x0..<x0 + Int(module) { image.pixels[y * image.width + x] = 255 } }
        }
        let finders = [
            FinderPattern(center: Point(x: centre(3.5), y: centre(3.5)), moduleSize: module, confirmations: 18),
            FinderPattern(center: Point(x: centre(41 - 3.5), y: centre(3.5)), moduleSize: topRightModule, confirmations: 3),
            FinderPattern(center: Point(x: centre(3.5), y: centre(41 - 3.5)), moduleSize: module, confirmations: 18),
        ]
        let triple = try #require(FinderTriple.make(finders, 0, 1, 2))
        return (GeometryEstimator(binary: Binarizer.otsu(image), scale: 1, finders: finders), triple)
    }

    @Test func intactFindersGiveTheDimensionAndNoAlternative() throws {
        let (estimator, triple) = try Self.scene(topRightModule: Self.module, holeInTopRightStone: false)
        let estimate = try #require(estimator.estimateDimension(triple))
        #expect(estimate.dimension == 41)
        #expect(estimate.alternative == nil)
    }

    @Test func aMisjudgedFinderLeavesTheTrueDimensionAsTheAlternative() throws {
        let (estimator, triple) = try Self.scene(topRightModule: 2.5, holeInTopRightStone: true)
        let estimate = try #require(estimator.estimateDimension(triple))
        // The top leg measured in the misjudged finder's modules is far too long.
        #expect(estimate.dimension > 41)
        #expect(estimate.alternative == 41)
    }
}
