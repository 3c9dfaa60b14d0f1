import QRCode

/// The view geometry of one placed code, both ways: scene pixel → label position in modules
/// (for sampling), and label → scene (for the bounding box).
///
/// Label coordinates (u, v) are modules measured from the symbol centre, u along rows, v along
/// columns. The label is first wrapped on the cylinder (seen from the front: a label point at arc
/// length u lands at x = R·sin(u/R)), then the plane is tilted and projected by a pinhole camera
/// (a homography), then rotated, scaled to pixels and moved to its centre in the scene.
struct CodeProjection {
    let center: Point
    let scale: Double
    let cosR: Double, sinR: Double
    /// Plane → screen homography and its inverse.
    let forward: Matrix3
    let inverse: Matrix3
    /// Cylinder radius in modules, or nil for a flat label.
    let radius: Double?
    let mirrored: Bool
    /// Half the label extent (symbol plus quiet zone), modules.
    let halfExtent: Double

    init(_ code: PlacedCode) {
        center = code.center
        scale = max(code.moduleSize, 1e-6)
        let r = SceneMath.sinCos(SceneMath.radians(code.rotation))
        cosR = r.cos
        sinR = r.sin
        let width = Double(code.symbol.width)
        halfExtent = width / 2 + Double(max(0, code.quietZone))
        radius = code.cylinderRadius.map { max($0, 0.05) * width }
        mirrored = code.mirrored
        // Rodrigues rotation about the in-plane axis k = (cos a, sin a, 0) by the tilt angle.
        let a = SceneMath.sinCos(SceneMath.radians(code.tilt.axis))
        let t = SceneMath.sinCos(SceneMath.radians(code.tilt.angle))
        let (kx, ky) = (a.cos, a.sin)
        let c = t.cos, s = t.sin, oneMinus = 1 - t.cos
        // Columns of R for the plane's x and y axes (z of the plane is 0).
        let r1 = (c + kx * kx * oneMinus, kx * ky * oneMinus, -ky * s)
        let r2 = (kx * ky * oneMinus, c + ky * ky * oneMinus, kx * s)
        let d = max(code.tilt.viewDistance, 0.5) * width
        forward = Matrix3(d * r1.0, d * r2.0, 0, d * r1.1, d * r2.1, 0, r1.2, r2.2, d)
        inverse = forward.inverted()
    }

    /// The label position (u, v) in modules seen at scene point (x, y), with the cosine of the
    /// surface's turn away from the viewer there (1 on a flat label); nil where the view misses
    /// the label's cylinder or looks at the plane from behind.
    @inline(__always)
    func label(x: Double, y: Double) -> (u: Double, v: Double, facing: Double)? {
        let dx = (x - center.x) / scale, dy = (y - center.y) / scale
        let sx = dx * cosR + dy * sinR
        let sy = -dx * sinR + dy * cosR
        let h = inverse
        let w = h.g * sx + h.h * sy + h.i
        guard abs(w) > 1e-12 else { return nil }
        let px = (h.a * sx + h.b * sy + h.c) / w
        let py = (h.d * sx + h.e * sy + h.f) / w
        guard forward.g * px + forward.h * py + forward.i > 0 else { return nil }
        guard let radius else { return (mirrored ? -px : px, py, 1) }
        let sine = px / radius
        guard abs(sine) < 1 else { return nil }
        let u = radius * SceneMath.asin(sine)
        return (mirrored ? -u : u, py, (1 - sine * sine).squareRoot())
    }

    /// Scene position of label point (u, v); on a cylinder, u beyond a quarter turn is clamped
    /// to the silhouette.
    func scene(u: Double, v: Double) -> Point {
        var px = mirrored ? -u : u
        if let radius {
            let angle = min(SceneMath.pi / 2, max(-SceneMath.pi / 2, px / radius))
            px = radius * SceneMath.sin(angle)
        }
        let f = forward
        let w = f.g * px + f.h * v + f.i
        let sx = (f.a * px + f.b * v + f.c) / w, sy = (f.d * px + f.e * v + f.f) / w
        let dx = sx * cosR - sy * sinR, dy = sx * sinR + sy * cosR
        return Point(x: center.x + dx * scale, y: center.y + dy * scale)
    }

    /// Pixel rectangle covering the label, clipped to the scene: the label border traced densely.
    func bounds(width: Int, height: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        let steps = 64
        for i in 0...steps {
            let t = -halfExtent + 2 * halfExtent * Double(i) / Double(steps)
            for p in [scene(u: t, v: -halfExtent), scene(u: t, v: halfExtent), scene(u: -halfExtent, v: t), scene(u: halfExtent, v: t)] {
                minX = min(minX, p.x); maxX = max(maxX, p.x)
                minY = min(minY, p.y); maxY = max(maxY, p.y)
            }
        }
        guard minX.isFinite, maxX.isFinite, minY.isFinite, maxY.isFinite else { return nil }
        let x0 = max(0, Int(minX.rounded(.down)) - 2), y0 = max(0, Int(minY.rounded(.down)) - 2)
        let x1 = min(width, Int(maxX.rounded(.up)) + 3), y1 = min(height, Int(maxY.rounded(.up)) + 3)
        guard x0 < x1, y0 < y1 else { return nil }
        return (x0, y0, x1, y1)
    }
}

/// A row-major 3×3 matrix [a b c; d e f; g h i], held in scalars for the per-sample hot loop.
struct Matrix3 {
    var a, b, c, d, e, f, g, h, i: Double

    init(_ a: Double, _ b: Double, _ c: Double, _ d: Double, _ e: Double, _ f: Double, _ g: Double, _ h: Double, _ i: Double) {
        (self.a, self.b, self.c, self.d, self.e, self.f, self.g, self.h, self.i) = (a, b, c, d, e, f, g, h, i)
    }

    /// The inverse by the adjugate; the identity when the matrix is singular (a degenerate view).
    func inverted() -> Matrix3 {
        let A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g
        let det = a * A + b * B + c * C
        guard abs(det) > 1e-300 else { return Matrix3(1, 0, 0, 0, 1, 0, 0, 0, 1) }
        let r = 1 / det
        return Matrix3(
            A * r, -(b * i - c * h) * r, (b * f - c * e) * r,
            B * r, (a * i - c * g) * r, -(a * f - c * d) * r,
            C * r, -(a * h - b * g) * r, (a * e - b * d) * r)
    }
}
