/// The penalty score of ISO/IEC 18004:2015 7.8.3.1 (table 11) by which the encoder picks a
/// data mask: lower is better.
///
/// - N1 (3 + i): each run of 5 + i same-coloured modules in a row or column.
/// - N2 (3 per 2×2): every 2×2 square of one colour, overlapping squares counted separately,
///   which gives 3·(m−1)·(n−1) for an m×n block.
/// - N3 (40): each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) pattern in a row or
///   column with (at least) 4 light modules before or after it, counted once per
///   occurrence. The standard leaves the symbol edge open; modules beyond it count as light
///   here, since the quiet zone is light (this only adds the same constant to every mask
///   for the finder patterns themselves).
/// - N4 (10·k): k = ⌊|dark% − 50| / 5⌋.
public enum MaskPenalty {
    /// N1 + N2 + N3 + N4 of the complete symbol `matrix`.
    public static func score(_ matrix: BitMatrix) -> Int {
        let score = components(matrix)
        return score.n1 + score.n2 + score.n3 + score.n4
    }

    /// The four terms separately.
    public static func components(_ matrix: BitMatrix) -> (n1: Int, n2: Int, n3: Int, n4: Int) {
        let w = matrix.width, h = matrix.height
        guard w > 0, h > 0 else { return (0, 0, 0, 0) }
        var cells = [UInt8](repeating: 0, count: w * h)
        var dark = 0
        for y in 0..<h {
            for x in 0..<w where matrix[x, y] {
                cells[y * w + x] = 1
                dark += 1
            }
        }
        var n1 = 0, n2 = 0, n3 = 0
        cells.withUnsafeBufferPointer { c in
            // Rows: start y·w, step 1; columns: start x, step w.
            for y in 0..<h {
                let line = lineScores(c, start: y &* w, step: 1, length: w)
                n1 &+= line.runs
                n3 &+= line.finderLike
            }
            for x in 0..<w {
                let line = lineScores(c, start: x, step: w, length: h)
                n1 &+= line.runs
                n3 &+= line.finderLike
            }
            for y in 0..<(h - 1) {
                let row = y &* w
                for x in 0..<(w - 1) {
                    let v = c[row &+ x]
                    if c[row &+ x &+ 1] == v && c[row &+ w &+ x] == v && c[row &+ w &+ x &+ 1] == v { n2 &+= 3 }
                }
            }
        }
        let total = w * h
        let k = abs(20 * dark - 10 * total) / total
        return (n1, n2, n3, 10 * k)
    }

    /// N1 and N3 points of one row or column.
    private static func lineScores(_ c: UnsafeBufferPointer<UInt8>, start: Int, step: Int, length: Int) -> (runs: Int, finderLike: Int) {
        @inline(__always) func at(_ i: Int) -> UInt8 {
            i >= 0 && i < length ? c[start &+ i &* step] : 0
        }
        var runs = 0
        var runLength = 1
        for i in 1...length {
            if i < length && at(i) == at(i - 1) {
                runLength &+= 1
            } else {
                if runLength >= 5 { runs &+= runLength - 2 }
                runLength = 1
            }
        }
        var finderLike = 0
        if length >= 7 {
            for i in 0...(length - 7) {
                guard at(i) == 1, at(i + 1) == 0, at(i + 2) == 1, at(i + 3) == 1, at(i + 4) == 1,
                      at(i + 5) == 0, at(i + 6) == 1 else { continue }
                let lightBefore = at(i - 1) == 0 && at(i - 2) == 0 && at(i - 3) == 0 && at(i - 4) == 0
                let lightAfter = at(i + 7) == 0 && at(i + 8) == 0 && at(i + 9) == 0 && at(i + 10) == 0
                if lightBefore || lightAfter { finderLike &+= 40 }
            }
        }
        return (runs, finderLike)
    }
}
