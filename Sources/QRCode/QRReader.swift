/// How hard the reader tries.
public struct ReaderOptions: Sendable {
    /// Stop after this many symbols.
    public var maxSymbols: Int = 64
    /// Also look for light-on-dark symbols (by inverting the luminance, before thresholding).
    public var tryInverted: Bool = true
    /// Also read mirror-imaged symbols.
    public var tryMirrored: Bool = true
    /// Give up after this long (the answer is then what was found so far).
    public var timeBudget: Duration = .seconds(3)

    public init() {}
}

/// What reading one image produced.
public struct ReadResult: Sendable {
    public var symbols: [DecodedSymbol]
    /// Why nothing was read; nil when at least one symbol was decoded.
    public var diagnosis: Diagnosis?
    /// What the search saw: the basis of the diagnosis when nothing was read.
    public var statistics: ReadStatistics
}

/// Counts and observations from one read, kept to explain failures.
public struct ReadStatistics: Sendable, Equatable {
    /// Most finder-pattern candidates seen in one binarization.
    public var finderCandidates = 0
    /// Finder triples whose geometry was sampled.
    public var triplesTried = 0
    /// Module grids handed to the symbol decoder.
    public var gridsDecoded = 0
    /// Sampled grids rejected because they did not show finder and timing patterns.
    public var gridsRejected = 0
    /// Best match (0…1) of a sampled grid's finder and timing modules with a real symbol's.
    public var bestPatternAgreement = 0.0
    /// Grids rejected because no format information could be read.
    public var formatFailures = 0
    /// Grids whose Reed–Solomon blocks could not be corrected.
    public var uncorrectable = 0
    /// Grids that corrected but held no valid bit stream.
    public var invalidData = 0
    /// The time budget ran out before the search finished.
    public var timedOut = false
    /// Most finder patterns confirmed by two or more scan lines in one binarization.
    public var confirmedFinders = 0
    /// Smallest module size (pixels) among confirmed finder patterns.
    public var smallestFinderModule: Double?
    /// Module size (pixels) of the smallest well-shaped triple of confirmed finder patterns:
    /// a code seen too small to sample, as opposed to one small finder-like speck.
    public var smallestTripleModule: Double?
    /// The most symbol-like candidate that did not decode.
    public var bestCandidate: CandidateObservation?
    /// Where the time went.
    public var timings = StageTimings()
    /// Confirmed finder patterns (full-resolution pixels) of the binarizations that showed fewer
    /// than three, each place once, at most `keptLoneFinders`.
    public var loneFinders: [FinderPattern] = []
    static let keptLoneFinders = 8
}

/// Finds and decodes every QR code in a luminance image.
///
/// Photo → pyramid level → threshold hypotheses → finder patterns → triples → geometry →
/// gray module samples → symbol decoder. Coarse levels go first on large photos (cheap, and
/// big codes read there); the full-resolution level follows for small codes.
public enum QRReader {
    public static func read(_ image: GrayImage, options: ReaderOptions = ReaderOptions()) -> ReadResult {
        var session = ReadSession(options: options)
        session.run(image, inverted: false)
        if options.tryInverted && session.symbols.isEmpty && !session.outOfTime {
            session.run(session.invertedImage(of: image), inverted: true)
        }
        if session.symbols.isEmpty && !session.outOfTime { session.decodeAperiodic(image) }
        if session.symbols.isEmpty && !session.outOfTime { session.readPure(image) }
        if session.symbols.isEmpty { session.observeUntimed(image) }
        session.statistics.timedOut = session.outOfTime
        let diagnosis = session.symbols.isEmpty ? Diagnostician.diagnose(image, statistics: session.statistics) : nil
        return ReadResult(symbols: session.symbols, diagnosis: diagnosis, statistics: session.statistics)
    }
}

/// State of one `QRReader.read` call.
struct ReadSession {
    let options: ReaderOptions
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    var symbols: [DecodedSymbol] = []
    var statistics = ReadStatistics()

    init(options: ReaderOptions) {
        self.options = options
        start = clock.now
    }

    var outOfTime: Bool { clock.now - start > options.timeBudget }

    /// Pattern agreement (0…1) below which a triple's first grids show no symbol at all: a
    /// random grid matches about half of the finder and timing modules.
    static let hopelessAgreement = 0.55

    /// The most symbol-like grid among triples dropped for showing no timing line, kept for
    /// the diagnosis (sampled only if nothing is read).
    var untimed: (agreement: Double, grid: SamplingGrid, moduleSize: Double, inverted: Bool)?

    /// How a binary image of the search was made (pyramid factor; local window, nil for Otsu),
    /// so that it can be made again instead of kept.
    struct Binarization {
        var factor: Int
        var window: Int?
    }

    /// The binarization `search` is looking at.
    var binarization = Binarization(factor: 1, window: nil)

    /// A triple turned away only because its timing lines changed colour without a period
    /// (`FunctionPatternCheck.TimingLineEvidence.aperiodic`), with what it takes to try it again.
    struct AperiodicTriple {
        var agreement: Double
        var triple: FinderTriple
        var finders: [FinderPattern]
        var binarization: Binarization
        var inverted: Bool
        /// The binary image the finders were found in, when it is at most `keptBinaryPixels`;
        /// nil when it must be made again.
        var binary: BinaryImage?
    }

