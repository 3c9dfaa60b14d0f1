/// A thresholded image: one byte per pixel, 1 for dark (ink), 0 for light.
public struct BinaryImage: Sendable {
    public let width: Int
    public let height: Int
    public var bits: [UInt8]

    @inlinable
    public func isDark(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height && bits[y * width + x] != 0
    }

    /// Whether the pixel holding the point (x, y) is dark (pixel (i, j) covers [i, i + 1) ×
    /// [j, j + 1)); false off the image. Not `isDark(Int(x), Int(y))`: conversion truncates
    /// toward zero and would read a point half a pixel left of the image as column 0.
    @inlinable
    public func isDark(x: Double, y: Double) -> Bool {
        bits.withUnsafeBufferPointer { Self.isDark($0, width: width, height: height, x: x, y: y) }
    }

    /// `isDark(x:y:)` on `bits` already opened as a buffer, for loops of many reads (a finder's
    /// rays walk dozens of half-pixel steps each).
    @inlinable
    static func isDark(_ bits: UnsafeBufferPointer<UInt8>, width: Int, height: Int, x: Double, y: Double) -> Bool {
        guard x >= 0, y >= 0, x < Double(width), y < Double(height) else { return false }
        return bits[Int(y) &* width &+ Int(x)] != 0
    }
}

/// Turns luminance into ink / no ink.
///
/// Local mean thresholding over a square window whose side is chosen by the caller from the
/// expected module size (the detector tries several), so that a finder pattern's 3-module dark
/// centre never fills the whole window — the failure of fixed 40-pixel block binarizers on
/// large modules. A small offset keeps flat paper from turning into noise.
public enum Binarizer {
    /// Thresholds `image` against the mean of a `window`×`window` box around each pixel (the box
    /// clipped at the image border). A pixel is dark when it is darker than that mean by more
    /// than `offset` levels.
    ///
    /// The box sums come from running column sums (one row added, one dropped per output row)
    /// and a prefix sum along the row: a few row buffers instead of a summed-area table of four
    /// bytes per pixel, which cost more in memory traffic than in arithmetic.
    static func localMean(_ image: GrayImage, window: Int, offset: Int = 3) -> BinaryImage {
        localMean(image, window: window, offset: offset, alsoInverted: false).straight
    }

