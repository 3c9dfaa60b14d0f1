/// How well a sampled grid shows the patterns every QR symbol has: the three finders with
/// their separators and the two timing lines.
///
/// A grid sampled from the wrong place or at the wrong size matches about half of these
/// modules, a real symbol nearly all; checking this first spares Reed–Solomon and keeps
/// the search over many candidate triples cheap.
enum FunctionPatternCheck {
    /// Fraction (0…1) of finder, separator and timing modules that have their expected colour.
    static func agreement(_ m: BitMatrix) -> Double {
        let n = m.width
        guard n >= 21, m.height == n else { return 0 }
        var match = 0, total = 0
        forEachModule(dimension: n) { x, y, dark in
            total += 1
            if m[x, y] == dark { match += 1 }
        }
        return Double(match) / Double(total)
    }

    /// `agreement(samples.classify(localRadius: 3).0)`, read from the pattern modules and their
    /// 7×7 neighbourhoods alone (`GridSampler.patternBand`): each module dark when below the
    /// mean of the modules around it, the box clipped at the symbol's edge, as `classify` does.
    static func agreement(localMeansOf samples: ModuleSamples) -> Double {
        let n = samples.dimension
        guard n >= 21 else { return 0 }
        var match = 0, total = 0
        samples.values.withUnsafeBufferPointer { v in
            forEachModule(dimension: n) { x, y, dark in
                total &+= 1
                let x0 = max(0, x &- 3), x1 = min(n, x &+ 4), y0 = max(0, y &- 3), y1 = min(n, y &+ 4)
                var sum: Int32 = 0
                for yy in y0..<y1 {
                    for xx in x0..<x1 { sum &+= Int32(v[yy &* n &+ xx]) }
                }
                let threshold = Int(sum / Int32((y1 &- y0) &* (x1 &- x0)))
                if (Int(v[y &* n &+ x]) < threshold) == dark { match &+= 1 }
            }
        }
        return Double(match) / Double(total)
    }

    /// Fraction (0…1) of the timing modules (row and column 6 between the separators) that
    /// alternate as they must.
    static func timingAgreement(_ m: BitMatrix) -> Double {
        let n = m.width
        guard n >= 21, m.height == n else { return 0 }
        var match = 0
        forEachTimingModule(dimension: n) { x, y, dark in
            if m[x, y] == dark { match += 1 }
        }
        return Double(match) / Double(2 * (n - 16))
    }

    /// The same check straight from the image, sampling only the pattern modules (one bilinear
    /// sample each, thresholded at their mean): a few hundred reads instead of the whole grid,
    /// so a wrong triple or size is dismissed before anything else is spent on it.
    static func agreement(_ image: GrayImage, grid: SamplingGrid) -> Double {
        let n = grid.dimension
        let w = Double(image.width), h = Double(image.height)
        // The reader runs this on every candidate grid: the samples go to a stack buffer, not an
        // array per call. -1 marks a module off the image.
        return withUnsafeTemporaryAllocation(of: (value: Int, dark: Bool).self, capacity: 3 * 81 + 2 * n) { values in
            var count = 0, inside = 0, sum = 0
            image.pixels.withUnsafeBufferPointer { px in
                forEachModule(dimension: n) { x, y, dark in
                    let p = grid.apply(x: Double(x) + 0.5, y: Double(y) + 0.5)
                    var value = -1
                    if p.x >= 0, p.y >= 0, p.x < w, p.y < h {
                        value = GridSampler.pixelValue(px, width: image.width, height: image.height, x: p.x, y: p.y)
                        inside &+= 1
                        sum &+= value
                    }
                    values[count] = (value, dark)
                    count &+= 1
                }
            }
            guard inside * 2 > count else { return 0 }
            let mean = sum / inside
            var match = 0
            for k in 0..<count where values[k].value >= 0 && (values[k].value < mean) == values[k].dark { match &+= 1 }
            return Double(match) / Double(count)
        }
    }

    /// What the timing lines of a grid show in the image.
    enum TimingLineEvidence: Comparable {
        /// Neither line changes colour about once per module.
        case none
        /// A line changes colour about once per module, but not with a period: random modules
        /// (another code, dense print) between finder-like squares.
        case aperiodic
        /// A line alternates as a timing line does.
        case periodic
    }

