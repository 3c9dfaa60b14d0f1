import QRCode

extension SceneRenderer {
    /// `image` turned by `degrees` (clockwise on screen) about its centre, on a canvas grown to
    /// hold all of it; corners the source does not cover are white. Bilinear resampling.
    public static func rotated(_ image: GrayImage, degrees: Double) -> GrayImage {
        let w = image.width, h = image.height
        guard w > 0, h > 0, degrees.isFinite else { return image }
        let r = SceneMath.sinCos(SceneMath.radians(degrees))
        // Snap near-exact multiples of 90° so the canvas does not grow by rounding noise.
        let c = abs(r.cos) < 1e-12 ? 0 : r.cos, s = abs(r.sin) < 1e-12 ? 0 : r.sin
        let outW = max(1, Int((abs(c) * Double(w) + abs(s) * Double(h) - 1e-9).rounded(.up)))
        let outH = max(1, Int((abs(s) * Double(w) + abs(c) * Double(h) - 1e-9).rounded(.up)))
        let srcCX = Double(w) / 2, srcCY = Double(h) / 2
        let dstCX = Double(outW) / 2, dstCY = Double(outH) / 2
        var pixels = [UInt8](repeating: 255, count: outW * outH)
        image.pixels.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { out in
                for y in 0..<outH {
                    let dy = Double(y) + 0.5 - dstCY
                    for x in 0..<outW {
                        let dx = Double(x) + 0.5 - dstCX
                        // Inverse rotation back into the source, in pixel-centre coordinates.
                        let sx = dx * c + dy * s + srcCX - 0.5
                        let sy = -dx * s + dy * c + srcCY - 0.5
                        guard sx > -1, sy > -1, sx < Double(w), sy < Double(h) else { continue }
                        let ix = Int((sx).rounded(.down)), iy = Int((sy).rounded(.down))
                        let fx = sx - Double(ix), fy = sy - Double(iy)
                        @inline(__always) func at(_ px: Int, _ py: Int) -> Double {
                            guard px >= 0, py >= 0, px < w, py < h else { return 255 }
                            return Double(src[py &* w &+ px])
                        }
                        let top = at(ix, iy) + (at(ix &+ 1, iy) - at(ix, iy)) * fx
                        let bottom = at(ix, iy &+ 1) + (at(ix &+ 1, iy &+ 1) - at(ix, iy &+ 1)) * fx
                        out[y &* outW &+ x] = UInt8(min(255, max(0, (top + (bottom - top) * fy).rounded())))
                    }
                }
            }
        }
        return GrayImage(width: outW, height: outH, pixels: pixels)
    }
}
