/// Summed-area table of a gray image: any box mean in O(1), whatever the box size.
///
/// Lets the binarizer use a window that follows the expected module size instead of a fixed
/// block grid, and lets it try several window sizes at the cost of one pass each.
struct IntegralImage {
    let width: Int
    let height: Int
    /// (width + 1) × (height + 1) sums; row 0 and column 0 are zero.
    let sums: [UInt32]

    init(_ image: GrayImage) {
        let width = image.width, height = image.height
        self.width = width
        self.height = height
        let stride = width + 1
        var s = [UInt32](repeating: 0, count: stride * (height + 1))
        image.pixels.withUnsafeBufferPointer { src in
            s.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    var rowSum: UInt32 = 0
                    let srcRow = y &* width
                    let above = y &* stride
                    let here = above &+ stride
                    for x in 0..<width {
                        rowSum &+= UInt32(src[srcRow &+ x])
                        dst[here &+ x &+ 1] = dst[above &+ x &+ 1] &+ rowSum
                    }
                }
            }
        }
        sums = s
    }

    /// Sum of pixels with x in x0..<x1 and y in y0..<y1 (coordinates already clamped).
    @inline(__always)
    func sum(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> UInt32 {
        let stride = width + 1
        return sums[y1 * stride + x1] &- sums[y0 * stride + x1] &- sums[y1 * stride + x0] &+ sums[y0 * stride + x0]
    }
}
