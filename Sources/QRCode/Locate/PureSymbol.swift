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
            guard let base = bits.baseAddress else { return }
            func inked(_ y: Int) -> Bool { Self.firstInk(base + y &* w, from: 0, to: w) < w }
            guard let top = (0..<h).first(where: inked) else { return }
            minY = top
            maxY = (top..<h).last(where: inked)!
            // Each row is read from the left only up to the leftmost ink so far and from the
            // right only down to the rightmost: a photo full of ink costs a few pixels a row.
            for y in minY...maxY {
                let row = base + y &* w
                minX = Self.firstInk(row, from: 0, to: minX)
                maxX = Self.lastInk(row, from: maxX &+ 1, to: w)
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

    /// The index of the first nonzero byte of `p[from..<to]`, or `to` when there is none.
    /// Blank paper is skipped eight bytes at a time.
    @inline(__always)
    static func firstInk(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        let raw = UnsafeRawPointer(p)
        var x = from
        while x &+ 8 <= to {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: x, as: UInt64.self))
            if word != 0 { return x &+ word.trailingZeroBitCount >> 3 }
            x &+= 8
        }
        while x < to && p[x] == 0 { x &+= 1 }
        return x
    }

    /// The index of the last nonzero byte of `p[from..<to]`, or `from − 1` when there is none.
    @inline(__always)
    static func lastInk(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        let raw = UnsafeRawPointer(p)
        var end = to
        while end &- 8 >= from {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: end &- 8, as: UInt64.self))
            if word != 0 { return end &- 1 &- word.leadingZeroBitCount >> 3 }
            end &-= 8
        }
        var x = end &- 1
        while x >= from && p[x] == 0 { x &-= 1 }
        return x
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