    /// `localMean(_:window:offset:)`, and with `alsoInverted` also the thresholding of the
    /// inverted luminance (255 − v) with the same window and offset, from the same box sums, so
    /// that a photo with no straight code does not pay for a second box filter: there a pixel is
    /// dark when (255 − v + offset) · count < 255 · count − sum, that is sum < (v − offset) · count.
    /// Made wherever the comparison runs in Float (windows up to about 2,900 pixels); nil elsewhere.
    static func localMean(_ image: GrayImage, window: Int, offset: Int = 3, alsoInverted: Bool)
        -> (straight: BinaryImage, inverted: BinaryImage?) {
        let w = image.width, h = image.height
        guard w > 0, h > 0 else { return (BinaryImage(width: w, height: h, bits: []), nil) }
        let r = max(1, window / 2), reach = 2 &* r &+ 1
        // Column sums of the rows in the box; below 2³² for any image the loader accepts
        // (255 · 2r+1 rows), and the prefix sums wrap harmlessly: only differences are used.
        var columns = [UInt32](repeating: 0, count: w)
        // The row's prefix sums after r zeros and followed by r copies of the total, so that the
        // clipped box of column x sums to padded[x + 2r + 1] − padded[x] at the borders too: one
        // loop over the whole row.
        var padded = [UInt32](repeating: 0, count: w &+ reach)
        let zeroRow = [UInt8](repeating: 0, count: w)
        // Columns in the box of each column: 2r + 1 but near the left and right borders.
        var spans = [UInt32](repeating: 0, count: w)
        for x in 0..<w { spans[x] = UInt32(truncatingIfNeeded: min(w, x &+ r &+ 1) &- max(0, x &- r)) }
        let spansF = spans.map { Float($0) }
        // (v + offset) · count < sum must not overflow 32 bits.
        let fits = offset >= 0 && reach * min(h, reach) <= Int(UInt32.max) / (256 + offset)
        let floatExact = fits && reach * min(h, reach) * (256 + offset) < 1 << 24
        // Beyond 2²⁴ Float rounds both sides; below 2³¹ the box sums still convert as signed
        // integers, and a comparison too close to call in Float is made again in integers.
        let floatChecked = !floatExact && fits && reach * min(h, reach) * (256 + offset) < 1 << 31
        // Columns whose box lies inside the row: 2r + 1 wide.
        let inner = min(r, w)..<max(min(r, w), w &- r)
        let withInverted = alsoInverted && (floatExact || floatChecked)
        var out: [UInt8] = []
        // Every pixel is written below: no zero fill first.
        let invertedBits = [UInt8](unsafeUninitializedCapacity: withInverted ? w &* h : 0) { inv, invertedCount in
          out = [UInt8](unsafeUninitializedCapacity: w * h) { dst, initialized in
            image.pixels.withUnsafeBufferPointer { src in
                columns.withUnsafeMutableBufferPointer { col in
                    padded.withUnsafeMutableBufferPointer { padded in
                      zeroRow.withUnsafeBufferPointer { zero in
                        spans.withUnsafeBufferPointer { spans in
                          spansF.withUnsafeBufferPointer { spansF in
                            let pre = UnsafeMutableBufferPointer(rebasing: padded[r...])
                            // Rows 0 ..< r (the box of row 0 without its own row r).
                            for yy in 0..<min(r, h) {
                                let row = yy &* w
                                for x in 0..<w { col[x] &+= UInt32(src[row &+ x]) }
                            }
                            for y in 0..<h {
                                // The box of row y spans rows y − r ... y + r; a row outside the
                                // image contributes the zero row.
                                let add = y &+ r < h ? src.baseAddress! + (y &+ r) &* w : zero.baseAddress!
                                let drop = y &- r &- 1 >= 0 ? src.baseAddress! + (y &- r &- 1) &* w : zero.baseAddress!
                                updateColumnsAndPrefix(col, pre, add: add, drop: drop, count: w)
                                let total = padded[r &+ w]
                                for k in (r &+ w &+ 1)..<(w &+ reach) { padded[k] = total }
                                let rows = min(h, y &+ r &+ 1) &- max(0, y &- r)
                                let row = y &* w
                                // v < mean − offset  ⇔  (v + offset) · count < sum
                                // Two calls that differ only in `inverted`: each is inlined with it
                                // constant, so the straight-only one carries no inverted work.
                                if withInverted && floatExact {
                                    thresholdRow(src: src.baseAddress! + row, sums: padded.baseAddress!, spans: spansF.baseAddress!, rows: Float(rows),
                                                 dst: dst.baseAddress! + row, inverted: inv.baseAddress! + row, width: w, reach: reach, bias: Float(offset))
                                } else if floatExact {
                                    thresholdRow(src: src.baseAddress! + row, sums: padded.baseAddress!, spans: spansF.baseAddress!, rows: Float(rows),
                                                 dst: dst.baseAddress! + row, inverted: nil, width: w, reach: reach, bias: Float(offset))
                                } else if withInverted {
                                    thresholdRow(src: src.baseAddress! + row, sums: padded.baseAddress!, spans: spansF.baseAddress!, rows: Float(rows),
                                                 dst: dst.baseAddress! + row, inverted: inv.baseAddress! + row, width: w, reach: reach, bias: Float(offset),
                                                 exact: (spans.baseAddress!, rows))
                                } else if floatChecked {
                                    thresholdRow(src: src.baseAddress! + row, sums: padded.baseAddress!, spans: spansF.baseAddress!, rows: Float(rows),
                                                 dst: dst.baseAddress! + row, inverted: nil, width: w, reach: reach, bias: Float(offset),
                                                 exact: (spans.baseAddress!, rows))
                                } else if fits {
                                    // One count for the inner columns keeps the multiply a vector one by a
                                    // constant.
                                    let bias = UInt32(truncatingIfNeeded: offset), height = UInt32(truncatingIfNeeded: rows)
                                    let count = UInt32(truncatingIfNeeded: rows &* reach)
                                    @inline(__always) func border(_ x: Int) {
                                        let sum = padded[x &+ reach] &- padded[x]
                                        dst[row &+ x] = (UInt32(src[row &+ x]) &+ bias) &* spans[x] &* height < sum ? 1 : 0
                                    }
                                    for x in 0..<inner.lowerBound { border(x) }
                                    for x in inner {
                                        let sum = padded[x &+ reach] &- padded[x]
                                        dst[row &+ x] = (UInt32(src[row &+ x]) &+ bias) &* count < sum ? 1 : 0
                                    }
                                    for x in inner.upperBound..<w { border(x) }
                                } else {
                                    for x in 0..<w {
                                        let sum = Int(padded[x &+ reach] &- padded[x])
                                        dst[row &+ x] = (Int(src[row &+ x]) &+ offset) &* Int(spans[x]) &* rows < sum ? 1 : 0
                                    }
                                }
                            }
                          }
                        }
                      }
                    }
                }
            }
            initialized = w &* h
          }
          invertedCount = withInverted ? w &* h : 0
        }
        return (BinaryImage(width: w, height: h, bits: out), withInverted ? BinaryImage(width: w, height: h, bits: invertedBits) : nil)
    }