    /// How well either timing line (row 6 and column 6 between the finders) shows its
    /// alternation in the image: about one dark/light change per module along the line, and
    /// changes that repeat with a period of about two modules (`periodicity`). Finder-like
    /// squares on a printed page pass the finder part of `agreement` as well as a real symbol
    /// does; between them there is paper, text or another code's modules, which change colour at
    /// half the module boundaries (enough for the count alone) but not with a period. Neither
    /// test depends on knowing the dimension exactly (an estimate four modules off still sees
    /// the real stripes between the finders).
    static func timingLines(_ image: GrayImage, grid: SamplingGrid) -> TimingLineEvidence {
        let n = grid.dimension
        guard n >= 21 else { return .none }
        let modules = n - 16
        let steps = 4 * (n - 15)
        var values = [Int](repeating: 0, count: steps + 1)
        let w = Double(image.width), h = Double(image.height)
        var evidence = TimingLineEvidence.none
        image.pixels.withUnsafeBufferPointer { px in
            for horizontal in [true, false] where evidence != .periodic {
                var inside = true
                for s in 0...steps {
                    let along = 7.5 + Double(s) / 4
                    let p = horizontal ? grid.apply(x: along, y: 6.5) : grid.apply(x: 6.5, y: along)
                    guard p.x >= 0, p.y >= 0, p.x < w, p.y < h else { inside = false; break }
                    values[s] = GridSampler.pixelValue(px, width: image.width, height: image.height, x: p.x, y: p.y)
                }
                guard inside, let lo = values.min(), let hi = values.max(), hi - lo >= 16 else { continue }
                let mid = (lo + hi) / 2
                var changes = 0
                for s in 1...steps where (values[s] < mid) != (values[s - 1] < mid) { changes += 1 }
                let ratio = Double(changes) / Double(modules)
                guard ratio >= 0.5 && ratio <= 2 else { continue }
                evidence = .aperiodic
                // On a bent or wrongly sized grid the line leaves the timing row somewhere in the
                // middle; next to the finders it is still on it, so either end alone may show it.
                let window = 4 * 16
                let periodic = periodicity(values[...]) >= minimumPeriodicity
                    || (values.count > window + 8
                        && (periodicity(values.prefix(window)) >= minimumPeriodicity
                            || periodicity(values.suffix(window)) >= minimumPeriodicity))
                if periodic { evidence = .periodic }
            }
        }
        return evidence
    }

    /// The least `periodicity` a timing line shows. Chosen from the golden run (923 photos and
    /// renders, the quick grids of every triple that got this far): the lowest line that went on
    /// to read scored 0.27 (a blurred render of the stress set); 63 % of the triples of
    /// finder-like clutter scored below 0.15.
    static let minimumPeriodicity = 0.15

    /// How strongly `values`, sampled four to a module, alternate with a period of 1.5 to 3
    /// modules (6 to 12 samples; a timing line's is 2): the best, over half periods of 3…6
    /// samples, of the least of the anticorrelation at one and three half periods and the
    /// correlation at two (−1…1). A timing line scores near 1 at all three lags; random modules
    /// near 0, and on a short line one lag alone often strays above the threshold by chance.
    static func periodicity(_ values: ArraySlice<Int>) -> Double {
        let count = values.count
        guard count > 12 else { return 0 }
        var mean = 0.0
        for v in values { mean += Double(v) }
        mean /= Double(count)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { x in
            var energy = 0.0
            for (i, v) in values.enumerated() {
                x[i] = Double(v) - mean
                energy += x[i] * x[i]
            }
            guard energy > 0 else { return 0 }
            // Correlation at a lag, normalised by the pairs it has, relative to the variance.
            func correlation(_ lag: Int) -> Double {
                var sum = 0.0
                for i in 0..<(count - lag) { sum += x[i] * x[i + lag] }
                return (sum / Double(count - lag)) / (energy / Double(count))
            }
            var best = -1.0
            for half in 3...6 where 3 * half < count {
                best = max(best, min(-correlation(half), correlation(2 * half), -correlation(3 * half)))
            }
            return best
        }
    }

    /// Every finder, separator and timing module with its colour in a real symbol.
    private static func forEachModule(dimension n: Int, _ body: (Int, Int, Bool) -> Void) {
        for (fx, fy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = fx + dx, y = fy + dy
                    guard x >= 0, y >= 0, x < n, y < n else { continue }
                    let ring = max(abs(dx), abs(dy))
                    body(x, y, ring != 2 && ring != 4)
                }
            }
        }
        forEachTimingModule(dimension: n, body)
    }

    /// Every timing module (row and column 6 between the separators) with its colour.
    private static func forEachTimingModule(dimension n: Int, _ body: (Int, Int, Bool) -> Void) {
        for i in 8..<(n - 8) {
            body(i, 6, i % 2 == 0)
            body(6, i, i % 2 == 0)
        }
    }
}
