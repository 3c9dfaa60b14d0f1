/// A thresholded image: one byte per pixel, 1 for dark (ink), 0 for light.
public struct BinaryImage: Sendable {
    public let width: Int
    public let height: Int
    public var bits: [UInt8]

    @inlinable
    public func isDark(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height && bits[y * width + x] != 0
    }
}

/// Turns luminance into ink / no ink.
///
/// Local mean thresholding over a square window whose side is chosen by the caller from the
/// expected module size (the detector tries several), so that a finder pattern's 3-module dark
/// centre never fills the whole window — the failure of fixed 40-pixel block binarizers on
/// large modules. A small offset keeps flat paper from turning into noise.
public enum Binarizer {
    /// Thresholds `image` against the mean of a `window`×`window` box around each pixel.
    /// A pixel is dark when it is darker than that mean by more than `offset` levels.
    static func localMean(_ image: GrayImage, integral: IntegralImage, window: Int, offset: Int = 3) -> BinaryImage {
        let w = image.width, h = image.height
        var out = [UInt8](repeating: 0, count: w * h)
        let r = max(1, window / 2)
        // Columns whose box lies wholly inside the image: no clamping, one box area per row.
        // The box sum and (v + offset) · count must stay below 2³² for the 32-bit loop below.
        let fits = offset >= 0 && (2 * r + 1) * min(h, 2 * r + 1) <= Int(UInt32.max) / (256 + max(0, offset))
        let interior = fits ? min(r, w)..<max(min(r, w), w &- r) : 0..<0
        image.pixels.withUnsafeBufferPointer { src in
            integral.sums.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { dst in
                    let stride = w &+ 1
                    for y in 0..<h {
                        let y0 = max(0, y &- r), y1 = min(h, y &+ r &+ 1)
                        let top = y0 &* stride, bottom = y1 &* stride
                        let rows = y1 &- y0
                        let row = y &* w
                        // v < mean − offset  ⇔  (v + offset) · count < sum
                        @inline(__always) func clamped(_ x: Int) {
                            let x0 = max(0, x &- r), x1 = min(w, x &+ r &+ 1)
                            let sum = s[bottom &+ x1] &- s[top &+ x1] &- s[bottom &+ x0] &+ s[top &+ x0]
                            let v = (Int(src[row &+ x]) &+ offset) &* (rows &* (x1 &- x0))
                            dst[row &+ x] = v < Int(sum) ? 1 : 0
                        }
                        for x in 0..<interior.lowerBound { clamped(x) }
                        // 32-bit lanes: the integral's own wrap-around cancels in the difference.
                        let count = UInt32(truncatingIfNeeded: rows &* (2 &* r &+ 1))
                        let bias = UInt32(truncatingIfNeeded: offset)
                        let far = r &+ 1
                        for x in interior {
                            let sum = s[bottom &+ x &+ far] &- s[top &+ x &+ far] &- s[bottom &+ x &- r] &+ s[top &+ x &- r]
                            let v = (UInt32(src[row &+ x]) &+ bias) &* count
                            dst[row &+ x] = v < sum ? 1 : 0
                        }
                        for x in max(interior.lowerBound, interior.upperBound)..<w { clamped(x) }
                    }
                }
            }
        }
        return BinaryImage(width: w, height: h, bits: out)
    }

    /// Global Otsu threshold: the fallback for images whose local statistics mislead
    /// (a code filling the frame with very large modules).
    static func otsu(_ image: GrayImage) -> BinaryImage {
        let t = otsuThreshold(image.pixels)
        var out = [UInt8](repeating: 0, count: image.pixelCount)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[i] = src[i] <= t ? 1 : 0 }
            }
        }
        return BinaryImage(width: image.width, height: image.height, bits: out)
    }

    /// The threshold that maximises between-class variance of `values`.
    static func otsuThreshold(_ values: [UInt8]) -> UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        for v in values { histogram[Int(v)] += 1 }
        let total = Double(values.count)
        guard total > 0 else { return 127 }
        var sumAll = 0.0
        for i in 0..<256 { sumAll += Double(i * histogram[i]) }
        var sumBelow = 0.0, weightBelow = 0.0
        var best = 0.0, threshold = 127
        for t in 0..<256 {
            weightBelow += Double(histogram[t])
            if weightBelow == 0 { continue }
            let weightAbove = total - weightBelow
            if weightAbove == 0 { break }
            sumBelow += Double(t * histogram[t])
            let meanBelow = sumBelow / weightBelow
            let meanAbove = (sumAll - sumBelow) / weightAbove
            let between = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if between > best { best = between; threshold = t }
        }
        return UInt8(threshold)
    }
}
