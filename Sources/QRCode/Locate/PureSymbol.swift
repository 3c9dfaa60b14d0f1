/// A symbol that is the whole picture, in any quarter turn: a generated label, a screenshot, a
/// tight crop. Its grid comes straight from the bounding box of the ink. This is the last resort
/// for symbols drawn at one pixel per module without a quiet zone, where the finder search
/// misjudges a dense version-40 field (its dimension estimate and version bits are off by a
/// pixel at every step).
enum PureSymbol {
    /// The grid of the symbol filling `binary`, or nil when the ink does not look like one:
    /// not square, not exactly three finder corners, or a size that is no QR dimension.
    static func grid(_ binary: BinaryImage) -> SamplingGrid? {
        let w = binary.width, h = binary.height
        var minX = w, maxX = -1, minY = h, maxY = -1
        binary.bits.withUnsafeBufferPointer { bits in
            func inked(_ y: Int) -> Bool { bits[(y &* w)..<(y &* w &+ w)].contains { $0 != 0 } }
            guard let top = (0..<h).first(where: inked) else { return }
            minY = top
            maxY = (top..<h).last(where: inked)!
            // Each row is read from the left only up to the leftmost ink so far and from the
            // right only down to the rightmost: a photo full of ink costs a few pixels a row.
            for y in minY...maxY {
                let row = y &* w
                var x = 0
                while x < minX && bits[row &+ x] == 0 { x &+= 1 }
                if x < minX { minX = x }
                x = w &- 1
                while x > maxX && bits[row &+ x] == 0 { x &-= 1 }
                if x > maxX { maxX = x }
            }
        }
        guard maxX >= minX, maxY >= minY else { return nil }
        let width = maxX - minX + 1, height = maxY - minY + 1
        guard width >= 21, abs(width - height) <= max(2, width / 20) else { return nil }
        // Corners clockwise from top-left: pixel, inward x and y steps, and the box corner point.
        let corners: [(x: Int, y: Int, sx: Int, sy: Int, point: Point)] = [
            (minX, minY, 1, 1, Point(x: Double(minX), y: Double(minY))),
            (maxX, minY, -1, 1, Point(x: Double(maxX + 1), y: Double(minY))),
            (maxX, maxY, -1, -1, Point(x: Double(maxX + 1), y: Double(maxY + 1))),
            (minX, maxY, 1, -1, Point(x: Double(minX), y: Double(maxY + 1))),
        ]
        let modules = corners.map { finderModule(binary, x: $0.x, y: $0.y, sx: $0.sx, sy: $0.sy, limit: width / 2) }
        let finders = modules.indices.filter { modules[$0] != nil }
        guard finders.count == 3, let missing = modules.firstIndex(where: { $0 == nil }) else { return nil }
        let module = finders.map { modules[$0]! }.reduce(0, +) / 3
        let count = Double(width) / module
        let dimension = Int(((count - 17) / 4).rounded()) * 4 + 17
        guard dimension >= 21, dimension <= 177, abs(count - Double(dimension)) < 0.1 * Double(dimension) else { return nil }
        // The finder across from the corner without one is the symbol's top-left.
        let topLeft = (missing + 2) % 4
        let d = Double(dimension)
        let order = [topLeft, (topLeft + 1) % 4, missing, (topLeft + 3) % 4].map { corners[$0].point }
        guard let transform = PerspectiveTransform(
            from: [Point(x: 0, y: 0), Point(x: d, y: 0), Point(x: d, y: d), Point(x: 0, y: d)], to: order) else { return nil }
        return SamplingGrid(dimension: dimension, transform: transform)
    }

    /// The module size of a finder pattern whose outer corner is pixel (x, y), reading inward
    /// along x (step sx) and y (step sy); nil when the corner does not hold one. The dark outer
    /// edge is seven modules long both ways, the ring one module thick, the stone three wide.
    static func finderModule(_ b: BinaryImage, x: Int, y: Int, sx: Int, sy: Int, limit: Int) -> Double? {
        var rx = 0, ry = 0
        while rx < limit, b.isDark(x + rx * sx, y) { rx += 1 }
        while ry < limit, b.isDark(x, y + ry * sy) { ry += 1 }
        guard rx >= 7, ry >= 7, abs(rx - ry) <= max(1, rx / 7) else { return nil }
        let m = Double(rx + ry) / 14
        func dark(_ mx: Double, _ my: Double) -> Bool { b.isDark(x + Int(mx * m) * sx, y + Int(my * m) * sy) }
        // Along the diagonal: ring, light gap, stone; and the light gap beside the stone.
        guard dark(0.5, 0.5), !dark(1.5, 1.5), dark(3.5, 3.5), !dark(1.5, 3.5), !dark(3.5, 1.5), dark(6.5, 3.5), dark(3.5, 6.5) else { return nil }
        return m
    }
}
