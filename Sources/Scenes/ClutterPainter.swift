import QRCode

/// Printed matter of a tin label: lines of glyph-like strokes, boxes, and squares that look like
/// QR finder patterns (single, and in L-shaped triples like a code's three corners).
enum ClutterPainter {
    static func paint(_ clutter: Clutter, on canvas: inout Canvas, moduleUnit: Double, rng: inout SplitMix64) {
        let w = Double(canvas.width), h = Double(canvas.height)
        let shortSide = min(w, h)
        // Labels are printed square to the tin: most clutter shares one direction.
        let labelAngle = rng.uniform(-180, 180)
        for _ in 0..<max(0, clutter.textLines) {
            let height = shortSide * rng.uniform(0.012, 0.035)
            let angle = labelAngle + rng.uniform(-3, 3)
            let start = Point(x: rng.uniform(-0.1, 0.9) * w, y: rng.uniform(0, 1) * h)
            let length = rng.uniform(0.15, 0.6) * w
            let ink = rng.uniform(10, 90)
            textLine(from: start, length: length, height: height, angle: angle, ink: ink, on: &canvas, rng: &rng)
        }
        for _ in 0..<max(0, clutter.boxes) {
            let center = Point(x: rng.uniform(0, w), y: rng.uniform(0, h))
            let bw = rng.uniform(0.05, 0.4) * shortSide, bh = rng.uniform(0.05, 0.3) * shortSide
            let stroke = max(1, shortSide * rng.uniform(0.002, 0.008))
            let angle = labelAngle + (rng.unit() < 0.5 ? 0 : 90)
            box(center: center, width: bw, height: bh, stroke: stroke, angle: angle, ink: rng.uniform(10, 90), on: &canvas)
        }
        var remaining = max(0, clutter.finderLikes)
        while remaining > 0 {
            let module = moduleUnit * rng.uniform(0.7, 1.6)
            let angle = rng.uniform(-180, 180)
            let center = Point(x: rng.uniform(0.05, 0.95) * w, y: rng.uniform(0.05, 0.95) * h)
            if remaining >= 3 && rng.unit() < 0.4 {
                // Three finders at the corners of a would-be symbol, with random cells between.
                let span = Double(rng.int(14...40)) * module
                let r = SceneMath.sinCos(SceneMath.radians(angle))
                func at(_ a: Double, _ b: Double) -> Point {
                    Point(x: center.x + a * r.cos - b * r.sin, y: center.y + a * r.sin + b * r.cos)
                }
                for (a, b) in [(-span / 2, -span / 2), (span / 2, -span / 2), (-span / 2, span / 2)] {
                    finderLike(center: at(a, b), module: module, angle: angle, on: &canvas)
                }
                let cells = Int(span / module) - 8
                if cells > 0 {
                    for _ in 0..<(cells * cells / 3) {
                        let a = -span / 2 + (Double(rng.int(0...(cells - 1))) + 4.5) * module
                        let b = -span / 2 + (Double(rng.int(0...(cells - 1))) + 4.5) * module
                        canvas.fill(RotatedRect(center: at(a, b), width: module, height: module, angle: angle, ink: 25))
                    }
                }
                remaining -= 3
            } else {
                finderLike(center: center, module: module, angle: angle, on: &canvas)
                remaining -= 1
            }
        }
    }

    /// Glyphs built from two to four strokes of a seven-segment cell, with gaps between words.
    static func textLine(from start: Point, length: Double, height: Double, angle: Double, ink: Double,
                         on canvas: inout Canvas, rng: inout SplitMix64) {
        let r = SceneMath.sinCos(SceneMath.radians(angle))
        let stroke = max(0.8, height * 0.14)
        var along = 0.0
        while along < length {
            let glyphWidth = height * rng.uniform(0.45, 0.75)
            let segments = [(0.0, -0.5, true), (0.0, 0.0, true), (0.0, 0.5, true), (-0.5, 0.0, false), (0.5, 0.0, false)]
            var drawn = 0
            for (index, (sx, sy, horizontal)) in segments.enumerated() {
                guard rng.unit() < 0.5 || (drawn == 0 && index == segments.count - 1) else { continue }
                drawn += 1
                let a = along + glyphWidth / 2 + sx * glyphWidth, b = sy * height
                let center = Point(x: start.x + a * r.cos - b * r.sin, y: start.y + a * r.sin + b * r.cos)
                canvas.fill(RotatedRect(center: center, width: horizontal ? glyphWidth : stroke,
                                        height: horizontal ? stroke : height, angle: angle, ink: ink))
            }
            along += glyphWidth * 1.3
            if rng.unit() < 0.18 { along += glyphWidth }
        }
    }

    static func box(center: Point, width: Double, height: Double, stroke: Double, angle: Double, ink: Double, on canvas: inout Canvas) {
        let r = SceneMath.sinCos(SceneMath.radians(angle))
        func at(_ a: Double, _ b: Double) -> Point {
            Point(x: center.x + a * r.cos - b * r.sin, y: center.y + a * r.sin + b * r.cos)
        }
        canvas.fill(RotatedRect(center: at(0, -height / 2), width: width, height: stroke, angle: angle, ink: ink))
        canvas.fill(RotatedRect(center: at(0, height / 2), width: width, height: stroke, angle: angle, ink: ink))
        canvas.fill(RotatedRect(center: at(-width / 2, 0), width: stroke, height: height, angle: angle, ink: ink))
        canvas.fill(RotatedRect(center: at(width / 2, 0), width: stroke, height: height, angle: angle, ink: ink))
    }

    /// Dark 7×7, light 5×5, dark 3×3 modules: the 1:1:3:1:1 profile of a finder pattern.
    static func finderLike(center: Point, module: Double, angle: Double, on canvas: inout Canvas) {
        canvas.fill(RotatedRect(center: center, width: 9 * module, height: 9 * module, angle: angle, ink: 230))
        canvas.fill(RotatedRect(center: center, width: 7 * module, height: 7 * module, angle: angle, ink: 25))
        canvas.fill(RotatedRect(center: center, width: 5 * module, height: 5 * module, angle: angle, ink: 230))
        canvas.fill(RotatedRect(center: center, width: 3 * module, height: 3 * module, angle: angle, ink: 25))
    }
}
