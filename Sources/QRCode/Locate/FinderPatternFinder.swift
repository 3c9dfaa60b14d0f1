/// Finds finder-pattern candidates in a binary image.
///
/// Every `rowStep`-th row is cut into runs; five consecutive runs dark-light-dark-light-dark
/// with finder proportions are a hit, confirmed by re-reading the pattern vertically and
/// horizontally through its centre and diagonally. The ratio holds along any line through
/// the centre of the square, so this works at every rotation.
struct FinderPatternFinder {
    let image: BinaryImage

    func find(rowStep: Int = 1, limit: Int = 200) -> [FinderPattern] {
        var found: [FinderPattern] = []
        let w = image.width, h = image.height
        guard w >= 7, h >= 7 else { return [] }
        image.bits.withUnsafeBufferPointer { bits in
            var y = rowStep / 2
            while y < h {
                // The last five runs, r4 the newest, checked as each dark run ends: the row is
                // scanned once, without storing its runs and reading them back.
                var r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0
                var count = 0
                let go = Self.forEachRun(bits.baseAddress! + y &* w, width: w) { start, end in
                    r0 = r1; r1 = r2; r2 = r3; r3 = r4; r4 = end &- start
                    count &+= 1
                    // Dark runs sit at even indices: the window starts at one when count is odd.
                    guard count & 1 == 1, count >= 5, RunPattern.isFinder(r0, r1, r2, r3, r4) else { return true }
                    let cx = Double(start &- r3 &- r2) + Double(r2) / 2
                    let total = r0 &+ r1 &+ r2 &+ r3 &+ r4
                    if let p = confirm(x: cx, y: Double(y) + 0.5, horizontalTotal: total) {
                        add(p, to: &found)
                        if found.count > limit { return false }
                    }
                    return true
                }
                if !go { break }
                y &+= rowStep
            }
        }
        return found.sorted { $0.confirmations > $1.confirmations }
    }