    /// The best `aperiodicKept` such triples by first-look agreement: given the full search when
    /// nothing else read, so that a code blurred or bent past the periodicity test is still
    /// tried, and diagnosed as what it is.
    var aperiodic: [AperiodicTriple] = []
    static let aperiodicKept = 2

    /// Pixels up to which an aperiodic triple keeps its binary image (a byte per pixel): a 12 MP
    /// photo's half-resolution level and anything smaller, at most 6.4 MB for the two. Larger
    /// ones are made again when the triple is decoded (two kept at full resolution were 24 MB
    /// more at 12 MP), except the full-resolution Otsu thresholding, which the read keeps anyway.
    static let keptBinaryPixels = 3_200_000

    /// Adds `kept` to `aperiodic` unless it is worse than the `aperiodicKept` best; the same
    /// finders seen at another threshold take one slot, the better of the two.
    mutating func keepAperiodic(_ kept: AperiodicTriple) {
        let scale = Double(kept.binarization.factor)
        func centers(_ t: AperiodicTriple) -> [Point] {
            let s = Double(t.binarization.factor)
            return [t.triple.topLeft.center * s, t.triple.topRight.center * s, t.triple.bottomLeft.center * s]
        }
        let module = kept.triple.topLeft.moduleSize * scale
        if let same = aperiodic.firstIndex(where: { other in
            other.inverted == kept.inverted && zip(centers(other), centers(kept)).allSatisfy { $0.0.distance(to: $0.1) < 1.5 * module }
        }) {
            if aperiodic[same].agreement >= kept.agreement { return }
            aperiodic.remove(at: same)
        }
        aperiodic.append(kept)
        aperiodic.sort { $0.agreement > $1.agreement }
        if aperiodic.count > Self.aperiodicKept { aperiodic.removeLast() }
    }

    /// Decodes the triples kept in `aperiodic`, without the periodicity test.
    mutating func decodeAperiodic(_ image: GrayImage) {
        for kept in aperiodic where !outOfTime {
            statistics.triplesTried += 1
            let gray = kept.inverted ? invertedImage(of: image) : image
            let t = clock.now
            let binary: BinaryImage
            let b = kept.binarization
            if let small = kept.binary {
                binary = small
            } else if b.factor == 1, b.window == nil, let otsu = kept.inverted ? otsuBinaries.inverted : otsuBinaries.straight {
                binary = otsu
            } else {
                let level = gray.downscaled(by: b.factor)
                binary = b.window.map { Binarizer.localMean(level, window: $0) } ?? Binarizer.otsu(level)
            }
            statistics.timings.binarize += clock.now - t
            let estimator = GeometryEstimator(binary: binary, scale: Double(kept.binarization.factor), finders: kept.finders)
            if let symbol = decode(kept.triple, estimator: estimator, gray: gray, inverted: kept.inverted,
                                   periodicTiming: false).symbol {
                keep(symbol)
            }
        }
    }

    /// Adds `symbol` to the result unless the same text was already read at the same place
    /// (another threshold or triple reading the same code).
    mutating func keep(_ symbol: DecodedSymbol) {
        if !symbols.contains(where: { $0.text == symbol.text && $0.center.distance(to: symbol.center) < 10 }) {
            symbols.append(symbol)
        }
    }

    /// Samples the grid kept in `untimed` into the failure observations.
    mutating func observeUntimed(_ image: GrayImage) {
        guard let u = untimed else { return }
        let samples = GridSampler.sample(u.inverted ? invertedImage(of: image) : image, grid: u.grid)
        let agreement = FunctionPatternCheck.agreement(samples.classify(localRadius: 3).0)
        observe(samples, agreement: agreement, grid: u.grid, moduleSize: u.moduleSize, failure: .formatUnreadable)
    }

    /// `image` inverted, made once per read: the inverted pass, the whole-image fallback and
    /// the diagnosis all read it.
    private var invertedLuminance: GrayImage?
    mutating func invertedImage(of image: GrayImage) -> GrayImage {
        if let invertedLuminance { return invertedLuminance }
        let made = image.inverted()
        invertedLuminance = made
        return made
    }

    /// The inverted luminance's local-mean thresholding at full resolution, made by the straight
    /// pass beside its own (`Binarizer.localMean(_:window:offset:alsoInverted:)`) and taken by
    /// the inverted pass.
    var invertedFullResolution: (window: Int, binary: BinaryImage)?

    /// The luminance histogram counted for the straight full-resolution Otsu thresholding.
    var straightHistogram: [Int]?

    /// The full-resolution Otsu thresholdings made by `run`, straight and inverted, which
    /// `readPure` needs again.
    var otsuBinaries: (straight: BinaryImage?, inverted: BinaryImage?) = (nil, nil)

    /// Triples that showed a symbol's patterns but did not decode, over the whole read.
    var failedAttempts = 0

    /// How many such triples a read may spend before it gives up: each costs several grids and
    /// Reed–Solomon runs. Sixty loses no read on the real photos (any quarter turn) or the stress
    /// set, and cuts the stress set's total time by a quarter.
    static let failedAttemptBudget = 60

    /// The search is over: enough symbols, the level's failure budget spent or the time budget
    /// out. The last resorts (`completePairs`, `readPure`) stop only for the first and the last:
    /// they come after a photo's search has spent its failures on the finders it saw, and a code
    /// whose finders did not all show (a dense, bent v34 photo turned 270°) then still reads.
    var done: Bool {
        symbols.count >= options.maxSymbols || failedAttempts >= levelBudget || outOfTime
    }

