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
        var runs = [Int](repeating: 0, count: w + 1)
        var starts = [Int](repeating: 0, count: w + 1)
        image.bits.withUnsafeBufferPointer { bits in
            runs.withUnsafeMutableBufferPointer { runs in
                starts.withUnsafeMutableBufferPointer { starts in
                    var y = rowStep / 2
                    while y < h {
                        let n = Self.runLengths(bits.baseAddress! + y &* w, width: w, runs: runs.baseAddress!, starts: starts.baseAddress!)
                        // Dark runs sit at even indices.
                        var i = 0
                        while i &+ 4 < n {
                            if RunPattern.isFinder(runs[i], runs[i &+ 1], runs[i &+ 2], runs[i &+ 3], runs[i &+ 4]) {
                                let cx = Double(starts[i &+ 2]) + Double(runs[i &+ 2]) / 2
                                let total = runs[i] &+ runs[i &+ 1] &+ runs[i &+ 2] &+ runs[i &+ 3] &+ runs[i &+ 4]
                                if let p = confirm(x: cx, y: Double(y) + 0.5, horizontalTotal: total) {
                                    add(p, to: &found)
                                    if found.count > limit { return }
                                }
                            }
                            i &+= 2
                        }
                        y &+= rowStep
                    }
                }
            }
        }
        return found.sorted { $0.confirmations > $1.confirmations }
    }

    /// Run-length encodes one row of 0/1 bytes into `runs` and `starts`; runs[0] is dark
    /// (possibly of length 0) and colours alternate. Returns the number of runs.
    ///
    /// The row is packed into 64-pixel bit masks (eight bytes to eight bits with one multiply)
    /// and the edges are the set bits of mask XOR mask shifted by one: a byte-by-byte loop
    /// mispredicts a branch at every edge, and edges are what a code is made of.
    @inline(__always)
    static func runLengths(_ row: UnsafePointer<UInt8>, width w: Int, runs: UnsafeMutablePointer<Int>, starts: UnsafeMutablePointer<Int>) -> Int {
        var n = 0
        if row[0] == 0 { runs[0] = 0; starts[0] = 0; n = 1 }
        var runStart = 0
        let raw = UnsafeRawPointer(row)
        // Bit 0 of the first word has no left neighbour: it is never an edge.
        var previous = UInt64(row[0] & 1)
        var base = 0
        while base < w {
            let count = min(64, w &- base)
            var mask: UInt64 = 0
            var k = 0
            while k &+ 8 <= count {
                // Byte i (0 or 1) of the word lands on bit 56 + i of the product.
                let bytes = raw.loadUnaligned(fromByteOffset: base &+ k, as: UInt64.self)
                mask |= ((UInt64(littleEndian: bytes) &* 0x0102_0408_1020_4080) >> 56) << UInt64(k)
                k &+= 8
            }
            while k < count { mask |= UInt64(row[base &+ k] & 1) << UInt64(k); k &+= 1 }
            var edges = mask ^ (mask << 1 | previous)
            if count < 64 { edges &= (1 << UInt64(count)) &- 1 }
            previous = mask >> 63
            while edges != 0 {
                let j = base &+ edges.trailingZeroBitCount
                runs[n] = j &- runStart; starts[n] = runStart; n &+= 1
                runStart = j
                edges &= edges &- 1
            }
            base &+= 64
        }
        runs[n] = w &- runStart; starts[n] = runStart
        return n &+ 1
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
    func crossCheck(from p: Point, dx: Int, dy: Int, maxRun: Int, tolerance: Double = 1.0) -> (total: Int, offset: Double)? {
        let x0 = Int(p.x), y0 = Int(p.y)
        let w = image.width, h = image.height
        guard x0 >= 0, y0 >= 0, x0 < w, y0 < h else { return nil }
        return image.bits.withUnsafeBufferPointer { bits -> (total: Int, offset: Double)? in
            guard bits[y0 &* w &+ x0] != 0 else { return nil }
            // Runs going forward: stone part, light, dark ring. Backward likewise. Outside the
            // image counts as light for the stone and ring, and ends the light run.
            func walk(_ sx: Int, _ sy: Int) -> (stone: Int, light: Int, ring: Int)? {
                var x = x0, y = y0
                @inline(__always) func inside() -> Bool { x >= 0 && y >= 0 && x < w && y < h }
                @inline(__always) func dark() -> Bool { inside() && bits[y &* w &+ x] != 0 }
                var stone = 0, light = 0, ring = 0
                while dark() { stone &+= 1; x &+= sx; y &+= sy; if stone > maxRun { return nil } }
                while inside() && bits[y &* w &+ x] == 0 { light &+= 1; x &+= sx; y &+= sy; if light > maxRun { return nil } }
                while dark() { ring &+= 1; x &+= sx; y &+= sy; if ring > maxRun { return nil } }
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