    /// Calls `body(start, end)` for each run of one row of 0/1 bytes, left to right; the first
    /// run is dark (possibly empty: start = end = 0) and colours alternate. Stops, returning
    /// false, as soon as `body` does.
    ///
    /// The row is packed into 64-pixel bit masks (eight bytes to eight bits with one multiply)
    /// and the edges are the set bits of mask XOR mask shifted by one: a byte-by-byte loop
    /// mispredicts a branch at every edge, and edges are what a code is made of.
    @inline(__always)
    static func forEachRun(_ row: UnsafePointer<UInt8>, width w: Int, _ body: (_ start: Int, _ end: Int) -> Bool) -> Bool {
        if row[0] == 0 { guard body(0, 0) else { return false } }
        var runStart = 0
        let raw = UnsafeRawPointer(row)
        // Bit 0 of the first word has no left neighbour: it is never an edge.
        var previous = UInt64(row[0] & 1)
        var base = 0
        while base < w {
            let count = min(64, w &- base)
            var mask: UInt64 = 0
            if count == 64 {
                // Byte i (0 or 1) of a word lands on bit 56 + i of the product. Unrolled, the
                // shifts are constants (a shift by a variable costs three micro-ops).
                for k in 0..<8 {
                    let bytes = raw.loadUnaligned(fromByteOffset: base &+ 8 &* k, as: UInt64.self)
                    mask |= ((UInt64(littleEndian: bytes) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 &* k)
                }
            } else {
                var k = 0
                while k &+ 8 <= count {
                    let bytes = raw.loadUnaligned(fromByteOffset: base &+ k, as: UInt64.self)
                    mask |= ((UInt64(littleEndian: bytes) &* 0x0102_0408_1020_4080) >> 56) << UInt64(k)
                    k &+= 8
                }
                while k < count { mask |= UInt64(row[base &+ k] & 1) << UInt64(k); k &+= 1 }
            }
            var edges = mask ^ (mask << 1 | previous)
            if count < 64 { edges &= (1 << UInt64(count)) &- 1 }
            previous = mask >> 63
            while edges != 0 {
                let j = base &+ edges.trailingZeroBitCount
                guard body(runStart, j) else { return false }
                runStart = j
                edges &= edges &- 1
            }
            base &+= 64
        }
        return body(runStart, w)
    }

    private func add(_ p: FinderPattern, to found: inout [FinderPattern]) {
        for k in found.indices {
            let f = found[k]
            let ratio = f.moduleSize > p.moduleSize ? f.moduleSize / p.moduleSize : p.moduleSize / f.moduleSize
            if f.center.distance(to: p.center) < 2.5 * max(f.moduleSize, p.moduleSize) && ratio < 2 {
                let c = Double(f.confirmations)
                found[k] = FinderPattern(
                    center: (f.center * c + p.center) * (1 / (c + 1)),
                    moduleSize: (f.moduleSize * c + p.moduleSize) / (c + 1),
                    confirmations: f.confirmations + 1)
                return
            }
        }
        found.append(p)
    }

    /// Re-reads a horizontal hit vertically, horizontally again and along a diagonal.
    func confirm(x: Double, y: Double, horizontalTotal: Int) -> FinderPattern? {
        let maxRun = horizontalTotal * 3
        guard let v = crossCheck(from: Point(x: x, y: y), dx: 0, dy: 1, maxRun: maxRun) else { return nil }
        let cy = y + v.offset
        guard let hz = crossCheck(from: Point(x: x, y: cy), dx: 1, dy: 0, maxRun: maxRun) else { return nil }
        let cx = x + hz.offset
        let ratio = Double(max(v.total, hz.total)) / Double(max(1, min(v.total, hz.total)))
        guard ratio < 4 else { return nil }
        guard let v2 = crossCheck(from: Point(x: cx, y: cy), dx: 0, dy: 1, maxRun: maxRun) else { return nil }
        let center = Point(x: cx, y: cy + v2.offset)
        // Diagonals: the structure must be there too, with relaxed proportions.
        guard crossCheck(from: center, dx: 1, dy: 1, maxRun: maxRun, tolerance: 1.6) != nil
                || crossCheck(from: center, dx: 1, dy: -1, maxRun: maxRun, tolerance: 1.6) != nil
        else { return nil }
        return FinderPattern(center: center, moduleSize: Double(hz.total + v2.total) / 14)
    }

    /// Walks from `p` in both directions (dx, dy) reading stone, light ring and dark ring.
    /// Returns the total pattern length in steps and the offset of the stone's midpoint from `p`.
    /// `dx` and `dy` are each −1, 0 or 1.
    func crossCheck(from p: Point, dx: Int, dy: Int, maxRun: Int, tolerance: Double = 1.0) -> (total: Int, offset: Double)? {
        let x0 = Int(p.x), y0 = Int(p.y)
        let w = image.width, h = image.height
        guard x0 >= 0, y0 >= 0, x0 < w, y0 < h else { return nil }
        return image.bits.withUnsafeBufferPointer { bits -> (total: Int, offset: Double)? in
            let origin = y0 &* w &+ x0
            guard bits[origin] != 0 else { return nil }
            // Runs going forward: stone part, light, dark ring. Backward likewise. Outside the
            // image counts as light for the stone and ring, and ends the light run.
            func walk(_ sx: Int, _ sy: Int) -> (stone: Int, light: Int, ring: Int)? {
                // How many pixels of the ray, the first included, lie inside the image: counting
                // them down replaces four bounds tests and a multiply per step.
                let alongX = sx > 0 ? w &- x0 : sx < 0 ? x0 &+ 1 : Int.max
                let alongY = sy > 0 ? h &- y0 : sy < 0 ? y0 &+ 1 : Int.max
                var left = min(alongX, alongY)
                let step = sy &* w &+ sx
                var i = origin
                var stone = 0, light = 0, ring = 0
                while left > 0 && bits[i] != 0 { stone &+= 1; i &+= step; left &-= 1; if stone > maxRun { return nil } }
                while left > 0 && bits[i] == 0 { light &+= 1; i &+= step; left &-= 1; if light > maxRun { return nil } }
                while left > 0 && bits[i] != 0 { ring &+= 1; i &+= step; left &-= 1; if ring > maxRun { return nil } }
                guard light > 0, ring > 0 else { return nil }
                return (stone, light, ring)
            }
            guard let f = walk(dx, dy), let b = walk(-dx, -dy) else { return nil }
            let stone = f.stone + b.stone - 1
            guard RunPattern.isFinder(b.ring, b.light, stone, f.light, f.ring, tolerance: tolerance) else { return nil }
            let total = b.ring + b.light + stone + f.light + f.ring
            // Midpoint of the stone relative to the start pixel, in steps along the direction.
            let offset = (Double(f.stone) - Double(b.stone)) / 2
            return (total, offset * Double(dx != 0 ? dx : dy))
        }
    }
}