    /// The failed triples the search may have spent by the end of the pyramid level it is on:
    /// half the budget over the coarse levels, the whole by the end of the full resolution, so
    /// that finder-like print seen at the coarse levels cannot leave nothing for a code too
    /// small to show there (1.5 pixels per module in a 12 MP photo of clutter: read by
    /// zxing-cpp, which searches the full resolution only, and not by us until this).
    var levelBudget = failedAttemptBudget

    /// The time budget is out or enough symbols were read: what stops the last resorts.
    var finished: Bool { symbols.count >= options.maxSymbols || outOfTime }

    /// Grids sampled and decoded in vain during this read, with how they failed. The thresholds of
    /// one photo find the same finders again and their triples often make the same grids: such a
    /// grid is not sampled again, its failure is taken as it was. On the 18 no-code stress renders
    /// that is a fifth of the grids that reached the decoder (431 → 345); no read changed.
    var failedGrids: [(footprint: GridFootprint, inverted: Bool, failure: SymbolDecodeFailure, onSymbol: Bool)] = []

    /// Downscale factors to search, coarse first; the full resolution always comes last.
    static func pyramid(width: Int, height: Int) -> [Int] {
        let longest = max(width, height)
        var factors: [Int] = []
        var f = 1
        while longest / (f * 2) >= 640 { f *= 2 }
        while f > 1 { factors.append(f); f /= 2 }
        factors.append(1)
        return factors
    }

    mutating func run(_ image: GrayImage, inverted: Bool) {
        guard image.width >= 21, image.height >= 21 else { return }
        let factors = Self.pyramid(width: image.width, height: image.height)
        for factor in factors {
            levelBudget = factor > 1 ? Self.failedAttemptBudget / 2 : Self.failedAttemptBudget
            // Not `return`: a coarse level's share spent still leaves the full resolution its own.
            if done { continue }
            var t = clock.now
            let level = image.downscaled(by: factor)
            statistics.timings.binarize += clock.now - t
            let shortest = min(level.width, level.height)
            // Window hypotheses: about an eighth of the image (fits codes that fill a good part of
            // the frame), then small (tiny modules), then large; global Otsu last. Each is made
            // only when the ones before it left something unexplained.
            var windows = [max(15, shortest / 8) | 1, max(9, shortest / 24) | 1, max(31, shortest / 3) | 1]
            windows = windows.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            // Light-on-dark codes are rare: the inverted pass gets the first window and Otsu only,
            // which halves the time a photo without any code costs.
            let invertedWindow = windows[0]
            if inverted { windows = [windows[0]] }
            // At full resolution after coarser levels, a code still unread is a small one (a big
            // one would have shown at a coarse level): the small window only, then Otsu. The
            // larger windows find again what the coarse levels found: on the false-positive photos
            // enlarged 2× and 3× they cost a quarter of the time, and none of the 283 reads of the
            // real photos enlarged so needed them.
            else if factor == 1 && factors.count > 1 && windows.count > 1 { windows = [windows[1]] }
            // The first threshold's image and the finders found in it, for `completePairs`.
            var first: (binary: BinaryImage, finders: [FinderPattern], binarization: Binarization)?
            for hypothesis in 0...windows.count {
                if done { break }
                t = clock.now
                let binary: BinaryImage
                if hypothesis < windows.count, inverted, factor == 1, let made = invertedFullResolution, made.window == windows[hypothesis] {
                    binary = made.binary
                    invertedFullResolution = nil
                } else if hypothesis < windows.count, !inverted, factor == 1, options.tryInverted, windows[hypothesis] == invertedWindow {
                    // The inverted pass's first threshold at full resolution comes from the same box
                    // sums: it is needed whenever this photo shows no straight code.
                    let both = Binarizer.localMean(level, window: windows[hypothesis], alsoInverted: true)
                    binary = both.straight
                    invertedFullResolution = both.inverted.map { (windows[hypothesis], $0) }
                } else if hypothesis < windows.count {
                    binary = Binarizer.localMean(level, window: windows[hypothesis])
                } else {
                    // At full resolution the inverted image's histogram is the straight one's reversed.
                    let reversed = factor == 1 && inverted ? straightHistogram.map { Array($0.reversed()) } : nil
                    let histogram = reversed ?? Binarizer.histogram(level.pixels)
                    if factor == 1 && !inverted { straightHistogram = histogram }
                    binary = Binarizer.otsu(level, histogram: histogram)
                }
                statistics.timings.binarize += clock.now - t
                if factor == 1 && hypothesis == windows.count {
                    if inverted { otsuBinaries.inverted = binary } else { otsuBinaries.straight = binary }
                }
                let before = symbols.count
                binarization = Binarization(factor: factor, window: hypothesis < windows.count ? windows[hypothesis] : nil)
                let (leftover, finders) = search(binary, scale: Double(factor), gray: image, inverted: inverted)
                if first == nil { first = (binary, finders, binarization) }
                // Stop trying other thresholds when this one read a code and what it left over
                // cannot make another (no well-shaped triple of finders confirmed three times).
                if symbols.count > before && leftover == 0 { break }
            }
            if !symbols.isEmpty && factor > 1 { return }
            if finished { return }
            // Nothing at the full resolution: perhaps a finder is scratched, covered by glare or
            // off the print. Two finders that fit one symbol say where its third would be.
            if symbols.isEmpty && factor == 1 && !inverted, let first {
                binarization = first.binarization
                completePairs(first.binary, finders: first.finders, gray: image)
            }
        }
    }

