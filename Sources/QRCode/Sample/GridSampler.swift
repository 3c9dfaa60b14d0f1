/// Gray values read at every module of a symbol, before deciding dark or light.
///
/// Keeping the gray level (not a single thresholded pixel) lets the decoder threshold each
/// module against its own neighbourhood, retry with another threshold, and hand the least
/// certain codewords to Reed–Solomon as erasures.
public struct ModuleSamples: Sendable {
    public let dimension: Int
    /// Mean luminance per module, row-major, `dimension²` values.
    public var values: [UInt8]
    /// Spread (max − min) of the samples inside each module: high where an edge or blur crosses it.
    public var spread: [UInt8]
    /// Modules whose centre falls outside the image (their value is meaningless).
    public var outside: [Bool]

    /// Decides each module. `localRadius` > 0 thresholds against the mean of the surrounding
    /// (2r+1)² modules; 0 uses one global (Otsu) threshold over the symbol.
    /// Returns the modules and a reliability per module (0 = a coin toss, 255 = certain).
    public func classify(localRadius: Int) -> (BitMatrix, [UInt8]) {
        let n = dimension
        let contrast = max(8, Self.spread(values, trimmed: values.count / 20))
        let globalThreshold = localRadius <= 0 ? Int(Binarizer.otsuThreshold(values)) : 0
        // Both terms of a module's reliability depend on one byte each (|value − threshold|, the
        // spread): tabulated, they cost 512 divisions per call instead of two per module.
        var terms = [Int](repeating: 0, count: 512)
        for d in 0..<256 {
            terms[d] = d * 2 * 255 / contrast
            terms[256 + d] = d * 255 / (contrast * 2)
        }
        // Summed-area table for the box means; (n + 1)² · 255 fits Int32 for every version.
        var sums = [Int32](repeating: 0, count: localRadius > 0 ? (n + 1) * (n + 1) : 0)
        var matrix = BitMatrix(size: n)
        var reliability = [UInt8](repeating: 0, count: n * n)
        values.withUnsafeBufferPointer { values in
            spread.withUnsafeBufferPointer { spread in
                outside.withUnsafeBufferPointer { outside in
                    terms.withUnsafeBufferPointer { terms in
                        sums.withUnsafeMutableBufferPointer { sums in
                            matrix.storage.withUnsafeMutableBufferPointer { dark in
                                reliability.withUnsafeMutableBufferPointer { reliability in
                                    Self.classify(n: n, values: values, spread: spread, outside: outside,
                                                  radius: localRadius, globalThreshold: globalThreshold,
                                                  terms: terms, sums: sums, dark: dark, reliability: reliability)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (matrix, reliability)
    }

    private static func classify(n: Int, values: UnsafeBufferPointer<UInt8>, spread: UnsafeBufferPointer<UInt8>,
                                 outside: UnsafeBufferPointer<Bool>, radius r: Int, globalThreshold: Int,
                                 terms: UnsafeBufferPointer<Int>, sums: UnsafeMutableBufferPointer<Int32>,
                                 dark: UnsafeMutableBufferPointer<Bool>, reliability: UnsafeMutableBufferPointer<UInt8>) {
        let s = n &+ 1
        if r > 0 {
            for y in 0..<n {
                var row: Int32 = 0
                for x in 0..<n {
                    row &+= Int32(values[y &* n &+ x])
                    sums[(y &+ 1) &* s &+ x &+ 1] = sums[y &* s &+ x &+ 1] &+ row
                }
            }
        }
        for y in 0..<n {
            let y0 = max(0, y &- r), y1 = min(n, y &+ r &+ 1)
            for x in 0..<n {
                var t = globalThreshold
                if r > 0 {
                    let x0 = max(0, x &- r), x1 = min(n, x &+ r &+ 1)
                    let sum = sums[y1 &* s &+ x1] &- sums[y0 &* s &+ x1] &- sums[y1 &* s &+ x0] &+ sums[y0 &* s &+ x0]
                    t = Int(sum / Int32((y1 &- y0) &* (x1 &- x0)))
                }
                let i = y &* n &+ x
                let v = Int(values[i])
                dark[i] = v < t
                if outside[i] { continue }
                // A module whose own samples disagree strongly is less trustworthy.
                reliability[i] = UInt8(clamping: terms[abs(v &- t)] &- terms[256 &+ Int(spread[i])])
            }
        }
    }
}

extension ModuleSamples {
    /// Difference between the (k+1)-th largest and (k+1)-th smallest of `values`, from a
    /// histogram (the decoder calls this once per threshold it tries; sorting showed in profiles).
    static func spread(_ values: [UInt8], trimmed k: Int) -> Int {
        guard !values.isEmpty else { return 0 }
        let histogram = Binarizer.histogram(values)
        var lo = 0, seen = histogram[0]
        while seen <= k { lo += 1; seen += histogram[lo] }
        var hi = 255
        seen = histogram[255]
        while seen <= k { hi -= 1; seen += histogram[hi] }
        return hi - lo
    }
}

/// Reads module gray values through a module→pixel transform.
enum GridSampler {
    /// Five samples per module (centre and ±0.22 module along both axes), bilinear. The four
    /// off-centre points follow from the centre through the transform's local derivatives: one
    /// projective division per module instead of five (the curvature over a fifth of a module
    /// is far below a pixel).
    static func sample(_ image: GrayImage, grid: SamplingGrid) -> ModuleSamples {
        let n = grid.dimension
        var samples = unsampled(dimension: n)
        sample(image, grid: grid, into: &samples, regions: [(0..<n, 0..<n)])
        return samples
    }

    /// Rows and columns 0 ..< `patternBand` hold every finder, separator and timing module and
    /// the 7×7 neighbourhood whose mean thresholds each of them at radius 3.
    static let patternBand = 11

    /// Only the modules in the top and left `patternBand` rows and columns (the others keep value
    /// 255): enough for `FunctionPatternCheck.agreement(_:)` on samples, a fraction of the grid
    /// for large versions. `complete(_:image:grid:)` samples the rest.
    static func samplePatternBand(_ image: GrayImage, grid: SamplingGrid) -> ModuleSamples {
        let n = grid.dimension, b = min(patternBand, n)
        var samples = unsampled(dimension: n)
        sample(image, grid: grid, into: &samples, regions: [(0..<b, 0..<n), (b..<n, 0..<b)])
        return samples
    }

    /// Samples the modules `samplePatternBand` left out: `samples` then holds the same values as
    /// `sample(_:grid:)` gives.
    static func complete(_ samples: inout ModuleSamples, image: GrayImage, grid: SamplingGrid) {
        let n = grid.dimension, b = min(patternBand, n)
        sample(image, grid: grid, into: &samples, regions: [(b..<n, b..<n)])
    }

    /// Samples of a grid before any module is read: white, no spread, inside the image.
    private static func unsampled(dimension n: Int) -> ModuleSamples {
        ModuleSamples(dimension: n, values: [UInt8](repeating: 255, count: n * n),
                      spread: [UInt8](repeating: 0, count: n * n), outside: [Bool](repeating: false, count: n * n))
    }

    /// Samples the modules of each (rows, columns) region into `samples`.
    private static func sample(_ image: GrayImage, grid: SamplingGrid, into samples: inout ModuleSamples,
                               regions: [(rows: Range<Int>, columns: Range<Int>)]) {
        image.pixels.withUnsafeBufferPointer { px in
            samples.values.withUnsafeMutableBufferPointer { values in
                samples.spread.withUnsafeMutableBufferPointer { spread in
                    samples.outside.withUnsafeMutableBufferPointer { outside in
                        for region in regions {
                            sample(px, width: image.width, height: image.height, grid: grid, rows: region.rows,
                                   columns: region.columns, values: values, spread: spread, outside: outside)
                        }
                    }
                }
            }
        }
    }

    private static func sample(_ px: UnsafeBufferPointer<UInt8>, width: Int, height: Int, grid t: SamplingGrid,
                               rows: Range<Int>, columns: Range<Int>,
                               values: UnsafeMutableBufferPointer<UInt8>, spread: UnsafeMutableBufferPointer<UInt8>,
                               outside: UnsafeMutableBufferPointer<Bool>) {
        let n = t.dimension
        let w = Double(width), h = Double(height)
        // Where `bilinear` needs none of its clamps: x0 = ⌊x − 0.5⌋ and x0 + 1 are both columns.
        let safeWidth = w - 0.5, safeHeight = h - 0.5
        let d = 0.22
        for y in rows {
            for x in columns {
                let (c, u, v) = t.local(x: Double(x) + 0.5, y: Double(y) + 0.5)
                let i = y &* n &+ x
                let x1 = c.x - d * u.x, y1 = c.y - d * u.y, x2 = c.x + d * u.x, y2 = c.y + d * u.y
                let x3 = c.x - d * v.x, y3 = c.y - d * v.y, x4 = c.x + d * v.x, y4 = c.y + d * v.y
                // Nearly every module of a grid lies well inside the image: its five samples
                // then skip the per-sample bounds test and clamps (same values, same order).
                // A NaN among the offsets could hide from min and max; such modules go the slow way.
                let left = min(min(c.x, x1), min(min(x2, x3), x4)), right = max(max(c.x, x1), max(max(x2, x3), x4))
                let top = min(min(c.y, y1), min(min(y2, y3), y4)), bottom = max(max(c.y, y1), max(max(y2, y3), y4))
                if left >= 0.5 && top >= 0.5 && right < safeWidth && bottom < safeHeight
                    && !(u.x + u.y + v.x + v.y).isNaN {
                    let p0 = interior(px, width: width, x: c.x, y: c.y)
                    let p1 = interior(px, width: width, x: x1, y: y1)
                    let p2 = interior(px, width: width, x: x2, y: y2)
                    let p3 = interior(px, width: width, x: x3, y: y3)
                    let p4 = interior(px, width: width, x: x4, y: y4)
                    let sum = p0 &+ p1 &+ p2 &+ p3 &+ p4
                    values[i] = UInt8(truncatingIfNeeded: sum / 5)
                    let hi = max(max(p0, p1), max(max(p2, p3), p4)), lo = min(min(p0, p1), min(min(p2, p3), p4))
                    spread[i] = UInt8(truncatingIfNeeded: hi &- lo)
                    continue
                }
                var sum = 0, lo = 255, hi = 0, inside = 0
                @inline(__always) func take(_ sx: Double, _ sy: Double) {
                    guard sx >= 0, sy >= 0, sx < w, sy < h else { return }
                    let value = bilinear(px, width: width, height: height, x: sx, y: sy)
                    sum &+= value; lo = min(lo, value); hi = max(hi, value); inside &+= 1
                }
                take(c.x, c.y)
                take(x1, y1)
                take(x2, y2)
                take(x3, y3)
                take(x4, y4)
                if inside == 0 { outside[i] = true; continue }
                values[i] = UInt8(truncatingIfNeeded: sum / inside)
                spread[i] = UInt8(truncatingIfNeeded: hi - lo)
            }
        }
    }

    /// `bilinear` for 0.5 ≤ x < width − 0.5 and 0.5 ≤ y < height − 0.5, where none of its
    /// clamps changes anything.
    ///
    /// For f ≥ 0, ⌊256·f⌋ = 256·⌊f⌋ + ⌊256·(f − ⌊f⌋)⌋ exactly (both products by 256 and the
    /// fraction are exact in floating point): one checked conversion per axis instead of two.
    @inline(__always)
    static func interior(_ px: UnsafeBufferPointer<UInt8>, width: Int, x: Double, y: Double) -> Int {
        let fx = Int((x - 0.5) * 256), fy = Int((y - 0.5) * 256)
        let x0 = fx >> 8, y0 = fy >> 8
        let ax = fx & 255, ay = fy & 255
        let r0 = y0 &* width &+ x0, r1 = r0 &+ width
        let p00 = Int(px[r0]), p10 = Int(px[r0 &+ 1])
        let p01 = Int(px[r1]), p11 = Int(px[r1 &+ 1])
        let top = p00 &* 256 &+ (p10 &- p00) &* ax, bottom = p01 &* 256 &+ (p11 &- p01) &* ax
        return (top &* 256 &+ (bottom &- top) &* ay &+ 32768) >> 16
    }

    /// `bilinear`, through `interior` where none of its clamps applies: the same value, with fewer
    /// checks (the pattern and timing checks read a few hundred points per candidate grid).
    @inline(__always)
    static func pixelValue(_ px: UnsafeBufferPointer<UInt8>, width: Int, height: Int, x: Double, y: Double) -> Int {
        if x >= 0.5 && y >= 0.5 && x < Double(width) - 0.5 && y < Double(height) - 0.5 {
            return interior(px, width: width, x: x, y: y)
        }
        return bilinear(px, width: width, height: height, x: x, y: y)
    }

    /// Bilinear interpolation at (x, y) (pixel centres at half-integers), in 8-bit fixed point.
    @inline(__always)
    static func bilinear(_ px: UnsafeBufferPointer<UInt8>, width: Int, height: Int, x: Double, y: Double) -> Int {
        let fx = max(0, x - 0.5), fy = max(0, y - 0.5)
        let x0 = min(Int(fx), width &- 1), y0 = min(Int(fy), height &- 1)
        let x1 = min(x0 &+ 1, width &- 1), y1 = min(y0 &+ 1, height &- 1)
        let ax = Int((fx - Double(x0)) * 256), ay = Int((fy - Double(y0)) * 256)
        let r0 = y0 &* width, r1 = y1 &* width
        let p00 = Int(px[r0 &+ x0]), p10 = Int(px[r0 &+ x1])
        let p01 = Int(px[r1 &+ x0]), p11 = Int(px[r1 &+ x1])
        let top = p00 &* 256 &+ (p10 &- p00) &* ax, bottom = p01 &* 256 &+ (p11 &- p01) &* ax
        return (top &* 256 &+ (bottom &- top) &* ay &+ 32768) >> 16
    }
}
