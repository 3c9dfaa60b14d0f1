/// Finds the 5×5 alignment pattern nearest to where the symbol's geometry predicts it.
struct AlignmentPatternFinder {
    let image: BinaryImage

    /// Searches a square of `radius` pixels around `predicted` for a dark one-module stone with a
    /// light ring, returning the candidate closest to the prediction.
    /// With `requireOuterRing`, only a candidate that also shows the dark ring two modules out
    /// is returned (for wide searches, where the data holds many single dark modules).
    func find(near predicted: Point, moduleSize m: Double, radius: Double, requireOuterRing: Bool = false) -> Point? {
        let x0 = max(0, Int(predicted.x - radius)), x1 = min(image.width - 1, Int(predicted.x + radius))
        let y0 = max(0, Int(predicted.y - radius)), y1 = min(image.height - 1, Int(predicted.y + radius))
        guard x1 - x0 >= 3, y1 - y0 >= 3 else { return nil }
        // Closest candidate that shows the outer dark ring too, and closest of any kind: in the
        // data of a dense symbol, single dark modules between light ones are everywhere and
        // pass the stone test, while the ring two modules out is the pattern's own.
        var best: Point?
        var bestDistance = Double.infinity
        var plain: Point?
        var plainDistance = Double.infinity
        // Rows nearest the prediction first, alternating above and below. A wide search (five
        // modules or more; around 20-pixel modules 200 pixels or more each way) reads every
        // third of a module's rows, which still crosses the one-module stone about three times
        // (`confirm` centres it): on 12 MP photos of finder-like print the alignment search
        // was a fifth of the time, half of it in wide searches. The narrow searches that place
        // a grid's patterns read every row: the centre `confirm` finds depends a little on the
        // row it starts from, and the grids of enlarged photos shifted with it.
        let cy = min(max(Int(predicted.y), y0), y1)
        let w = image.width
        let rowStep = radius >= 5 * m ? max(1, Int(m / 3)) : 1
        image.bits.withUnsafeBufferPointer { bits in
            var d = 0
            while cy - d >= y0 || cy + d <= y1 {
                for side in 0..<(d == 0 ? 1 : 2) {
                    let y = side == 0 ? cy &+ d : cy &- d
                    guard y >= y0 && y <= y1 else { continue }
                    if Double(abs(y - Int(predicted.y))) > bestDistance { return }
                    // Every dark run inside the window with light on both sides: light, dark,
                    // light. The row's runs come from `FinderPatternFinder.forEachRun` (64 pixels
                    // a step), clipped to the window; the first (dark, perhaps empty) has no light
                    // before it.
                    var index = 0, lightBefore = 0
                    var dark: (start: Int, length: Int)?
                    _ = FinderPatternFinder.forEachRun(bits.baseAddress! + (y &* w &+ x0), width: x1 &- x0 &+ 1) { start, end in
                        defer { index &+= 1 }
                        let length = end &- start
                        if index & 1 == 0 {
                            if index > 0 { dark = (start, length) }
                            return true
                        }
                        if let run = dark, RunPattern.isAlignment(lightBefore, run.length, length, moduleSize: m) {
                            let cx = Double(x0 &+ run.start) + Double(run.length) / 2
                            if let c = confirm(Point(x: cx, y: Double(y) + 0.5), moduleSize: m) {
                                let dist = c.distance(to: predicted)
                                if dist < bestDistance, hasOuterRing(c, moduleSize: m) { bestDistance = dist; best = c }
                                if dist < plainDistance { plainDistance = dist; plain = c }
                            }
                        }
                        dark = nil
                        lightBefore = length
                        return true
                    }
                }
                d &+= rowStep
            }
        }
        return requireOuterRing ? best : best ?? plain
    }

    /// Whether the ring two modules around `c` is dark and the one between light, at the eight
    /// compass points of each (at most one miss in the dark ring, for a scratch or a blurred corner).
    private func hasOuterRing(_ c: Point, moduleSize m: Double) -> Bool {
        var misses = 0
        for (dx, dy) in [(1.0, 0.0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)] {
            guard !image.isDark(x: c.x + dx * m, y: c.y + dy * m) else { return false }
            if !image.isDark(x: c.x + 2 * dx * m, y: c.y + 2 * dy * m) { misses += 1 }
        }
        return misses <= 1
    }

    /// Vertical then horizontal check through a candidate stone; returns the refined centre.
    private func confirm(_ p: Point, moduleSize m: Double) -> Point? {
        guard let v = stoneSpan(p, dx: 0, dy: 1, moduleSize: m) else { return nil }
        let q = Point(x: p.x, y: v)
        guard let h = stoneSpan(q, dx: 1, dy: 0, moduleSize: m) else { return nil }
        return Point(x: h, y: v)
    }

    /// Centre coordinate along (dx, dy) of the stone through `p` when light–dark–light around it matches.
    private func stoneSpan(_ p: Point, dx: Int, dy: Int, moduleSize m: Double) -> Double? {
        let x0 = Int(p.x), y0 = Int(p.y)
        guard image.isDark(x0, y0) else { return nil }
        let limit = Int(3 * m) + 2
        func run(_ sx: Int, _ sy: Int) -> (dark: Int, light: Int)? {
            var x = x0, y = y0, dark = 0, light = 0
            while image.isDark(x, y) { dark += 1; x += sx; y += sy; if dark > limit { return nil } }
            while x >= 0 && y >= 0 && x < image.width && y < image.height && !image.isDark(x, y) {
                light += 1; x += sx; y += sy; if light > limit { return nil }
            }
            return (dark, light)
        }
        guard let f = run(dx, dy), let b = run(-dx, -dy) else { return nil }
        let stone = f.dark + b.dark - 1
        guard RunPattern.isAlignment(b.light, stone, f.light, moduleSize: m) else { return nil }
        let start = (dx != 0 ? p.x : p.y)
        return Double(Int(start)) + 0.5 + Double(f.dark - b.dark) / 2
    }
}