    /// Searches one binary image; returns how many plausible triples the finder patterns it left
    /// unexplained still make (0 or 1: enough to tell whether another code may be there), and
    /// the finder patterns it found.
    mutating func search(_ binary: BinaryImage, scale: Double, gray: GrayImage, inverted: Bool)
        -> (leftover: Int, finders: [FinderPattern]) {
        var t = clock.now
        let finders = FinderPatternFinder(image: binary).find()
        statistics.timings.locate += clock.now - t
        statistics.finderCandidates = max(statistics.finderCandidates, finders.count)
        let confirmed = finders.filter { $0.confirmations >= 2 }
        statistics.confirmedFinders = max(statistics.confirmedFinders, confirmed.count)
        if confirmed.count <= 2 {
            // Every threshold's, not only the last one's: a Micro QR symbol's single finder may
            // show under one threshold and two letters of the print under the next.
            for f in confirmed where statistics.loneFinders.count < ReadStatistics.keptLoneFinders {
                let full = FinderPattern(center: f.center * scale, moduleSize: f.moduleSize * scale, confirmations: f.confirmations)
                if !statistics.loneFinders.contains(where: { $0.center.distance(to: full.center) < 3 * full.moduleSize }) {
                    statistics.loneFinders.append(full)
                }
            }
        }
        if let m = confirmed.map(\.moduleSize).min() {
            statistics.smallestFinderModule = min(statistics.smallestFinderModule ?? .infinity, m * scale)
        }
        guard finders.count >= 3 else { return (0, finders) }
        var used = [Bool](repeating: false, count: finders.count)
        let estimator = GeometryEstimator(binary: binary, scale: scale, finders: finders)
        // A finder's stone is three modules tall, so a real one is crossed by about three scan
        // lines per pixel of module. One that a single line confirmed is a speck of text or
        // texture unless its modules are tiny (near a pixel, one line may be all it gets, and
        // trying such a code is what tells the diagnosis it is there but too small). Each
        // triple costs a geometry estimate, and a printed page holds many such specks.
        var pool = Array(finders.indices).filter { finders[$0].confirmations >= 2 || finders[$0].moduleSize < 2.5 }
        t = clock.now
        let firstRound = FinderTriple.candidates(pool.map { finders[$0] })
        statistics.timings.locate += clock.now - t
        for triple in firstRound where triple.score < 0.8
            && min(triple.topLeft.confirmations, triple.topRight.confirmations, triple.bottomLeft.confirmations) >= 3 {
            let m = (triple.topLeft.moduleSize + triple.topRight.moduleSize + triple.bottomLeft.moduleSize) / 3 * scale
            statistics.smallestTripleModule = min(statistics.smallestTripleModule ?? .infinity, m)
        }
        // Rounds over the finders not yet explained: a photo of many codes has more finders
        // than one round considers, and each read removes three finders from the next round.
        var triples = firstRound
        while !done {
            let before = symbols.count
            var attempts = 0
            for candidate in triples {
                if done { break }
                var triple = candidate
                triple.indices = (pool[candidate.indices.0], pool[candidate.indices.1], pool[candidate.indices.2])
                let (i, j, k) = triple.indices
                if used[i] || used[j] || used[k] { continue }
                // A triple inside a symbol already read is that symbol's own finders, or noise, unless
                // its modules are much smaller: a small code printed inside a big one ("double QR").
                let c = triple.topLeft.center * scale
                let module = (triple.topLeft.moduleSize + triple.topRight.moduleSize + triple.bottomLeft.moduleSize) / 3 * scale
                if symbols.contains(where: { contains($0.corners, c) && module > 0.5 * $0.moduleSize }) { used[i] = true; continue }
                statistics.triplesTried += 1
                var (read, hopeless) = decode(triple, estimator: estimator, gray: gray, inverted: inverted)
                if read == nil, let turned = estimator.reorderedByFinderSides(triple) {
                    statistics.triplesTried += 1
                    let second = decode(turned, estimator: estimator, gray: gray, inverted: inverted)
                    read = second.symbol
                    hopeless = hopeless && second.hopeless
                }
                if let symbol = read {
                    keep(symbol)
                    used[i] = true; used[j] = true; used[k] = true
                }
                // Triples that show no symbol at all cost little; the bound is on the others.
                if !hopeless { attempts += 1 }
                if !hopeless && read == nil { failedAttempts += 1 }
                if attempts >= 40 { break }
            }
            pool = pool.filter { !used[$0] }
            if symbols.count == before || pool.count < 3 { break }
            t = clock.now
            triples = FinderTriple.candidates(pool.map { finders[$0] })
            statistics.timings.locate += clock.now - t
        }
        // Only finders confirmed by three scan lines or more count as a sign of another code:
        // specks of text and texture confirmed by two made every photo with one code run all
        // its thresholds again (a 1 MP scene: 22 ms instead of 10), and on the test photos no
        // second code depended on them. A code this small is still tried in the rounds above.
        let unused = finders.indices.filter { !used[$0] && finders[$0].confirmations >= 3 }.map { finders[$0] }
        return (FinderTriple.containsCandidate(unused) ? 1 : 0, finders)
    }

