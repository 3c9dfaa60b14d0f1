import Testing
@testable import QRCode

/// The reader samples a grid's pattern band first and turns the grid away on that alone, so the
/// band must give exactly what the whole grid would: the same module values once completed,
/// and the same pattern agreement as thresholding every module at radius 3.
@Suite struct PatternBandTests {
    /// Grids over `image`: scaled and shifted, tilted in perspective, and partly off the image.
    static func grids(dimension n: Int, image: GrayImage) -> [SamplingGrid] {
        let module = Double(min(image.width, image.height)) / Double(n + 8)
        var straight = PerspectiveTransform()
        straight.a = module; straight.e = module; straight.c = 4 * module; straight.f = 4 * module
        var tilted = straight
        tilted.b = 0.13 * module; tilted.d = -0.09 * module; tilted.g = 0.002; tilted.h = -0.0015
        var off = straight
        off.c = -6 * module; off.f = Double(image.height) - 0.6 * Double(n) * module
        return [straight, tilted, off].map { SamplingGrid(dimension: n, transform: $0) }
    }

    static func images(dimension n: Int) throws -> [GrayImage] {
        let symbol = try QREncoder.encode("PATTERN BAND", options: EncodeOptions(level: .M, minimumVersion: (n - 17) / 4,
                                                                                maximumVersion: (n - 17) / 4)).matrix
        return [SymbolRenderer.render(symbol, moduleSize: 3, dark: 40, light: 210),
                BinarizerTests.noise(width: 3 * (n + 8), height: 3 * (n + 8) + 5, seed: UInt64(n))]
    }

    @Test(arguments: [21, 25, 45, 101, 177])
    func bandThenRestEqualsTheWholeGrid(dimension n: Int) throws {
        for image in try Self.images(dimension: n) {
            for grid in Self.grids(dimension: n, image: image) {
                let whole = GridSampler.sample(image, grid: grid)
                let band = GridSampler.samplePatternBand(image, grid: grid)
                var completed = band
                GridSampler.complete(&completed, image: image, grid: grid)
                #expect(completed.values == whole.values && completed.spread == whole.spread && completed.outside == whole.outside)
                // The band leaves most of a large grid unsampled.
                if n >= 45 { #expect(band.values != whole.values) }
                let expected = FunctionPatternCheck.agreement(whole.classify(localRadius: 3).0)
                #expect(FunctionPatternCheck.agreement(localMeansOf: band) == expected, "n \(n)")
                #expect(FunctionPatternCheck.agreement(localMeansOf: whole) == expected, "n \(n)")
            }
        }
    }

    /// The rendered symbol itself, read on its grid, agrees fully; noise does not.
    @Test func agreementSeparatesASymbolFromNoise() throws {
        let images = try Self.images(dimension: 25)
        let symbol = GridSampler.samplePatternBand(images[0], grid: Self.grids(dimension: 25, image: images[0])[0])
        #expect(FunctionPatternCheck.agreement(localMeansOf: symbol) == 1)
        let noise = GridSampler.samplePatternBand(images[1], grid: Self.grids(dimension: 25, image: images[1])[0])
        #expect(FunctionPatternCheck.agreement(localMeansOf: noise) < 0.8)
    }
}
