import QRCode

/// Renders scenes that imitate phone photos of a QR code on a tin label.
///
/// The scene is built as light falling on the label (background, printed clutter, the codes),
/// then the light changes (shadow, glare), then the camera (defocus, shake, sensor noise, clipping
/// to 8 bits). Everything printed is area-sampled (3×3 sub-samples per pixel), so even codes of
/// 1.5 pixels per module come out antialiased as a camera would see them.
public enum SceneRenderer {
    /// The scene's pixels; the same spec always gives the same bytes.
    public static func render(_ spec: SceneSpec) -> GrayImage {
        let width = max(0, spec.width), height = max(0, spec.height)
        guard width > 0, height > 0 else { return GrayImage(width: width, height: height) }
        var canvas = Canvas(width: width, height: height)
        let rng = SplitMix64(seed: spec.seed)
        canvas.paintBackground(spec.background, rng: rng.derived(1))
        var clutterRNG = rng.derived(2)
        // Unless set, finder-like clutter takes the code's module size, or without a code the
        // module size a code would have here.
        let clutterUnit = spec.clutter.finderModule ?? spec.codes.first?.moduleSize ?? Double(min(width, height)) / 150
        ClutterPainter.paint(spec.clutter, on: &canvas, moduleUnit: clutterUnit, rng: &clutterRNG)
        for (index, code) in spec.codes.enumerated() {
            var codeRNG = rng.derived(100 &+ UInt64(index))
            canvas.paint(code, rng: &codeRNG)
        }
        if let shadow = spec.shadow { canvas.apply(shadow) }
        if let glare = spec.glare { canvas.apply(glare) }
        let sigma = spec.blurSigma * spec.moduleUnit
        if sigma >= 0.05 { canvas.gaussianBlur(sigma: sigma) }
        if let motion = spec.motionBlur, motion.length * spec.moduleUnit >= 0.5 {
            canvas.motionBlur(length: motion.length * spec.moduleUnit, angle: motion.angle)
        }
        var noiseRNG = rng.derived(3)
        return canvas.quantized(noise: spec.noise, rng: &noiseRNG)
    }
}