    /// Tries symbols seen through two finders only: for the best-matched pairs of confirmed
    /// finders, the third finder is placed where a square symbol puts it (the pair as one side,
    /// either end and either side of it, or as the diagonal) and the triple is decoded as usual;
    /// the geometry then rests on the two real finders and the timing patterns between them.
    ///
    /// The pairs: the six best matched in size among the twelve most confirmed finders, then six
    /// among the twelve most confirmed of those under `tinyFinderModule` that three scan lines or
    /// more confirmed (specks of text get two, and are many), unless all of those are among the
    /// first twelve already. Scan lines confirm a finder about three times per pixel of its
    /// module, so among print of large finder-like squares a small code's pair (three lines each
    /// at 1.5 pixels per module) never made the first twelve.
    mutating func completePairs(_ binary: BinaryImage, finders all: [FinderPattern], gray: GrayImage) {
        let t = clock.now
        func pairs(among finders: [FinderPattern]) -> [(FinderPattern, FinderPattern, Double)] {
            var out: [(FinderPattern, FinderPattern, Double)] = []
            for (i, a) in finders.enumerated() {
                for b in finders.dropFirst(i + 1) {
                    let ratio = max(a.moduleSize, b.moduleSize) / min(a.moduleSize, b.moduleSize)
                    let modules = a.center.distance(to: b.center) / ((a.moduleSize + b.moduleSize) / 2)
                    // From a version 1 side (14 modules between centres) to a version 40 diagonal.
                    guard ratio < 1.4, modules >= 13, modules <= 240 else { continue }
                    out.append((a, b, ratio))
                }
            }
            return out.sorted { $0.2 < $1.2 }.prefix(6).map { $0 }
        }
        let confirmed = all.filter { $0.confirmations >= 2 }
        let most = Array(confirmed.prefix(12))
        var chosen = pairs(among: most)
        let tiny = Array(confirmed.filter { $0.confirmations >= 3 && $0.moduleSize < Self.tinyFinderModule }.prefix(12))
        if tiny.contains(where: { !most.contains($0) }) {
            chosen += pairs(among: tiny).filter { p in !chosen.contains { $0.0 == p.0 && $0.1 == p.1 } }
        }
        statistics.timings.locate += clock.now - t
        for (a, b, _) in chosen {
            if symbols.contains(where: { contains($0.corners, a.center) || contains($0.corners, b.center) }) { continue }
            let ab = b.center - a.center
            let normal = Point(x: -ab.y, y: ab.x)
            let mid = (a.center + b.center) * 0.5
            let thirds = [a.center + normal, a.center - normal, b.center + normal, b.center - normal,
                          mid + normal * 0.5, mid - normal * 0.5]
            let module = (a.moduleSize + b.moduleSize) / 2
            // The pair and every placement of the third in one list, so that one estimator
            // finds the two real finders' edges once for all six placements.
            let list = [a, b] + thirds.filter { $0.x >= 0 && $0.y >= 0 && $0.x < Double(binary.width) && $0.y < Double(binary.height) }
                .map { FinderPattern(center: $0, moduleSize: module, confirmations: 0) }
            let estimator = GeometryEstimator(binary: binary, scale: 1, finders: list)
            for k in list.indices.dropFirst(2) {
                if finished { return }
                guard let triple = FinderTriple.make(list, 0, 1, k) else { continue }
                statistics.triplesTried += 1
                if let symbol = decode(triple, estimator: estimator, gray: gray, inverted: false).symbol {
                    symbols.append(symbol)
                    break
                }
            }
        }
    }

    /// Module size (pixels at full resolution) under which a finder shows at no coarser pyramid
    /// level: halved, its modules would be under the 1.5 pixels the finder search needs.
    static let tinyFinderModule = 3.0

