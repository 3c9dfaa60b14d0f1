import Testing
@testable import QRCode

/// The diagnosis' image statistics (edge width, luminance percentiles) against their
/// definitions computed the plain way, one histogram and one increment at a time.
@Suite struct DiagnosisKernelTests {
    static func referenceEdgeWidth(_ image: GrayImage, contrast: Int) -> Double {
        let w = image.width, h = image.height
        guard w >= 2, h >= 2, contrast > 0 else { return 0 }
        var histogram = [Int](repeating: 0, count: 256)
        for y in stride(from: 0, to: h - 1, by: 2) {
            for x in 0..<(w - 1) {
                let v = Int(image[x, y])
                histogram[abs(Int(image[x + 1, y]) - v)] += 1
                histogram[abs(Int(image[x, y + 1]) - v)] += 1
            }
        }
        let total = histogram.reduce(0, +)
        var above = 0
        for g in stride(from: 255, through: 1, by: -1) {
            above += histogram[g]
            if above * 500 >= total { return Double(contrast) / Double(g) }
        }
        return Double(contrast)
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
    /// loop two samples of every fourth pixel), the smallest images, and flat ones.
    @Test(arguments: [(2, 2), (3, 2), (2, 3), (5, 7), (8, 8), (9, 4), (31, 17), (64, 33), (101, 60), (640, 480)])
    func statisticsMatchTheDefinitions(width: Int, height: Int) {
        for seed in 0..<4 as Range<UInt64> {
            let img = seed == 3
                ? GrayImage(width: width, height: height, fill: 128)
                : BinarizerTests.noise(width: width, height: height, seed: seed &+ UInt64(width * 1000 + height))
            for contrast in [0, 1, 150] {
                #expect(EdgeSharpness.edgeWidth(img, contrast: contrast) == Self.referenceEdgeWidth(img, contrast: contrast),
                        "\(width)×\(height) seed \(seed) contrast \(contrast)")
            }
            let lum = LuminanceSummary(img), expected = Self.referenceLuminance(img)
            #expect(lum.low == expected.low && lum.high == expected.high && lum.mean == expected.mean,
                    "\(width)×\(height) seed \(seed)")
        }
    }
}
