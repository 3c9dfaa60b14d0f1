import Testing
@testable import QRCode

/// Local-mean thresholding against its definition, computed the slow way: a pixel is dark when
/// it is darker than the mean of its (clipped) box by more than the offset.
@Suite struct BinarizerTests {
    static func noise(width: Int, height: Int, seed: UInt64) -> GrayImage {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height)
        for i in pixels.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // Smooth areas and edges, not only white noise: a ramp, blocks and some noise.
            let x = i % width, y = i / width
            let block = ((x / 7 + y / 5) % 3) * 60
            pixels[i] = UInt8(truncatingIfNeeded: (x * 2 + y + block) % 200 + Int(state >> 61) * 8)
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// The definition through a summed-area table (a different route to the same box sums).
    static func reference(_ image: GrayImage, window: Int, offset: Int) -> [UInt8] {
        let w = image.width, h = image.height, r = max(1, window / 2)
        var table = [Int](repeating: 0, count: (w + 1) * (h + 1))
        for y in 0..<h {
            for x in 0..<w {
                table[(y + 1) * (w + 1) + x + 1] = Int(image.pixels[y * w + x]) + table[y * (w + 1) + x + 1]
                    + table[(y + 1) * (w + 1) + x] - table[y * (w + 1) + x]
            }
        }
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let x0 = max(0, x - r), x1 = min(w, x + r + 1), y0 = max(0, y - r), y1 = min(h, y + r + 1)
                let sum = table[y1 * (w + 1) + x1] - table[y0 * (w + 1) + x1] - table[y1 * (w + 1) + x0] + table[y0 * (w + 1) + x0]
                let count = (x1 - x0) * (y1 - y0)
                out[y * w + x] = (Int(image.pixels[y * w + x]) + offset) * count < sum ? 1 : 0
            }
        }
        return out
    }

    /// Small and large windows (301 on the 330×310 image exceeds the range where the comparison
    /// is made in floating point), windows wider than the image, and odd sizes.
    @Test(arguments: [3, 9, 31, 75, 301], [(61, 47), (5, 90), (130, 3), (330, 310)] as [(Int, Int)])
    func localMeanMatchesItsDefinition(window: Int, size: (width: Int, height: Int)) {
        let image = Self.noise(width: size.width, height: size.height, seed: UInt64(window * 131 + size.width))
        let binary = Binarizer.localMean(image, window: window)
        let differing = zip(binary.bits, Self.reference(image, window: window, offset: 3)).filter { $0 != $1 }.count
        #expect(differing == 0, "window \(window), \(size.width)×\(size.height): \(differing) pixels differ")
    }

    /// Other offsets: a negative one takes the 64-bit path, zero and a large one the others.
    @Test(arguments: [-2, 0, 40], [(9, (61, 47)), (75, (130, 90)), (301, (330, 310))] as [(Int, (Int, Int))])
    func localMeanWithOtherOffsets(offset: Int, case: (window: Int, size: (width: Int, height: Int))) {
        let (window, size) = `case`
        let image = Self.noise(width: size.width, height: size.height, seed: UInt64(window + offset + 99))
        let binary = Binarizer.localMean(image, window: window, offset: offset)
        let differing = zip(binary.bits, Self.reference(image, window: window, offset: offset)).filter { $0 != $1 }.count
        #expect(differing == 0, "offset \(offset), window \(window), \(size.width)×\(size.height): \(differing) pixels differ")
    }

    /// The reader thresholds the inverted image with the straight histogram reversed (no second
    /// count): the same as counting the inverted image.
    @Test func otsuOfTheInvertedImageFromTheReversedHistogram() {
        for seed in [1, 2, 3] as [UInt64] {
            let image = Self.noise(width: 97, height: 61, seed: seed)
            let inverted = image.inverted()
            let counted = Binarizer.otsu(inverted)
            let reversed = Binarizer.otsu(inverted, histogram: Binarizer.histogram(image.pixels).reversed())
            #expect(counted.bits == reversed.bits)
            #expect(counted.bits.contains(1) && counted.bits.contains(0))
        }
    }

    /// The inverted thresholding made beside the straight one equals thresholding the inverted
    /// image, on the sixteen-pixel path and its one-pixel tail; the straight one is unchanged.
    @Test(arguments: [9, 31, 75, 301], [(61, 47), (5, 90), (130, 3), (250, 120), (330, 310)] as [(Int, Int)])
    func invertedThresholdFromTheSameSums(window: Int, size: (width: Int, height: Int)) {
        let image = Self.noise(width: size.width, height: size.height, seed: UInt64(window * 7 + size.height))
        let both = Binarizer.localMean(image, window: window, alsoInverted: true)
        #expect(both.straight.bits == Binarizer.localMean(image, window: window).bits)
        let inverted = try? #require(both.inverted)
        #expect(inverted?.bits == Self.reference(image.inverted(), window: window, offset: 3))
    }

    /// Boxes whose sums reach 2³¹ are compared in 64-bit integers only, and leave the inverted
    /// pass its own thresholding.
    @Test func noInvertedThresholdForHugeBoxes() {
        let image = Self.noise(width: 8, height: 2_901, seed: 5)
        let huge = Binarizer.localMean(image, window: 2_901, alsoInverted: true)
        #expect(huge.inverted == nil)
        #expect(huge.straight.bits == Self.reference(image, window: 2_901, offset: 3))
        #expect(Binarizer.localMean(image, window: 75, alsoInverted: false).inverted == nil)
    }

    /// Boxes of a million pixels, where Float rounds the box sums and the products: pixels at
    /// and within a few hundred of the comparison's tie, both ways, straight and inverted, on
    /// the sixteen-pixel path and the tail, decide as the integer comparison does.
    @Test func roundedComparisonsNearTheTieAreMadeExactly() {
        let width = 16 * 6 + 7, reach = 5, rows = 1_001, bias = 3
        var state: UInt64 = 77
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        let spans = (0..<width).map { _ in UInt32(1_001 - next(3)) }
        let pixels = (0..<width).map { _ in UInt8(bias + next(250)) }
        var boxSums = [Int](repeating: 0, count: width)
        for x in 0..<width {
            let count = Int(spans[x]) * rows
            let side = next(2) == 0 ? Int(pixels[x]) + bias : Int(pixels[x]) - bias
            // Exact ties, ±1, and within Float's rounding of the tie; a few far from it.
            let delta = [0, 1, -1, next(1_200) - 600, next(100_000) - 50_000][next(5)]
            boxSums[x] = side * count + delta
        }
        var prefix = [UInt32](repeating: 0, count: width + reach)
        for x in 0..<width { prefix[x + reach] = prefix[x] &+ UInt32(truncatingIfNeeded: boxSums[x]) }
        var straight = [UInt8](repeating: 9, count: width), inverted = [UInt8](repeating: 9, count: width)
        let spansF = spans.map { Float($0) }
        pixels.withUnsafeBufferPointer { src in
            prefix.withUnsafeBufferPointer { sums in
                spans.withUnsafeBufferPointer { spansInt in
                    spansF.withUnsafeBufferPointer { spansFloat in
                        straight.withUnsafeMutableBufferPointer { dst in
                            inverted.withUnsafeMutableBufferPointer { inv in
                                Binarizer.thresholdRow(src: src.baseAddress!, sums: sums.baseAddress!, spans: spansFloat.baseAddress!,
                                                       rows: Float(rows), dst: dst.baseAddress!, inverted: inv.baseAddress!, width: width,
                                                       reach: reach, bias: Float(bias), exact: (spansInt.baseAddress!, rows))
                            }
                        }
                    }
                }
            }
        }
        var wrong = 0
        for x in 0..<width {
            let count = Int(spans[x]) * rows, v = Int(pixels[x])
            if straight[x] != ((v + bias) * count < boxSums[x] ? 1 : 0) { wrong += 1 }
            if inverted[x] != (boxSums[x] < (v - bias) * count ? 1 : 0) { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) of \(2 * width) comparisons differ from the integer ones")
        // Float alone gets some of these wrong: the test exercises the exact path.
        var floatWrong = 0
        for x in 0..<width {
            let count = Float(spans[x]) * Float(rows), v = Float(pixels[x])
            let sum = Float(Int32(boxSums[x]))
            if ((v + Float(bias)) * count < sum) != ((Int(pixels[x]) + bias) * Int(spans[x]) * rows < boxSums[x]) { floatWrong += 1 }
        }
        #expect(floatWrong > 0)
    }
}