    /// Decodes the symbol `triple` is the finders of; `hopeless` when its grids at the estimated
    /// dimension did not even show finder and timing patterns (one whose timing lines lack only
    /// their period is kept in `aperiodic` and is not hopeless). `periodicTiming`: whether a
    /// timing line must alternate with its period, not just change colour about once per module.
    mutating func decode(_ triple: FinderTriple, estimator: GeometryEstimator, gray: GrayImage, inverted: Bool,
                         periodicTiming: Bool = true) -> (symbol: DecodedSymbol?, hopeless: Bool) {
        var t = clock.now
        guard let estimate = estimator.estimateDimension(triple) else {
            statistics.timings.locate += clock.now - t
            return (nil, true)
        }
        // Finders whose sides do not follow the lines between them are not one symbol's: in a
        // print strewn with finder-like squares most triples are turned away here, before the
        // first look at their grids.
        let sidesFollowLegs = estimator.finderSidesFollowLegs(triple)
        statistics.timings.locate += clock.now - t
        guard sidesFollowLegs else { return (nil, true) }
        // A first look without the alignment search (the costliest part of the geometry). Finder
        // modules dominate the pattern check and sit where the finder corners put them whatever
        // the dimension, so when these grids do not come near a symbol the triple is not one.
        // (A dimension from the version blocks can be misread, so the estimate is used here.)
        // The estimate's alternative gets the same look when the estimate shows nothing.
        var estimated = estimate.dimension
        var fit: GeometryEstimator.FinderFit?
        var timing = false
        var closest: (agreement: Double, grid: SamplingGrid)?
        var aperiodicAgreement: Double?
        // Without a finder-corner fit the first look has only the parallelogram, which strong
        // perspective (finders of very different sizes, sheared so that their corners are not
        // found) throws far off: the grid through the alignment pattern joins it then. Only then:
        // for finder-like specks of one size it added failing triples that used up the attempts a
        // dense symbol's photo needed (high-res-1.jpg), and for specks of print that a scan line
        // or two confirmed it cost photos without a code a tenth more.
        let sizes = [triple.topLeft.moduleSize, triple.topRight.moduleSize, triple.bottomLeft.moduleSize]
        let seen = min(triple.topLeft.confirmations, triple.topRight.confirmations, triple.bottomLeft.confirmations)
        let strongPerspective = (sizes.max() ?? 0) > 1.4 * (sizes.min() ?? 0) && seen >= 3
        for n in [estimate.dimension] + (estimate.alternative.map { [$0] } ?? []) {
            t = clock.now
            let f = estimator.finderFit(triple, dimension: n)
            let quick = estimator.geometries(triple, dimension: n, corners: f.corners,
                                             alignment: f.homography == nil && strongPerspective, fit: f)
            statistics.timings.locate += clock.now - t
            t = clock.now
            let agreements = quick.map { FunctionPatternCheck.agreement(gray, grid: $0) }
            let quickAgreement = agreements.max() ?? 0
            // A second hypothesis needs more than the first: a grid near a symbol, not just above chance.
            let needed = n == estimate.dimension ? Self.hopelessAgreement : 0.65
            var evidence = FunctionPatternCheck.TimingLineEvidence.none
            if quickAgreement >= needed {
                for grid in quick where evidence != .periodic {
                    evidence = max(evidence, FunctionPatternCheck.timingLines(gray, grid: grid))
                }
            }
            let shows = evidence == .periodic || (evidence == .aperiodic && !periodicTiming)
            if evidence == .aperiodic { aperiodicAgreement = max(aperiodicAgreement ?? 0, quickAgreement) }
            statistics.timings.sample += clock.now - t
            statistics.bestPatternAgreement = max(statistics.bestPatternAgreement, quickAgreement)
            if shows { (estimated, fit, timing) = (n, f, true); break }
            statistics.gridsRejected += quick.count
            if quickAgreement > (closest?.agreement ?? 0), let best = agreements.firstIndex(of: quickAgreement) {
                closest = (quickAgreement, quick[best])
            }
        }
        if !timing {
            // Finders without timing lines: clutter, or a code whose middle is lost (glare, a
            // scratch). The best such grid still informs the diagnosis if nothing reads.
            if let closest, closest.agreement >= Self.hopelessAgreement, closest.agreement > (untimed?.agreement ?? 0) {
                let module = (triple.topLeft.moduleSize + triple.topRight.moduleSize + triple.bottomLeft.moduleSize) / 3
                untimed = (closest.agreement, closest.grid, module * estimator.scale, inverted)
            }
            if let a = aperiodicAgreement {
                let small = estimator.binary.bits.count <= Self.keptBinaryPixels
                keepAperiodic(AperiodicTriple(agreement: a, triple: triple, finders: estimator.finders,
                                              binarization: binarization, inverted: inverted,
                                              binary: small ? estimator.binary : nil))
            }
            // A triple turned away for its period alone still counts against the search's budget
            // (`failedAttemptBudget`), as it did when it was tried in full: finder-like clutter
            // makes hundreds, and without the budget a large photo of it ran every threshold at
            // every level (a 12 MP render of clutter: three times the time, twice the memory).
            return (nil, aperiodicAgreement == nil)
        }
        var dimensions: [Int] = []
        if estimated >= 37, let v = estimator.versionFromInformationBlocks(triple) { dimensions.append(17 + 4 * v) }
        dimensions.append(estimated)
        for delta in [4, -4] where estimated + delta >= 21 && estimated + delta <= 177 { dimensions.append(estimated + delta) }
        if let alternative = estimate.alternative { dimensions.append(alternative) }
        var tried = Set<Int>()
        var index = 0
        while index < dimensions.count {
            let n = dimensions[index]
            index += 1
            if !tried.insert(n).inserted { continue }
            let module = (triple.topLeft.moduleSize + triple.topRight.moduleSize + triple.bottomLeft.moduleSize) / 3
            var grids: [SamplingGrid] = []
            t = clock.now
            let candidates = estimator.geometries(triple, dimension: n, corners: fit?.corners, fit: fit)
            statistics.timings.locate += clock.now - t
            t = clock.now
            for g in candidates {
                let agreement = FunctionPatternCheck.agreement(gray, grid: g)
                statistics.bestPatternAgreement = max(statistics.bestPatternAgreement, agreement)
                guard agreement >= 0.65 else { statistics.gridsRejected += 1; continue }
                // The piecewise grid first: it follows bends the single homography cannot.
                if let r = g.refined(binary: estimator.binary, scale: estimator.scale, moduleSize: module) { grids.append(r) }
                grids.append(g)
            }
            statistics.timings.sample += clock.now - t
            // Once a grid comes close (on a symbol, format read, too many codewords wrong), the
            // first grid moved a fifth of a module each way is tried after the others.
            var jittered = false
            var queue = grids[...]
            while let geometry = queue.popFirst() {
                let footprint = GridFootprint(geometry)
                let outcome: Result<(SymbolDecodeResult, Bool), SymbolDecodeFailure>
                let onSymbol: Bool
                if let earlier = failedGrids.first(where: { $0.inverted == inverted && $0.footprint.coincides(with: footprint) }) {
                    (outcome, onSymbol) = (.failure(earlier.failure), earlier.onSymbol)
                } else {
                    let decoded = sampleAndDecode(gray, grid: geometry)
                    (outcome, onSymbol) = (decoded.outcome, decoded.onSymbol)
                    if case .failure(let failure) = outcome {
                        observe(decoded.samples, agreement: decoded.agreement, grid: geometry,
                                moduleSize: module * estimator.scale, failure: failure)
                        failedGrids.append((footprint, inverted, failure, onSymbol))
                    }
                }
                if !jittered, onSymbol, case .failure(.uncorrectable) = outcome, let best = grids.first {
                    jittered = true
                    queue += [(0.2, 0.0), (-0.2, 0), (0, 0.2), (0, -0.2)].map { best.shifted(dx: $0.0, dy: $0.1) }
                }
                switch outcome {
                case .success(let (result, mirrored)):
                    return (Self.symbol(result, mirrored: mirrored, grid: geometry, inverted: inverted), false)
                case .failure(.dimensionMismatch(let v)):
                    // The version bits are more reliable than the geometric estimate.
                    dimensions.insert(17 + 4 * v, at: index)
                case .failure:
                    continue
                }
            }
        }
        return (nil, false)
    }