    /// One row's comparison in Float: a float multiply vectorises where a 32-bit integer one
    /// does not (SSE2 has none). The box sums convert as signed integers (one instruction;
    /// unsigned takes five). Sixteen pixels a step, then one at a time.
    ///
    /// Without `exact`, both sides are integers below 2²⁴, which Float holds exactly. With it
    /// (integer column widths and the row count), they are below 2³¹ and Float may round each by
    /// up to 64: sixteen pixels where either comparison falls within 512 are compared again in
    /// 64-bit integers (a pixel within a few thousandths of a level of its box mean, so rarely
    /// that the vector path keeps its speed), and the tail is compared in integers.
    @inline(__always)
    static func thresholdRow(src: UnsafePointer<UInt8>, sums: UnsafePointer<UInt32>, spans: UnsafePointer<Float>, rows: Float,
                             dst: UnsafeMutablePointer<UInt8>, inverted: UnsafeMutablePointer<UInt8>?, width w: Int, reach: Int, bias: Float,
                             exact: (spans: UnsafePointer<UInt32>, rows: Int)? = nil) {
        let pixels = UnsafeRawPointer(src), prefix = UnsafeRawPointer(sums), span = UnsafeRawPointer(spans)
        let out = UnsafeMutableRawPointer(dst)
        let tolerance = SIMD4<Float>(repeating: 512)
        @inline(__always) func dark(_ v: SIMD4<Int32>, at x: Int)
            -> (straight: SIMD4<Int32>, inverted: SIMD4<Int32>, close: SIMDMask<SIMD4<Int32>>) {
            let high = prefix.loadUnaligned(fromByteOffset: (x &+ reach) &* 4, as: SIMD4<UInt32>.self)
            let low = prefix.loadUnaligned(fromByteOffset: x &* 4, as: SIMD4<UInt32>.self)
            let sum = SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: high &- low))
            // Products of integers below 2²⁴ in any order: exact (without `exact`).
            let count = span.loadUnaligned(fromByteOffset: x &* 4, as: SIMD4<Float>.self) * rows
            let value = SIMD4<Float>(v)
            let zero = SIMD4<Int32>(repeating: 0)
            let straight = (value + bias) * count, invertedSide = (value - bias) * count
            var close = SIMDMask<SIMD4<Int32>>(repeating: false)
            if exact != nil {
                let d = straight - sum
                close = (d .<= tolerance) .& (d .>= -tolerance)
                if inverted != nil {
                    let e = invertedSide - sum
                    close .|= (e .<= tolerance) .& (e .>= -tolerance)
                }
            }
            return (zero.replacing(with: 1, where: straight .< sum),
                    inverted == nil ? zero : zero.replacing(with: 1, where: sum .< invertedSide), close)
        }
        @inline(__always) func bytes(_ a: SIMD4<Int32>, _ b: SIMD4<Int32>, _ c: SIMD4<Int32>, _ d: SIMD4<Int32>) -> SIMD16<UInt8> {
            SIMD16<UInt8>(truncatingIfNeeded: SIMD16<Int32>(lowHalf: SIMD8(lowHalf: a, highHalf: b), highHalf: SIMD8(lowHalf: c, highHalf: d)))
        }
        @inline(__always) func integers(_ x: Int, _ exact: (spans: UnsafePointer<UInt32>, rows: Int)) {
            let sum = Int64(sums[x &+ reach] &- sums[x]), value = Int64(src[x]), b = Int64(bias)
            let count = Int64(exact.spans[x]) &* Int64(exact.rows)
            dst[x] = (value &+ b) &* count < sum ? 1 : 0
            inverted?[x] = sum < (value &- b) &* count ? 1 : 0
        }
        var x = 0
        while x &+ 16 <= w {
            let v = SIMD16<Int32>(truncatingIfNeeded: pixels.loadUnaligned(fromByteOffset: x, as: SIMD16<UInt8>.self))
            let a = dark(v.lowHalf.lowHalf, at: x), b = dark(v.lowHalf.highHalf, at: x &+ 4)
            let c = dark(v.highHalf.lowHalf, at: x &+ 8), d = dark(v.highHalf.highHalf, at: x &+ 12)
            out.storeBytes(of: bytes(a.straight, b.straight, c.straight, d.straight), toByteOffset: x, as: SIMD16<UInt8>.self)
            if let inverted {
                UnsafeMutableRawPointer(inverted).storeBytes(of: bytes(a.inverted, b.inverted, c.inverted, d.inverted),
                                                             toByteOffset: x, as: SIMD16<UInt8>.self)
            }
            if let exact, any(a.close .| b.close .| c.close .| d.close) {
                for k in x..<(x &+ 16) { integers(k, exact) }
            }
            x &+= 16
        }
        if let exact {
            while x < w { integers(x, exact); x &+= 1 }
            return
        }
        while x < w {
            let sum = Float(Int32(truncatingIfNeeded: sums[x &+ reach] &- sums[x]))
            let value = Float(src[x]), count = spans[x] * rows
            dst[x] = (value + bias) * count < sum ? 1 : 0
            inverted?[x] = sum < (value - bias) * count ? 1 : 0
            x &+= 1
        }
    }

    /// col[x] += add[x] − drop[x], then pre[x + 1] = col[0] + … + col[x] (wrapping), in one
    /// pass. Four sums at a time: a prefix within the vector in two shifted adds, then the total
    /// so far; one scalar running sum would make every addition wait on the one before.
    @inline(__always)
    static func updateColumnsAndPrefix(_ col: UnsafeMutableBufferPointer<UInt32>, _ pre: UnsafeMutableBufferPointer<UInt32>,
                                       add: UnsafePointer<UInt8>, drop: UnsafePointer<UInt8>, count w: Int) {
        let columns = UnsafeMutableRawPointer(col.baseAddress!), sums = UnsafeMutableRawPointer(pre.baseAddress!)
        let added = UnsafeRawPointer(add), dropped = UnsafeRawPointer(drop)
        var carry = SIMD4<UInt32>()
        var x = 0
        while x &+ 4 <= w {
            let a = SIMD4<UInt32>(truncatingIfNeeded: added.loadUnaligned(fromByteOffset: x, as: SIMD4<UInt8>.self))
            let d = SIMD4<UInt32>(truncatingIfNeeded: dropped.loadUnaligned(fromByteOffset: x, as: SIMD4<UInt8>.self))
            let c = columns.loadUnaligned(fromByteOffset: x &* 4, as: SIMD4<UInt32>.self) &+ a &- d
            columns.storeBytes(of: c, toByteOffset: x &* 4, as: SIMD4<UInt32>.self)
            var s = c &+ SIMD4(0, c[0], c[1], c[2])
            s = s &+ SIMD4(0, 0, s[0], s[1])
            s = s &+ carry
            sums.storeBytes(of: s, toByteOffset: (x &+ 1) &* 4, as: SIMD4<UInt32>.self)
            carry = SIMD4(repeating: s[3])
            x &+= 4
        }
        var running = carry[0]
        while x < w {
            col[x] = col[x] &+ UInt32(add[x]) &- UInt32(drop[x])
            running &+= col[x]
            pre[x &+ 1] = running
            x &+= 1
        }
    }

    /// Global Otsu threshold: the fallback for images whose local statistics mislead
    /// (a code filling the frame with very large modules).
    static func otsu(_ image: GrayImage) -> BinaryImage {
        otsu(image, histogram: histogram(image.pixels))
    }

    /// `otsu(_:)` with the image's histogram already counted: the inverted image's is the
    /// straight one's reversed.
    static func otsu(_ image: GrayImage, histogram: [Int]) -> BinaryImage {
        let t = otsuThreshold(histogram: histogram)
        let out = [UInt8](unsafeUninitializedCapacity: image.pixels.count) { dst, initialized in
            image.pixels.withUnsafeBufferPointer { src in
                for i in 0..<src.count { dst[i] = src[i] <= t ? 1 : 0 }
                initialized = src.count
            }
        }
        return BinaryImage(width: image.width, height: image.height, bits: out)
    }

    /// The threshold that maximises between-class variance of `values`.
    static func otsuThreshold(_ values: [UInt8]) -> UInt8 {
        otsuThreshold(histogram: histogram(values))
    }

    /// The threshold that maximises between-class variance of the values counted in `histogram`.
    static func otsuThreshold(histogram: [Int]) -> UInt8 {
        let total = Double(histogram.reduce(0, +))
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

    /// Counts of each value. Four partial histograms, one per lane of four consecutive values:
    /// a run of equal pixels (flat paper) otherwise makes every increment wait on the previous one.
    static func histogram(_ values: [UInt8]) -> [Int] {
        var partial = [UInt32](repeating: 0, count: 4 * 256)
        values.withUnsafeBufferPointer { v in
            partial.withUnsafeMutableBufferPointer { h in
                let n = v.count
                var i = 0
                while i &+ 4 <= n {
                    h[Int(v[i])] &+= 1
                    h[256 &+ Int(v[i &+ 1])] &+= 1
                    h[512 &+ Int(v[i &+ 2])] &+= 1
                    h[768 &+ Int(v[i &+ 3])] &+= 1
                    i &+= 4
                }
                while i < n { h[Int(v[i])] &+= 1; i &+= 1 }
            }
        }
        var histogram = [Int](repeating: 0, count: 256)
        for v in 0..<256 {
            let lanes = partial[v] &+ partial[256 &+ v] &+ partial[512 &+ v] &+ partial[768 &+ v]
            histogram[v] = Int(lanes)
        }
        return histogram
    }
}
