import Testing
@testable import QRCode

/// `FunctionPatternCheck.timingLines`: the first look's test that finders have a symbol's timing
/// lines between them. Real lines must pass blurred, at a dimension four modules off, and bent
/// away from the grid in the middle; random modules between finder-like squares (the clutter
/// the stress set prints) change colour often enough but must mostly not pass as periodic.
@Suite struct TimingLineTests {

    static func symbol(version: Int) throws -> BitMatrix {
        try QREncoder.encode("TIMING \(version)", options: EncodeOptions(level: .L, minimumVersion: version,
                                                                        maximumVersion: version)).matrix
    }

    /// The grid of a symbol drawn by `SymbolRenderer` (quiet zone 4), believed `dimension` wide:
    /// anchored at the finders' centres, as the reader's first look is.
    static func grid(symbolWidth n: Int, dimension: Int, module: Int = 4) -> SamplingGrid {
        var t = PerspectiveTransform()
        let m = Double(module) * Double(n - 7) / Double(dimension - 7)
        t.a = m; t.e = m
        t.c = (4 + 3.5) * Double(module) - 3.5 * m; t.f = t.c
        return SamplingGrid(dimension: dimension, transform: t)
    }

    static func render(_ m: BitMatrix, module: Int = 4) -> GrayImage {
        SymbolRenderer.render(m, moduleSize: module, dark: 30, light: 220)
    }

    /// Three passes of a box blur `radius` pixels wide each way: close to a Gaussian of
    /// σ = √(radius · (radius + 1)) pixels (each pass adds the box's variance, r(r + 1) / 3).
    static func blurred(_ image: GrayImage, radius: Int) -> GrayImage {
        var p = image.pixels.map(Int.init)
        let w = image.width, h = image.height
        for _ in 0..<3 {
            var q = p
            for y in 0..<h {
                for x in 0..<w {
                    var sum = 0, count = 0
                    for dx in -radius...radius where x + dx >= 0 && x + dx < w { sum += p[y * w + x + dx]; count += 1 }
                    q[y * w + x] = sum / count
                }
            }
            for y in 0..<h {
                for x in 0..<w {
                    var sum = 0, count = 0
                    for dy in -radius...radius where y + dy >= 0 && y + dy < h { sum += q[(y + dy) * w + x]; count += 1 }
                    p[y * w + x] = sum / count
                }
            }
        }
        return GrayImage(width: w, height: h, pixels: p.map { UInt8($0) })
    }

    /// Random modules everywhere but the finders and their separators.
    static func scrambled(_ m: BitMatrix, seed: UInt64, timingOnly: Bool = false) -> BitMatrix {
        var out = m
        var generator = SplitMix(seed: seed)
        let n = m.width
        for y in 0..<n {
            for x in 0..<n where !SymbolEvidenceTests.inFinderCorner(x, y, n: n) {
                if timingOnly && x != 6 && y != 6 { continue }
                out[x, y] = Bool.random(using: &generator)
            }
        }
        return out
    }