    /// Samples `grid` and decodes the modules, timing both stages; `agreement` and `onSymbol` as
    /// from `decode(_:)`.
    mutating func sampleAndDecode(_ gray: GrayImage, grid: SamplingGrid)
        -> (samples: ModuleSamples, outcome: Result<(SymbolDecodeResult, Bool), SymbolDecodeFailure>, agreement: Double,
            onSymbol: Bool) {
        var t = clock.now
        // The pattern modules first: a grid that does not show them is turned away by the first
        // reading in `decode(_:)` below, and most of the grids a triple's dimension hypotheses
        // make are (for a version 40 grid the band is an eighth of its modules).
        var samples = GridSampler.samplePatternBand(gray, grid: grid)
        let bandAgreement = FunctionPatternCheck.agreement(localMeansOf: samples)
        if bandAgreement < Self.patternAgreementNeeded {
            // What the first reading's rejection records. The diagnosis' best candidate is a
            // whole grid: sampled in full only when this one becomes it (see `observe`).
            statistics.bestPatternAgreement = max(statistics.bestPatternAgreement, bandAgreement)
            statistics.gridsRejected += 1
            if bandAgreement > statistics.bestCandidate?.patternAgreement ?? -1 {
                GridSampler.complete(&samples, image: gray, grid: grid)
            }
            statistics.timings.sample += clock.now - t
            return (samples, .failure(.formatUnreadable), bandAgreement, false)
        }
        GridSampler.complete(&samples, image: gray, grid: grid)
        statistics.timings.sample += clock.now - t
        t = clock.now
        let inner = statistics.timings.reedSolomon + statistics.timings.bitstream
        let (outcome, agreement, onSymbol) = decode(samples)
        // Reed–Solomon and bit-stream time are counted by the symbol decoder itself.
        statistics.timings.decode += clock.now - t - (statistics.timings.reedSolomon + statistics.timings.bitstream - inner)
        return (samples, outcome, agreement, onSymbol)
    }

    /// The decoded symbol with its corners in image pixels (in reading order when mirrored).
    static func symbol(_ result: SymbolDecodeResult, mirrored: Bool, grid: SamplingGrid, inverted: Bool) -> DecodedSymbol {
        var corners = grid.corners
        if mirrored { corners = [corners[0], corners[3], corners[2], corners[1]] }
        return DecodedSymbol(content: result.content, version: result.version.number, level: result.level,
                             mask: result.mask, errorsCorrected: result.errorsCorrected,
                             erasuresUsed: result.erasuresUsed, corners: corners,
                             isMirrored: mirrored, isInverted: inverted)
    }

    /// The last resort when the search read nothing: the image as one whole symbol (see
    /// `PureSymbol`), straight and inverted.
    mutating func readPure(_ image: GrayImage) {
        for inverted in [false, true] where !finished && (!inverted || options.tryInverted) {
            let gray = inverted ? invertedImage(of: image) : image
            var t = clock.now
            let binary = (inverted ? otsuBinaries.inverted : otsuBinaries.straight) ?? Binarizer.otsu(gray)
            statistics.timings.binarize += clock.now - t
            t = clock.now
            let grid = PureSymbol.grid(binary)
            statistics.timings.locate += clock.now - t
            guard let grid else { continue }
            if case .success(let (result, mirrored)) = sampleAndDecode(gray, grid: grid).outcome {
                symbols.append(Self.symbol(result, mirrored: mirrored, grid: grid, inverted: inverted))
                return
            }
        }
    }

