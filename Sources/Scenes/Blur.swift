/// The camera's optics and shake, on the floating-point scene.
extension Canvas {
    /// Separable Gaussian defocus; borders repeat the edge pixel.
    mutating func gaussianBlur(sigma: Double) {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(SceneMath.exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        for i in kernel.indices { kernel[i] /= total }
        var scratch = [Float](repeating: 0, count: values.count)
        let w = width, h = height
        kernel.withUnsafeBufferPointer { k in
            values.withUnsafeMutableBufferPointer { v in
                scratch.withUnsafeMutableBufferPointer { t in
                    // Rows into scratch, then columns back.
                    for y in 0..<h {
                        let row = y &* w
                        for x in 0..<w {
                            var sum: Float = 0
                            for j in -radius...radius {
                                let xx = min(w &- 1, max(0, x &+ j))
                                sum += k[j &+ radius] * v[row &+ xx]
                            }
                            t[row &+ x] = sum
                        }
                    }
                    for y in 0..<h {
                        for x in 0..<w {
                            var sum: Float = 0
                            for j in -radius...radius {
                                let yy = min(h &- 1, max(0, y &+ j))
                                sum += k[j &+ radius] * t[yy &* w &+ x]
                            }
                            v[y &* w &+ x] = sum
                        }
                    }
                }
            }
        }
    }

    /// A straight streak: the average of bilinear samples spaced at most a pixel apart along a
    /// segment of `length` pixels at `angle` degrees, centred on each pixel.
    mutating func motionBlur(length: Double, angle: Double) {
        let steps = max(2, Int(length.rounded(.up)) + 1)
        let direction = SceneMath.sinCos(SceneMath.radians(angle))
        let offsets: [(Double, Double)] = (0..<steps).map { i in
            let t = (Double(i) / Double(steps - 1) - 0.5) * length
            return (t * direction.cos, t * direction.sin)
        }
        let source = values
        let w = width, h = height
        let weight = Float(1) / Float(steps)
        source.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { out in
                for y in 0..<h {
                    for x in 0..<w {
                        var sum: Float = 0
                        for (ox, oy) in offsets {
                            let sx = min(Double(w - 1), max(0, Double(x) + ox))
                            let sy = min(Double(h - 1), max(0, Double(y) + oy))
                            let ix = Int(sx), iy = Int(sy)
                            let fx = Float(sx - Double(ix)), fy = Float(sy - Double(iy))
                            let ix1 = min(w &- 1, ix &+ 1), iy1 = min(h &- 1, iy &+ 1)
                            let top = src[iy &* w &+ ix] + (src[iy &* w &+ ix1] - src[iy &* w &+ ix]) * fx
                            let bottom = src[iy1 &* w &+ ix] + (src[iy1 &* w &+ ix1] - src[iy1 &* w &+ ix]) * fx
                            sum += top + (bottom - top) * fy
                        }
                        out[y &* w &+ x] = sum * weight
                    }
                }
            }
        }
    }
}
