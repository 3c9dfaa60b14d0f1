extension GrayImage {
    /// The image shrunk by an integer factor, each output pixel the mean of a factor×factor box.
    /// Used for the coarse levels of the detector's image pyramid.
    public func downscaled(by factor: Int) -> GrayImage {
        precondition(factor >= 1)
        if factor == 1 { return self }
        let ow = width / factor, oh = height / factor
        guard ow > 0, oh > 0 else { return GrayImage(width: 0, height: 0) }
        var out = [UInt8](repeating: 0, count: ow * oh)
        let area = UInt32(factor * factor)
        let half = area / 2
        var rowSums = [UInt32](repeating: 0, count: ow)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                rowSums.withUnsafeMutableBufferPointer { sums in
                    for oy in 0..<oh {
                        for i in 0..<ow { sums[i] = 0 }
                        for dy in 0..<factor {
                            let base = (oy &* factor &+ dy) &* width
                            let row = UnsafeRawPointer(src.baseAddress! + base)
                            // The pyramid's factors (2, 4, 8) add their bytes as one word each, in
                            // lanes (SWAR): a loop over output pixels the compiler vectorises, where
                            // a loop over a variable factor is not.
                            switch factor {
                            case 2:
                                for ox in 0..<ow {
                                    let v = UInt32(row.loadUnaligned(fromByteOffset: ox &* 2, as: UInt16.self))
                                    sums[ox] &+= (v & 0xFF) &+ (v >> 8)
                                }
                            case 4:
                                for ox in 0..<ow {
                                    let v = row.loadUnaligned(fromByteOffset: ox &* 4, as: UInt32.self)
                                    let pairs = (v & 0x00FF_00FF) &+ ((v >> 8) & 0x00FF_00FF)
                                    sums[ox] &+= (pairs & 0xFFFF) &+ (pairs >> 16)
                                }
                            case 8:
                                for ox in 0..<ow {
                                    let v = row.loadUnaligned(fromByteOffset: ox &* 8, as: UInt64.self)
                                    let pairs = (v & 0x00FF_00FF_00FF_00FF) &+ ((v >> 8) & 0x00FF_00FF_00FF_00FF)
                                    let quads = (pairs & 0x0000_FFFF_0000_FFFF) &+ ((pairs >> 16) & 0x0000_FFFF_0000_FFFF)
                                    sums[ox] &+= UInt32(truncatingIfNeeded: (quads & 0xFFFF_FFFF) &+ (quads >> 32))
                                }
                            default:
                                for ox in 0..<ow {
                                    var s: UInt32 = 0
                                    let p = base &+ ox &* factor
                                    for dx in 0..<factor { s &+= UInt32(src[p &+ dx]) }
                                    sums[ox] &+= s
                                }
                            }
                        }
                        let o = oy &* ow
                        for ox in 0..<ow { dst[o &+ ox] = UInt8((sums[ox] &+ half) / area) }
                    }
                }
            }
        }
        return GrayImage(width: ow, height: oh, pixels: out)
    }

    /// The image with every value inverted (light-on-dark codes become dark-on-light).
    public func inverted() -> GrayImage {
        var out = pixels
        out.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = 255 &- p[i] }
        }
        return GrayImage(width: width, height: height, pixels: out)
    }

    /// The image mirrored left to right.
    public func mirrored() -> GrayImage {
        var out = [UInt8](repeating: 0, count: pixelCount)
        for y in 0..<height {
            let row = y * width
            for x in 0..<width { out[row + x] = pixels[row + width - 1 - x] }
        }
        return GrayImage(width: width, height: height, pixels: out)
    }

    /// The image rotated by a multiple of 90° clockwise.
    public func rotated(quarterTurns: Int) -> GrayImage {
        let q = ((quarterTurns % 4) + 4) % 4
        if q == 0 { return self }
        let ow = q == 2 ? width : height, oh = q == 2 ? height : width
        var out = [UInt8](repeating: 0, count: pixelCount)
        for y in 0..<height {
            for x in 0..<width {
                let (nx, ny): (Int, Int)
                switch q {
                case 1: (nx, ny) = (height - 1 - y, x)
                case 2: (nx, ny) = (width - 1 - x, height - 1 - y)
                default: (nx, ny) = (y, width - 1 - x)
                }
                out[ny * ow + nx] = pixels[y * width + x]
            }
        }
        return GrayImage(width: ow, height: oh, pixels: out)
    }
}