    /// Tries local then global thresholds, each straight and mirrored. `agreement` is the pattern
    /// agreement of the first reading (radius 3), which `observe` keeps when the grid fails;
    /// `onSymbol`, whether that reading showed more of a symbol than finders (`sitsOnSymbol`).
    mutating func decode(_ samples: ModuleSamples)
        -> (outcome: Result<(SymbolDecodeResult, Bool), SymbolDecodeFailure>, agreement: Double, onSymbol: Bool) {
        var failure = SymbolDecodeFailure.formatUnreadable
        var firstAgreement = 0.0
        var firstMatrix = BitMatrix(size: 0)
        var onSymbol: Bool?
        // The last reading sharpens the module values first, for blur that no threshold undoes.
        for (reading, (radius, sharpen)) in [(3, false), (0, false), (6, false), (3, true)].enumerated() {
            // Only for grids that came close: blur that hides the format bits from every
            // threshold leaves too little for sharpening, and large failing grids are costly.
            if sharpen, case .formatUnreadable = failure { break }
            // The other thresholds only for a grid that the first showed to sit on a symbol: its
            // timing lines or its format information read nearly right. Finder-like squares with
            // print between them pass the pattern check below (the finders dominate it) and get
            // this far, and each further reading costs Reed–Solomon straight and mirrored. On the
            // test photos and the stress set every read that needed another threshold had both.
            if reading == 1 {
                onSymbol = Self.sitsOnSymbol(firstMatrix)
                if onSymbol == false { break }
            }
            let (matrix, reliability) = (sharpen ? samples.sharpened() : samples).classify(localRadius: radius)
            // A grid that does not show finders and timing lines is sampled from the wrong
            // place; no threshold will rescue it (the check is the same mirrored).
            let agreement = FunctionPatternCheck.agreement(matrix)
            if reading == 0 { firstAgreement = agreement; firstMatrix = matrix }
            statistics.bestPatternAgreement = max(statistics.bestPatternAgreement, agreement)
            if agreement < Self.patternAgreementNeeded {
                if radius == 3 { statistics.gridsRejected += 1; return (.failure(.formatUnreadable), firstAgreement, onSymbol ?? false) }
                continue
            }
            statistics.gridsDecoded += 1
            do { return (.success((try SymbolDecoder.decode(matrix, reliability: reliability, timings: &statistics.timings), false)), firstAgreement, true) }
            catch { failure = error; count(error); if case .dimensionMismatch = error { return (.failure(error), firstAgreement, true) } }
            if options.tryMirrored {
                let t = matrix.transposed()
                let tr = transposed(reliability, n: samples.dimension)
                do { return (.success((try SymbolDecoder.decode(t, reliability: tr, timings: &statistics.timings), true)), firstAgreement, true) }
                catch { count(error); if case .formatUnreadable = failure { failure = error } }
            }
        }
        return (.failure(failure), firstAgreement, onSymbol ?? false)
    }

    /// Pattern agreement (0…1) a sampled grid's modules need before anything is decoded from them.
    static let patternAgreementNeeded = 0.7

    /// Whether modules read from a grid show a symbol beyond its finders: the timing lines three
    /// quarters right, or the format information (either copy, either orientation, either model)
    /// within one bit of a valid codeword. A grid on random print matches about half the timing
    /// modules, and one in six to ten passes (SymbolEvidenceTests), mostly by its format bits.
    static func sitsOnSymbol(_ matrix: BitMatrix) -> Bool {
        guard matrix.width >= 21 else { return false }
        if FunctionPatternCheck.timingAgreement(matrix) >= 0.75 { return true }
        return min(SymbolDecoder.formatDistance(matrix), SymbolDecoder.formatDistance(matrix.transposed())) <= 1
    }

    /// Keeps the most symbol-like failed candidate for the diagnosis. `agreement`: the pattern
    /// agreement of `samples` read with a radius-3 local threshold.
    mutating func observe(_ samples: ModuleSamples, agreement: Double, grid: SamplingGrid, moduleSize: Double,
                          failure: SymbolDecodeFailure) {
        if let best = statistics.bestCandidate, best.patternAgreement >= agreement { return }
        var c = CandidateObservation(patternAgreement: agreement, corners: grid.corners, dimension: samples.dimension,
                                     moduleSize: moduleSize, modulesOutside: samples.outside.filter { $0 }.count,
                                     blurModules: samples.blurInModules(), glareFraction: samples.glareFraction())
        if case .uncorrectable(_, let capacity, let doubtful) = failure {
            c.failedBlockCapacity = capacity
            c.doubtfulCodewords = doubtful
        }
        statistics.bestCandidate = c
    }

    private mutating func count(_ failure: SymbolDecodeFailure) {
        switch failure {
        case .formatUnreadable: statistics.formatFailures += 1
        case .uncorrectable: statistics.uncorrectable += 1
        case .invalidData: statistics.invalidData += 1
        case .dimensionMismatch: break
        }
    }

    private func transposed(_ r: [UInt8], n: Int) -> [UInt8] {
        var out = r
        for y in 0..<n { for x in 0..<n { out[x * n + y] = r[y * n + x] } }
        return out
    }

    /// Whether `p` lies inside the convex quadrilateral `q`.
    private func contains(_ q: [Point], _ p: Point) -> Bool {
        guard q.count == 4 else { return false }
        var sign = 0.0
        for i in 0..<4 {
            let c = Point.cross(q[(i + 1) % 4] - q[i], p - q[i])
            if c == 0 { continue }
            if sign == 0 { sign = c } else if (sign > 0) != (c > 0) { return false }
        }
        return true
    }
}

/// Time spent per stage of one read.
public struct StageTimings: Sendable, Equatable {
    /// Pyramid levels and thresholding.
    public var binarize: Duration = .zero
    /// Finder search, triples, geometry and alignment patterns.
    public var locate: Duration = .zero
    /// Reading module gray values (including the quick pattern check).
    public var sample: Duration = .zero
    /// Thresholding modules, format and version information, reading codewords out of the grid.
    public var decode: Duration = .zero
    /// Reed–Solomon error correction of the codeword blocks (erasure retries included).
    public var reedSolomon: Duration = .zero
    /// Parsing the corrected data into segments and text.
    public var bitstream: Duration = .zero

    public init() {}
}
