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
        var thresholds = [Int](repeating: 0, count: n * n)
        let contrast = max(8, Self.spread(values, trimmed: values.count / 20))
        if localRadius <= 0 {
            let t = Int(Binarizer.otsuThreshold(values))
            for i in 0..<n * n { thresholds[i] = t }
        } else {
            // Box mean over the module grid through a summed-area table.
            let s = n + 1
            var sums = [Int](repeating: 0, count: s * s)
            for y in 0..<n {
                var row = 0
                for x in 0..<n {
                    row += Int(values[y * n + x])
                    sums[(y + 1) * s + x + 1] = sums[y * s + x + 1] + row
                }
            }
            let r = localRadius
            for y in 0..<n {
                let y0 = max(0, y - r), y1 = min(n, y + r + 1)
                for x in 0..<n {
                    let x0 = max(0, x - r), x1 = min(n, x + r + 1)
                    let sum = sums[y1 * s + x1] - sums[y0 * s + x1] - sums[y1 * s + x0] + sums[y0 * s + x0]
                    thresholds[y * n + x] = sum / ((y1 - y0) * (x1 - x0))
                }
            }
        }
        var matrix = BitMatrix(size: n)
        var reliability = [UInt8](repeating: 0, count: n * n)
        for i in 0..<n * n {
            let v = Int(values[i]), t = thresholds[i]
            matrix[i % n, i / n] = v < t
            if outside[i] { continue }
            let margin = abs(v - t) * 2 * 255 / contrast
            // A module whose own samples disagree strongly is less trustworthy.
            let penalty = Int(spread[i]) * 255 / (contrast * 2)
            reliability[i] = UInt8(clamping: margin - penalty)
        }
        return (matrix, reliability)
    }
}

extension ModuleSamples {
    /// Difference between the (k+1)-th largest and (k+1)-th smallest of `values`, from a
    /// histogram (the decoder calls this once per threshold it tries; sorting showed in profiles).
    static func spread(_ values: [UInt8], trimmed k: Int) -> Int {
        guard !values.isEmpty else { return 0 }
        var histogram = [Int](repeating: 0, count: 256)
        for v in values { histogram[Int(v)] &+= 1 }
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
    /// Five samples per module (centre and ±0.22 module along both axes), bilinear.
    static func sample(_ image: GrayImage, grid t: SamplingGrid) -> ModuleSamples {
        let n = t.dimension
        var values = [UInt8](repeating: 255, count: n * n)
        var spread = [UInt8](repeating: 0, count: n * n)
        var outside = [Bool](repeating: false, count: n * n)
        let offsets: [(Double, Double)] = [(0.5, 0.5), (0.28, 0.5), (0.72, 0.5), (0.5, 0.28), (0.5, 0.72)]
        let w = Double(image.width), h = Double(image.height)
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<n {
                for x in 0..<n {
                    var sum = 0, lo = 255, hi = 0, inside = 0
                    for (ox, oy) in offsets {
                        let p = t.apply(x: Double(x) + ox, y: Double(y) + oy)
                        guard p.x >= 0, p.y >= 0, p.x < w, p.y < h else { continue }
                        let v = bilinear(px, width: image.width, height: image.height, x: p.x, y: p.y)
                        sum += v; lo = min(lo, v); hi = max(hi, v); inside += 1
                    }
                    let i = y * n + x
                    if inside == 0 { outside[i] = true; continue }
                    values[i] = UInt8(sum / inside)
                    spread[i] = UInt8(hi - lo)
                }
            }
        }
        return ModuleSamples(dimension: n, values: values, spread: spread, outside: outside)
    }

    @inline(__always)
    static func bilinear(_ px: UnsafeBufferPointer<UInt8>, width: Int, height: Int, x: Double, y: Double) -> Int {
        // Pixel centres sit at half-integers.
        let fx = max(0, x - 0.5), fy = max(0, y - 0.5)
        let x0 = min(Int(fx), width - 1), y0 = min(Int(fy), height - 1)
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let ax = fx - Double(x0), ay = fy - Double(y0)
        let p00 = Double(px[y0 * width + x0]), p10 = Double(px[y0 * width + x1])
        let p01 = Double(px[y1 * width + x0]), p11 = Double(px[y1 * width + x1])
        let top = p00 + (p10 - p00) * ax, bottom = p01 + (p11 - p01) * ax
        return Int(top + (bottom - top) * ay + 0.5)
    }
}