    @Test(arguments: [1, 2, 7, 20])
    func realTimingLinesArePeriodic(version: Int) throws {
        let m = try Self.symbol(version: version)
        let n = m.width
        let image = Self.render(m)
        #expect(FunctionPatternCheck.timingLines(image, grid: Self.grid(symbolWidth: n, dimension: n)) == .periodic)
        // A dimension estimate four modules off still sees the stripes (version 1's five timing
        // modules are too few for that: in a grid of 25 they change at fewer than half the modules).
        for wrong in [n - 4, n + 4] where wrong >= 21 && version > 1 {
            #expect(FunctionPatternCheck.timingLines(image, grid: Self.grid(symbolWidth: n, dimension: wrong)) == .periodic,
                    "dimension \(wrong) for \(n)")
        }
    }

    /// Blur of σ = 0.24 and 0.41 modules (the reader reads up to about 0.5): the rows above and
    /// below, random data, blur into the line, yet it still alternates.
    @Test func blurredTimingLinesArePeriodic() throws {
        let m = try Self.symbol(version: 4)
        let grid = Self.grid(symbolWidth: m.width, dimension: m.width, module: 6)
        for radius in [1, 2] {
            let image = Self.blurred(Self.render(m, module: 6), radius: radius)
            #expect(FunctionPatternCheck.timingLines(image, grid: grid) == .periodic, "blur radius \(radius)")
        }
    }

    /// Finders with random modules between them: the lines change colour about every other
    /// module, which the count alone took for a timing line; fewer than half are periodic (a
    /// short line of random modules can look periodic by chance: 20, 24 and 8 of 60 here for
    /// 9, 21 and 41 timing modules).
    @Test(arguments: [2, 5, 10])
    func randomModulesBetweenFindersAreMostlyAperiodic(version: Int) throws {
        let m = try Self.symbol(version: version)
        let grid = Self.grid(symbolWidth: m.width, dimension: m.width)
        var counts: [FunctionPatternCheck.TimingLineEvidence: Int] = [:]
        let trials = 60
        for seed in 0..<UInt64(trials) {
            let image = Self.render(Self.scrambled(m, seed: seed * 7919 + UInt64(version)))
            counts[FunctionPatternCheck.timingLines(image, grid: grid), default: 0] += 1
        }
        let periodic = counts[.periodic, default: 0], aperiodic = counts[.aperiodic, default: 0]
        #expect(aperiodic > 0 && periodic * 2 < trials, "\(counts) of \(trials)")
        if version >= 10 { #expect(periodic * 5 < trials, "\(counts) of \(trials)") }
    }

    /// On a bent symbol the grid leaves the timing row in the middle of a long line; next to
    /// the finders it is still on it, and that is enough.
    @Test func endsOfALongLineSuffice() throws {
        let m = try Self.symbol(version: 20)
        let n = m.width
        var bent = m
        var generator = SplitMix(seed: 20)
        // The middle of both lines in random runs of 2 to 5 modules (what a grid that left the row
        // sees of the data modules), 16 modules next to each finder kept.
        var i = 8 + 16, dark = false
        while i < n - 8 - 16 {
            let run = Int.random(in: 2...5, using: &generator)
            for k in i..<min(i + run, n - 8 - 16) { bent[k, 6] = dark; bent[6, k] = dark }
            i += run
            dark.toggle()
        }
        let image = Self.render(bent)
        let grid = Self.grid(symbolWidth: n, dimension: n)
        #expect(FunctionPatternCheck.timingLines(image, grid: grid) == .periodic)
        // The whole line alone would not show it.
        let values = (0...(4 * (n - 15))).map { s in
            let p = grid.apply(x: 7.5 + Double(s) / 4, y: 6.5)
            return image.pixels.withUnsafeBufferPointer {
                GridSampler.bilinear($0, width: image.width, height: image.height, x: p.x, y: p.y)
            }
        }
        #expect(FunctionPatternCheck.periodicity(values[...]) < FunctionPatternCheck.minimumPeriodicity)
    }

    @Test func periodicityOfPlainSignals() {
        let stripes = (0..<200).map { ($0 / 4) % 2 == 0 ? 40 : 200 }
        #expect(FunctionPatternCheck.periodicity(stripes[...]) > 0.9)
        // Stripes 1.4 modules wide: still a timing line's period, within the half periods tried.
        let wide = (0..<200).map { Int(Double($0) / 5.6) % 2 == 0 ? 40 : 200 }
        #expect(FunctionPatternCheck.periodicity(wide[...]) > 0.5)
        #expect(FunctionPatternCheck.periodicity(Array(repeating: 90, count: 100)[...]) == 0)
        #expect(FunctionPatternCheck.periodicity([1, 2, 3][...]) == 0)
    }

    /// A symbol whose timing lines are lost to random marks (a scratch, print over them) fails
    /// the periodicity test at the first look, yet reads: the triple is kept and decoded in
    /// full when the search read nothing else.
    @Test func symbolWithRandomTimingLinesStillReads() throws {
        let m = try QREncoder.encode("TIMING LINES SCRATCHED", options: EncodeOptions(level: .H, minimumVersion: 3,
                                                                                     maximumVersion: 3)).matrix
        // Seeds whose random lines come out aperiodic (most do).
        var tested = 0
        for seed in UInt64(1)...UInt64(30) where tested < 3 {
            let damaged = Self.scrambled(m, seed: seed, timingOnly: true)
            let symbol = Self.render(damaged)
            let grid = Self.grid(symbolWidth: m.width, dimension: m.width)
            guard FunctionPatternCheck.timingLines(symbol, grid: grid) == .aperiodic else { continue }
            tested += 1
            // Off-centre on a larger page with a dark bar beside it, so that the whole-image
            // fallback (`PureSymbol`) does not take it for the page.
            let page = Self.page(with: symbol)
            let result = QRReader.read(page)
            #expect(result.symbols.map(\.text) == ["TIMING LINES SCRATCHED"], "seed \(seed): \(String(describing: result.diagnosis))")
        }
        #expect(tested == 3)
    }

    /// Such a triple is turned away at the first look but kept for later (once, however many
    /// thresholds show it), and it counts against the read's budget of failed triples as a triple
    /// tried in full does: a large photo of finder-like clutter otherwise ran every threshold at
    /// every pyramid level.
    @Test func aperiodicTripleIsKeptAndCounted() throws {
        let m = try QREncoder.encode("TIMING LINES SCRATCHED", options: EncodeOptions(level: .H, minimumVersion: 3,
                                                                                     maximumVersion: 3)).matrix
        let grid = Self.grid(symbolWidth: m.width, dimension: m.width)
        let seed = try #require((UInt64(1)...UInt64(30)).first {
            FunctionPatternCheck.timingLines(Self.render(Self.scrambled(m, seed: $0, timingOnly: true)), grid: grid) == .aperiodic
        })
        let page = Self.page(with: Self.render(Self.scrambled(m, seed: seed, timingOnly: true)))
        let binary = Binarizer.otsu(page)
        let finders = FinderPatternFinder(image: binary).find()
        let triple = try #require(FinderTriple.candidates(finders).first)
        var session = ReadSession(options: ReaderOptions())
        let estimator = GeometryEstimator(binary: binary, scale: 1, finders: finders)
        let first = session.decode(triple, estimator: estimator, gray: page, inverted: false)
        #expect(first.symbol == nil && !first.hopeless)
        #expect(session.aperiodic.count == 1)
        // The same finders seen again at another threshold take the same slot, not the second.
        session.binarization = ReadSession.Binarization(factor: 1, window: 31)
        _ = session.decode(triple, estimator: estimator, gray: page, inverted: false)
        #expect(session.aperiodic.count == 1)
        // Tried again without the periodicity test, from a binary image made anew (the session's
        // binarization when it was kept: Otsu at full resolution), it reads.
        session.decodeAperiodic(page)
        #expect(session.symbols.map(\.text) == ["TIMING LINES SCRATCHED"])
    }

    static func page(with symbol: GrayImage) -> GrayImage {
        let w = symbol.width * 2, h = symbol.height + 40
        var pixels = [UInt8](repeating: 220, count: w * h)
        for y in 0..<symbol.height {
            for x in 0..<symbol.width { pixels[(y + 20) * w + x + 30] = symbol.pixels[y * symbol.width + x] }
        }
        for y in 30..<(h - 30) {
            for x in (w - 40)..<(w - 25) { pixels[y * w + x] = 30 }
        }
        return GrayImage(width: w, height: h, pixels: pixels)
    }
}
