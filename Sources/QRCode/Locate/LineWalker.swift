/// Reads run lengths in a binary image along an arbitrary direction.
struct LineWalker {
    let image: BinaryImage

    /// Length in pixels of the finder pattern through `center` along the unit vector `dir`
    /// (stone + light ring + dark ring on both sides), or nil when the structure is not there.
    func finderLength(center: Point, direction dir: Point, maxLength: Double) -> Double? {
        func walk(_ sign: Double) -> (stone: Double, light: Double, ring: Double)? {
            var t = 0.0
            func dark(_ t: Double) -> Bool {
                image.isDark(x: center.x + sign * dir.x * t, y: center.y + sign * dir.y * t)
            }
            func inside(_ t: Double) -> Bool {
                let x = center.x + sign * dir.x * t, y = center.y + sign * dir.y * t
                return x >= 0 && y >= 0 && x < Double(image.width) && y < Double(image.height)
            }
            while dark(t) { t += 1; if t > maxLength { return nil } }
            let stone = t
            while inside(t) && !dark(t) { t += 1; if t > maxLength { return nil } }
            let light = t - stone
            while dark(t) { t += 1; if t > maxLength { return nil } }
            let ring = t - stone - light
            guard light > 0, ring > 0 else { return nil }
            return (stone, light, ring)
        }
        guard image.isDark(x: center.x, y: center.y),
              let f = walk(1), let b = walk(-1) else { return nil }
        let stone = f.stone + b.stone - 1  // both walks start on the centre pixel
        guard RunPattern.isFinder(Int(b.ring.rounded()), Int(b.light.rounded()), Int(stone.rounded()),
                                  Int(f.light.rounded()), Int(f.ring.rounded()), tolerance: 1.4)
        else { return nil }
        return b.ring + b.light + stone + f.light + f.ring
    }
}