/// Scene light as floating-point grey levels, row-major.
struct Canvas {
    let width: Int
    let height: Int
    var values: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        values = [Float](repeating: 0, count: width * height)
    }

    /// Gradient plus two octaves of smooth value noise (bilinear between random lattice values).
    mutating func paintBackground(_ background: Background, rng: SplitMix64) {
        let w = width, h = height
        let direction = SceneMath.sinCos(SceneMath.radians(background.gradientAngle))
        let diagonal = max(1, (Double(w * w + h * h)).squareRoot())
        let coarse = NoiseLattice(width: w, height: h, cell: max(8, Double(min(w, h)) / 6), rng: rng.derived(1))
        let fine = NoiseLattice(width: w, height: h, cell: max(4, Double(min(w, h)) / 40), rng: rng.derived(2))
        let level = background.level, gradient = background.gradient, texture = background.texture
        values.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                let row = y &* w
                for x in 0..<w {
                    let along = (Double(x) * direction.cos + Double(y) * direction.sin) / diagonal
                    let noise = 0.7 * coarse.value(x: Double(x), y: Double(y)) + 0.3 * fine.value(x: Double(x), y: Double(y))
                    out[row &+ x] = Float(level + gradient * (along - 0.5) + texture * 2 * (noise - 0.5))
                }
            }
        }
    }

    /// Paints a rotated rectangle of ink with area coverage from 3×3 sub-samples.
    mutating func fill(_ rect: RotatedRect) {
        let (x0, y0, x1, y1) = rect.bounds(width: width, height: height)
        guard x0 < x1, y0 < y1 else { return }
        let w = width, ink = Float(rect.ink)
        let c = rect.cosAngle, s = rect.sinAngle
        values.withUnsafeMutableBufferPointer { out in
            for y in y0..<y1 {
                for x in x0..<x1 {
                    var hits = 0
                    for sy in 0..<3 {
                        let py = Double(y) + (Double(sy) + 0.5) / 3 - rect.center.y
                        for sx in 0..<3 {
                            let px = Double(x) + (Double(sx) + 0.5) / 3 - rect.center.x
                            let lx = px * c + py * s, ly = -px * s + py * c
                            if abs(lx) <= rect.halfWidth && abs(ly) <= rect.halfHeight { hits &+= 1 }
                        }
                    }
                    guard hits > 0 else { continue }
                    let i = y &* w &+ x
                    out[i] += Float(hits) / 9 * (ink - out[i])
                }
            }
        }
    }

    /// Prints one code: the label cells (quiet zone included) sampled through the view geometry.
    mutating func paint(_ code: PlacedCode, rng: inout SplitMix64) {
        let projection = CodeProjection(code)
        guard let (x0, y0, x1, y1) = projection.bounds(width: width, height: height) else { return }
        let cells = LabelCells(code, rng: &rng)
        let extent = cells.extent, half = projection.halfExtent
        let w = width
        cells.values.withUnsafeBufferPointer { cell in
            values.withUnsafeMutableBufferPointer { out in
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        var sum = 0.0
                        var outside = 0
                        for sy in 0..<3 {
                            let py = Double(y) + (Double(sy) + 0.5) / 3
                            for sx in 0..<3 {
                                let px = Double(x) + (Double(sx) + 0.5) / 3
                                guard let p = projection.label(x: px, y: py) else { outside &+= 1; continue }
                                let mx = p.u + half, my = p.v + half
                                guard mx >= 0, my >= 0, mx < Double(extent), my < Double(extent) else {
                                    outside &+= 1
                                    continue
                                }
                                // Mild Lambertian falloff towards the tin's silhouette.
                                sum += cell[Int(my) &* extent &+ Int(mx)] * (0.75 + 0.25 * p.facing)
                            }
                        }
                        guard outside < 9 else { continue }
                        let i = y &* w &+ x
                        out[i] = Float((sum + Double(outside) * Double(out[i])) / 9)
                    }
                }
            }
        }
    }

    mutating func apply(_ shadow: Shadow) {
        let n = SceneMath.sinCos(SceneMath.radians(shadow.angle))
        let penumbra = max(0.01, shadow.penumbra)
        let keep = Float(min(1, max(0, shadow.factor)))
        let w = width, h = height
        values.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                for x in 0..<w {
                    let d = (Double(x) + 0.5 - shadow.through.x) * n.cos + (Double(y) + 0.5 - shadow.through.y) * n.sin
                    // Linear ramp across the penumbra: 0 outside the shadow, 1 fully inside.
                    let inside = Float(min(1, max(0, d / penumbra + 0.5)))
                    guard inside > 0 else { continue }
                    out[y &* w &+ x] *= 1 - inside * (1 - keep)
                }
            }
        }
    }

    mutating func apply(_ glare: Glare) {
        let sigma = max(0.5, glare.radius)
        let reach = 4 * sigma
        let x0 = max(0, Int((glare.center.x - reach).rounded(.down))), x1 = min(width, Int((glare.center.x + reach).rounded(.up)))
        let y0 = max(0, Int((glare.center.y - reach).rounded(.down))), y1 = min(height, Int((glare.center.y + reach).rounded(.up)))
        guard x0 < x1, y0 < y1 else { return }
        let w = width, scale = -1 / (2 * sigma * sigma)
        values.withUnsafeMutableBufferPointer { out in
            for y in y0..<y1 {
                let dy = Double(y) + 0.5 - glare.center.y
                for x in x0..<x1 {
                    let dx = Double(x) + 0.5 - glare.center.x
                    out[y &* w &+ x] += Float(glare.strength * SceneMath.exp((dx * dx + dy * dy) * scale))
                }
            }
        }
    }

    /// Clips to 0…255 after adding sensor noise. The noise is a sum of four uniforms scaled to
    /// unit variance: close enough to Gaussian for a sensor and cheap for 12 MP.
    func quantized(noise: Double, rng: inout SplitMix64) -> GrayImage {
        var pixels = [UInt8](repeating: 0, count: values.count)
        // Four uniforms on [0, 65535] sum to mean 2·65535 and standard deviation 65535/√3.
        let amplitude = Float(noise * 3.0.squareRoot() / 65535)
        pixels.withUnsafeMutableBufferPointer { out in
            values.withUnsafeBufferPointer { v in
                for i in 0..<v.count {
                    var value = v[i]
                    if noise > 0 {
                        let r = rng.next()
                        let sum = Float(r & 0xFFFF) + Float((r >> 16) & 0xFFFF) + Float((r >> 32) & 0xFFFF) + Float(r >> 48)
                        value += (sum - 2 * 65535) * amplitude
                    }
                    out[i] = UInt8(min(255, max(0, value.rounded())))
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }
}

/// Random values on a coarse lattice, interpolated bilinearly: soft mottling of printed card.
struct NoiseLattice {
    let columns: Int
    let cell: Double
    let values: [Double]

    init(width: Int, height: Int, cell: Double, rng: SplitMix64) {
        self.cell = cell
        columns = Int(Double(width) / cell) + 2
        let rows = Int(Double(height) / cell) + 2
        var generator = rng
        values = (0..<(columns * rows)).map { _ in generator.unit() }
    }

    @inline(__always)
    func value(x: Double, y: Double) -> Double {
        let gx = x / cell, gy = y / cell
        let ix = Int(gx), iy = Int(gy)
        let fx = gx - Double(ix), fy = gy - Double(iy)
        let i = iy &* columns &+ ix
        let top = values[i] + (values[i &+ 1] - values[i]) * fx
        let bottom = values[i &+ columns] + (values[i &+ columns &+ 1] - values[i &+ columns]) * fx
        return top + (bottom - top) * fy
    }
}

/// The grey level of every label cell (symbol plus quiet zone), with inversion and damage applied.
struct LabelCells {
    let extent: Int
    var values: [Double]

    init(_ code: PlacedCode, rng: inout SplitMix64) {
        let n = code.symbol.width, q = max(0, code.quietZone)
        extent = n + 2 * q
        let ink = code.inverted ? code.light : code.dark
        let paper = code.inverted ? code.dark : code.light
        var cells = [Double](repeating: paper, count: extent * extent)
        for y in 0..<n {
            for x in 0..<n where code.symbol[x, y] { cells[(y + q) * extent + x + q] = ink }
        }
        // Blotches: discs of smeared ink or scuffed-off print until the share of covered
        // symbol modules reaches the target.
        let target = Int((min(1, max(0, code.damageFraction)) * Double(n * n)).rounded())
        var covered = [Bool](repeating: false, count: n * n)
        var count = 0, attempts = 0
        while n > 0 && count < target && attempts < 10_000 {
            attempts += 1
            let cx = rng.uniform(0, Double(n)), cy = rng.uniform(0, Double(n))
            let radius = rng.uniform(0.8, max(1.2, Double(n) / 12))
            let tone = rng.unit() < 0.5 ? ink + rng.uniform(-10, 10) : paper + rng.uniform(-10, 10)
            let r = Int(radius.rounded(.up))
            for y in max(0, Int(cy) - r)...min(n - 1, Int(cy) + r) {
                for x in max(0, Int(cx) - r)...min(n - 1, Int(cx) + r) {
                    let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                    guard dx * dx + dy * dy <= radius * radius else { continue }
                    cells[(y + q) * extent + x + q] = tone
                    if !covered[y * n + x] {
                        covered[y * n + x] = true
                        count += 1
                    }
                }
            }
        }
        values = cells
    }
}

/// A rectangle of ink turned by an angle, the primitive of all printed clutter.
struct RotatedRect {
    var center: Point
    var halfWidth: Double
    var halfHeight: Double
    var cosAngle: Double
    var sinAngle: Double
    var ink: Double

    init(center: Point, width: Double, height: Double, angle: Double, ink: Double) {
        self.center = center
        halfWidth = width / 2
        halfHeight = height / 2
        let r = SceneMath.sinCos(SceneMath.radians(angle))
        cosAngle = r.cos
        sinAngle = r.sin
        self.ink = ink
    }

    func bounds(width: Int, height: Int) -> (Int, Int, Int, Int) {
        let ex = abs(halfWidth * cosAngle) + abs(halfHeight * sinAngle)
        let ey = abs(halfWidth * sinAngle) + abs(halfHeight * cosAngle)
        guard center.x.isFinite, center.y.isFinite, ex.isFinite, ey.isFinite,
              abs(center.x) + ex < 1e9, abs(center.y) + ey < 1e9 else { return (0, 0, 0, 0) }
        return (max(0, Int((center.x - ex).rounded(.down)) - 1), max(0, Int((center.y - ey).rounded(.down)) - 1),
                min(width, Int((center.x + ex).rounded(.up)) + 1), min(height, Int((center.y + ey).rounded(.up)) + 1))
    }
}
