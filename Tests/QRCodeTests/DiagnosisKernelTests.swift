import Testing
@testable import QRCode

/// The diagnosis' image statistics (edge width, luminance percentiles) against their
/// definitions computed the plain way: every step listed and sorted, one increment at a time.
@Suite struct DiagnosisKernelTests {
    static func referenceEdges(_ image: GrayImage, contrast: Int) -> EdgeSharpness {
        let w = image.width, h = image.height
        guard w >= 6, h >= 3, contrast > 0 else { return EdgeSharpness() }
        // Every step per direction, from the two pairs `EdgeSharpness.pairs` names at every
        // second pixel of every eighth row from row 1 (every 8·⌊h / 1500⌋-th on taller images).
        var steps = [[Int]](repeating: [], count: 8)
        for y in stride(from: 1, to: h - 1, by: 8 * max(1, h / 1500)) {
            for x in stride(from: 2, to: w - 3, by: 2) {
                for (k, pair) in EdgeSharpness.pairs.enumerated() {
                    let ((x0, y0), (x1, y1)) = pair
                    steps[k / 2].append(abs(Int(image[x + x0, y + y0]) - Int(image[x + x1, y + y1])))
                }
            }
        }
        // The steepest 0.2 % (rounded up) of the steps: its smallest is the step that counts.
        func width(_ steps: [Int], minimumStep: Int) -> Double? {
            let step = steps.sorted(by: >)[(steps.count + 499) / 500 - 1]
            return step >= minimumStep ? Double(contrast) / Double(step) : nil
        }
        var edges = EdgeSharpness(width: width(steps[0] + steps[4], minimumStep: 1) ?? Double(contrast))
        let lengths = [1, 5, 2, 5, 1, 5, 2, 5].map { Double($0).squareRoot() }
        let directions = (0..<8).compactMap { k in width(steps[k], minimumStep: 4).map { $0 * lengths[k] } }
        if directions.count >= 2 {
            edges.narrowestDirection = directions.min()!
            edges.widestDirection = directions.max()!
        }
        return edges
    }

    static func referenceLuminance(_ image: GrayImage) -> (low: Int, high: Int, mean: Int) {
        var histogram = [Int](repeating: 0, count: 256)
        for i in stride(from: 0, to: image.pixels.count, by: 4) { histogram[Int(image.pixels[i])] += 1 }
        let n = histogram.reduce(0, +)
        var low = 0, high = 0, acc = 0, foundLow = false
        for v in 0..<256 {
            acc += histogram[v]
            if !foundLow && acc * 50 >= n { low = v; foundLow = true }
            if acc * 50 >= n * 49 { high = v; break }
        }
        let mean = (0..<256).reduce(0) { $0 + $1 * histogram[$1] } / n
        return (low, high, mean)
    }

    /// Odd and even widths and heights (the pair loop takes two columns at a time; the luminance
    /// loop two samples of every fourth pixel), the smallest images, flat ones, and tall ones
    /// (the row step grows from 3000 rows).
    @Test(arguments: [(2, 2), (3, 2), (2, 3), (5, 3), (6, 3), (7, 4), (5, 7), (8, 8), (9, 4), (31, 17), (64, 33), (101, 60), (200, 150),
                      (24, 3001), (17, 4600)])
    func statisticsMatchTheDefinitions(width: Int, height: Int) {
        for seed in 0..<4 as Range<UInt64> {
            let img = seed == 3
                ? GrayImage(width: width, height: height, fill: 128)
                : BinarizerTests.noise(width: width, height: height, seed: seed &+ UInt64(width * 1000 + height))
            for contrast in [0, 1, 150] {
                #expect(EdgeSharpness(img, contrast: contrast) == Self.referenceEdges(img, contrast: contrast),
                        "\(width)×\(height) seed \(seed) contrast \(contrast)")
            }
            let lum = LuminanceSummary(img), expected = Self.referenceLuminance(img)
            #expect(lum.low == expected.low && lum.high == expected.high && lum.mean == expected.mean,
                    "\(width)×\(height) seed \(seed)")
        }
    }

    /// Bars in one direction and nothing across them but noise of a grey level or two: no edges
    /// to measure that way, not a smear.
    @Test func barsWithoutEdgesAcrossAreNoSmear() {
        var image = GrayImage(width: 120, height: 90, fill: 0)
        for y in 0..<90 {
            for x in 0..<120 { image[x, y] = ((x / 3) % 3 == 0 ? 20 : 228) &+ UInt8((x &* 7 &+ y &* 13) % 3) }
        }
        let edges = EdgeSharpness(image, contrast: 210)
        #expect(!edges.showsShake)
        #expect(edges.width < 2)
    }

    /// A 160×120 photo at `background` with `paint` setting some pixels.
    static func photo(background: UInt8, paint: (Int, Int) -> UInt8?) -> GrayImage {
        var image = GrayImage(width: 160, height: 120, fill: background)
        for y in 0..<120 { for x in 0..<160 { if let v = paint(x, y) { image[x, y] = v } } }
        return image
    }

    @Test func roundClippedSpotOnGreyPaperIsGlare() {
        let image = Self.photo(background: 150) { x, y in (x - 80) * (x - 80) + (y - 60) * (y - 60) < 30 * 30 ? 255 : nil }
        let glare = GlareSpot(image)
        #expect(glare.hidesCode)
        #expect(abs(glare.fill - 1) < 0.1 && abs(glare.areaFraction - 0.147) < 0.01)
    }

    /// A white label on a dark tin is bright and compact too.
    @Test func whiteLabelOnADarkTinIsNoGlare() {
        let image = Self.photo(background: 20) { x, y in (50..<110).contains(x) && (30..<90).contains(y) ? 255 : nil }
        #expect(!GlareSpot(image).hidesCode)
    }

    /// Specks of light over a print: clipped, but spread over the whole photo.
    @Test func scatteredHighlightsAreNoGlare() {
        let image = Self.photo(background: 150) { x, y in x % 20 < 4 && y % 20 < 4 ? 255 : nil }
        let glare = GlareSpot(image)
        #expect(glare.areaFraction > 0.02 && !glare.hidesCode)
    }

    /// A code printed in grey on white: most of the photo is clipped paper.
    @Test func whitePaperIsNoGlare() {
        let image = Self.photo(background: 255) { x, y in (40..<120).contains(x) && (20..<100).contains(y) && (x / 4 + y / 4) % 2 == 0 ? 90 : nil }
        #expect(!GlareSpot(image).hidesCode)
    }
}
