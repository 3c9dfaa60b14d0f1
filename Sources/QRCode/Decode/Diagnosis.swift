/// Why no code could be read from a photo: what the parent is told (retake advice) and
/// what a mail-in case records.
public enum DiagnosisReason: String, Sendable, CaseIterable {
    /// Nothing that looks like a QR code was found.
    case noCodeFound = "no_code_found"
    /// Only one or two finder patterns were seen, or the code runs off the edge of the photo.
    case partialCode = "partial_code"
    /// The code was found but its modules are too few pixels across.
    case codeTooSmall = "code_too_small"
    /// The code was found but blurred over more than about half a module.
    case tooBlurry = "too_blurry"
    /// A saturated reflection covers part of the code.
    case glareOverCode = "glare_over_code"
    /// The photo is too dark to tell dark modules from light ones.
    case tooDark = "too_dark"
    /// Dark and light differ too little anywhere in the photo.
    case lowContrast = "low_contrast"
    /// The code was located and sampled, but more codewords are wrong than error correction can repair.
    case damagedBeyondCorrection = "damaged_beyond_correction"
    /// A symbol this reader does not decode (e.g. Micro QR).
    case unsupportedSymbol = "unsupported_symbol"
}

/// The reason for an unread photo, with the measurements behind it.
public struct Diagnosis: Sendable, Equatable {
    public var reason: DiagnosisReason
    /// Measurements in plain units, e.g. `pixelsPerModule`, `blurModules`, `glareFraction`.
    public var details: [String: String]

    public init(reason: DiagnosisReason, details: [String: String] = [:]) {
        self.reason = reason
        self.details = details
    }
}

/// What the search learnt about the most promising candidate symbol that did not decode.
public struct CandidateObservation: Sendable, Equatable {
    /// Match of its finder and timing modules with a real symbol's (0…1).
    public var patternAgreement: Double
    /// Outer corners in image pixels.
    public var corners: [Point]
    public var dimension: Int
    /// Module size in pixels.
    public var moduleSize: Double
    /// Modules whose centre fell outside the photo.
    public var modulesOutside: Int
    /// Blur (Gaussian σ) in module units, estimated from the timing patterns' contrast.
    public var blurModules: Double?
    /// Fraction of modules inside saturated patches of at least 3×3 modules: a reflection
    /// (random data almost never holds 9 light modules in a square, so white paper does not count).
    public var glareFraction: Double = 0
    /// Reed–Solomon capacity of the failing block and how many of its codewords were doubtful.
    public var failedBlockCapacity: Int?
    public var doubtfulCodewords: Int?
}

/// Turns what a failed read observed into one `Diagnosis`.
enum Diagnostician {
    static func diagnose(_ image: GrayImage, statistics s: ReadStatistics) -> Diagnosis {
        guard image.width >= 21, image.height >= 21 else {
            return Diagnosis(reason: .noCodeFound, details: ["imageSize": "\(image.width)x\(image.height)"])
        }
        let lum = LuminanceSummary(image)
        if lum.high < 70 {
            return Diagnosis(reason: .tooDark, details: ["brightLevel": "\(lum.high)", "meanLevel": "\(lum.mean)"])
        }
        if lum.high - lum.low < 40 {
            return Diagnosis(reason: .lowContrast, details: ["contrast": "\(lum.high - lum.low)"])
        }
        let edges = EdgeSharpness(image, contrast: lum.high - lum.low)
        let edgeWidth = edges.width
        if let c = s.bestCandidate, c.patternAgreement >= 0.75, !Self.isTimingless(c, edgeWidth: edgeWidth) {
            var details: [String: String] = [
                "patternAgreement": format(c.patternAgreement), "pixelsPerModule": format(c.moduleSize),
                "version": "\((c.dimension - 17) / 4)",
            ]
            if c.glareFraction >= 0.03 {
                details["glareFraction"] = format(c.glareFraction)
                return Diagnosis(reason: .glareOverCode, details: details)
            }
            if c.modulesOutside > 0 {
                details["modulesOutsidePhoto"] = "\(c.modulesOutside)"
                return Diagnosis(reason: .partialCode, details: details)
            }
            if c.moduleSize < 2.2 {
                return Diagnosis(reason: .codeTooSmall, details: details)
            }
            if let blur = c.blurModules, blur >= 0.45 {
                details["blurModules"] = format(blur)
                return Diagnosis(reason: .tooBlurry, details: details)
            }
            if let cap = c.failedBlockCapacity { details["correctableCodewordsPerBlock"] = "\(cap)" }
            if let d = c.doubtfulCodewords { details["doubtfulCodewordsInFailedBlock"] = "\(d)" }
            return Diagnosis(reason: .damagedBeyondCorrection, details: details)
        }
        // No grid matched. A photo whose sharpest edges are several pixels wide is out of focus
        // or shaken, whatever it shows: retaking it sharper is the advice either way.
        if edgeWidth >= 6 {
            return Diagnosis(reason: .tooBlurry, details: ["edgeWidthPixels": format(edgeWidth)])
        }
        // Shaken: edges crisp one way, smeared the other. On the stress set's motion blur this
        // names 14 of the 15 photos that do not read (smears of 2 modules and more), on the
        // real photos only shaken ones without a code (falsepositives-2), and nothing else.
        if edges.showsShake {
            return Diagnosis(reason: .tooBlurry, details: [
                "edgeWidthPixels": format(edgeWidth), "widestEdgeWidthPixels": format(edges.widestDirection),
            ])
        }
        if let m = s.smallestTripleModule, m < 2.0 {
            return Diagnosis(reason: .codeTooSmall, details: ["pixelsPerModule": format(m)])
        }
        if let micro = s.loneFinders.first(where: { MicroQRCheck.looksLikeMicroQR(image, finder: $0) }) {
            return Diagnosis(reason: .unsupportedSymbol, details: [
                "symbol": "Micro QR", "pixelsPerModule": format(micro.moduleSize),
            ])
        }
        // Before partial codes: a spot that hides a finder leaves one or two to be seen.
        let glare = GlareSpot(image)
        if glare.hidesCode {
            return Diagnosis(reason: .glareOverCode, details: ["glareAreaFraction": format(glare.areaFraction)])
        }
        if (1...2).contains(s.confirmedFinders) {
            return Diagnosis(reason: .partialCode, details: ["finderPatterns": "\(s.confirmedFinders)"])
        }
        if s.confirmedFinders >= 3, let c = s.bestCandidate, c.patternAgreement >= 0.6, !Self.isTimingless(c, edgeWidth: edgeWidth) {
            // Finders were there but no grid matched: blur or glare usually do that.
            if let blur = c.blurModules, blur >= 0.45 {
                return Diagnosis(reason: .tooBlurry, details: ["blurModules": format(blur)])
            }
            if c.glareFraction >= 0.03 { return Diagnosis(reason: .glareOverCode, details: ["glareFraction": format(c.glareFraction)]) }
        }
        return Diagnosis(reason: .noCodeFound, details: ["finderCandidates": "\(s.finderCandidates)"])
    }

    /// Finder-like squares at right angles whose timing lines do not alternate at all, in a
    /// glare-free photo with crisp edges: blur cannot explain the flat timing (blur σ of a module or more
    /// widens every edge to several module widths), so there is no code, only squares.
    ///
    /// Timing lines half flattened (blur of half a module to one) count as no timing only where
    /// the photo's sharpest edges are under a quarter of that blur in pixels: large finder-like
    /// squares with random cells between them in a sharp 3–12 MP photo of print (σ 16–29 pixels
    /// against edges of about 2) and not a code that is merely out of focus while the rest of the
    /// photo is sharp (on the real photos such codes measured at most 2.5 pixels of blur).
    static func isTimingless(_ c: CandidateObservation, edgeWidth: Double) -> Bool {
        // Glare flattens the timing lines too; it is reported as glare.
        guard let blur = c.blurModules, blur >= 0.45, c.glareFraction < 0.03 else { return false }
        return edgeWidth < (blur >= 0.9 ? 1.25 : 0.25) * blur * c.moduleSize
    }

    static func format(_ v: Double) -> String { String((v * 100).rounded() / 100) }
}

/// How wide the photo's sharpest edges are, in pixels: contrast over the steepest step between
/// neighbouring pixels (the 99.8th percentile, so a few noisy pixels do not count as edges).
/// A crisp edge is 1–2 pixels wide; Gaussian blur of σ pixels widens it to about 2.5σ.
struct EdgeSharpness: Equatable {
    /// From steps across and down together: wide when the whole photo is out of focus.
    var width: Double
    /// The sharpest and the bluntest of eight directions, 22.5° apart (steps to the neighbours
    /// across, down, diagonally and a knight's move away, each measured along its own length).
    /// Shake smears edges along its path only: the steepest steps that way are the smear's,
    /// while across it the edges stay crisp. With directions 45° apart every smear would be
    /// seen from up to 22.5° off, where the crisp edges along it already cap the width at
    /// about 4 pixels.
    var narrowestDirection: Double
    var widestDirection: Double

    init(width: Double = 0, narrowestDirection: Double = 0, widestDirection: Double = 0) {
        self.width = width
        self.narrowestDirection = narrowestDirection
        self.widestDirection = widestDirection
    }

    /// Offsets of the two neighbour pairs sampled per direction at each pair of pixels (x, y),
    /// (x + 1, y) of a sampled (odd) row: the pairs of a direction start at both pixels' columns, and for
    /// the steps down at both rows' parities, so a symbol drawn at an even number of pixels per
    /// module still shows its edges in every direction. Directions in order: (1, 0), (2, 1),
    /// (1, 1), (1, 2), (0, 1), (−1, 2), (−1, 1), (−2, 1).
    static let pairs: [((Int, Int), (Int, Int))] = [
        ((0, 0), (1, 0)), ((1, 0), (2, 0)),
        ((0, 0), (2, 1)), ((-1, -1), (1, 0)),
        ((0, 0), (1, 1)), ((0, -1), (1, 0)),
        ((0, -1), (1, 1)), ((1, -1), (2, 1)),
        ((0, 0), (0, 1)), ((1, 0), (1, -1)),
        ((1, -1), (0, 1)), ((2, -1), (1, 1)),
        ((1, 0), (0, 1)), ((0, 0), (1, -1)),
        ((0, 0), (-2, 1)), ((1, 0), (3, -1)),
    ]

    /// Measured on every eighth row from row 1 (an 800×600 photo still gives 60,000 pairs per
    /// direction, the steepest 0.2 % of them 120), every second column from 2 to `width` − 4 (the pairs
    /// reach two columns left and three right, a row up and down). Taller photos take every
    /// 8·⌊rows / 1500⌋-th row (3000 rows: every sixteenth; a 12 MP photo still gives 375,000
    /// pairs per direction): at every eighth the measure was 5 % of the time a 12 MP photo
    /// without a code costs.
    init(_ image: GrayImage, contrast: Int) {
        self.init()
        let w = image.width, h = image.height
        guard w >= 6, h >= 3, contrast > 0 else { return }
        // Two partial histograms per direction, one per pair: on flat paper nearly every step
        // lands in bin 0, and increments of one counter would each wait for the one before
        // through memory. (A partial count holds at most a quarter of the pixels.)
        var partial = [UInt32](repeating: 0, count: 16 * 256)
        let rowStep = 8 * max(1, h / 1500)
        image.pixels.withUnsafeBufferPointer { p in
            partial.withUnsafeMutableBufferPointer { counts in
                let hist = counts.baseAddress!
                @inline(__always) func count(_ k: Int, _ a: UInt8, _ b: UInt8) { hist[k &* 256 &+ abs(Int(a) &- Int(b))] &+= 1 }
                var y = 1
                while y &+ 1 < h {
                    let r = p.baseAddress! + y &* w, u = r - w, d = r + w   // row, up, down
                    var x = 2
                    while x &+ 3 < w {
                        let a = r[x], b = r[x &+ 1]
                        count(0, a, b); count(1, b, r[x &+ 2])
                        count(2, a, d[x &+ 2]); count(3, u[x &- 1], b)
                        count(4, a, d[x &+ 1]); count(5, u[x], b)
                        count(6, u[x], d[x &+ 1]); count(7, u[x &+ 1], d[x &+ 2])
                        count(8, a, d[x]); count(9, b, u[x &+ 1])
                        count(10, u[x &+ 1], d[x]); count(11, u[x &+ 2], d[x &+ 1])
                        count(12, b, d[x]); count(13, a, u[x &+ 1])
                        count(14, a, d[x &- 2]); count(15, b, u[x &+ 3])
                        x &+= 2
                    }
                    y &+= rowStep
                }
            }
        }
        // Contrast over the step reached by the steepest 0.2 % of the pairs of these partials;
        // nil when that step is under `minimumStep` grey levels.
        func width(_ partials: [Int], minimumStep: Int = 1) -> Double? {
            let histogram = (0..<256).map { v in partials.reduce(0) { $0 &+ Int(partial[$1 &* 256 &+ v]) } }
            let total = histogram.reduce(0, +)
            var above = 0
            for g in stride(from: 255, through: minimumStep, by: -1) {
                above += histogram[g]
                if above * 500 >= total { return Double(contrast) / Double(g) }
            }
            return nil
        }
        self.width = width([0, 1, 8, 9]) ?? Double(contrast)
        // A direction whose steepest steps are noise (a few grey levels) shows no edges at all,
        // as down a picture of vertical bars: that is not a smear.
        let directions = (0..<8).compactMap { k -> Double? in
            let ((x0, y0), (x1, y1)) = Self.pairs[2 * k]
            let length = Double((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
            return width([2 * k, 2 * k + 1], minimumStep: 4).map { $0 * length }
        }
        guard directions.count >= 2 else { return }
        narrowestDirection = directions.min() ?? 0
        widestDirection = directions.max() ?? 0
    }

    /// Smeared along one direction and crisp across it: shake. 5 pixels and twice the sharpest
    /// direction: see `Diagnostician.diagnose` for what this was measured on.
    var showsShake: Bool { widestDirection >= 5 && widestDirection >= 2 * narrowestDirection }
}

/// A saturated reflection seen from the whole photo: when it hides a code completely, no
/// candidate grid is left to find the glare in (`CandidateObservation.glareFraction`).
///
/// Clipped pixels (250 and up) in one compact blob: they fill at least 0.7 of the ellipse of
/// their own spread (a round spot fills all of it, specks of light scattered over a print a
/// small part), cover 2–50 % of the photo (above that the photo is a bright one, such as a code
/// printed on white), and the rest of the photo is not dark (a light code on a dark tin is
/// bright and compact too). Among the unread photos of the stress set and of
/// `../shared/testimages` it names only the stress set's largest spots (0.4 of the width, which
/// hide every finder); no real photo there, read or not, shows such a spot.
struct GlareSpot: Equatable {
    /// Fraction of the photo that is clipped.
    var areaFraction = 0.0
    /// Clipped pixels over the area of the ellipse with their spread (1 for a round blob).
    var fill = 0.0
    /// Mean level of the pixels that are not clipped.
    var surroundingLevel = 0.0

    /// Measured on every second pixel of every second row.
    init(_ image: GrayImage) {
        let w = image.width, h = image.height
        var n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, samples = 0, rest = 0
        image.pixels.withUnsafeBufferPointer { p in
            var y = 0
            while y < h {
                let row = p.baseAddress! + y &* w
                var x = 0
                while x < w {
                    let v = Int(row[x])
                    if v >= 250 {
                        n &+= 1; sx &+= x; sy &+= y
                        sxx &+= x &* x; syy &+= y &* y; sxy &+= x &* y
                    } else {
                        rest &+= v
                    }
                    samples &+= 1
                    x &+= 2
                }
                y &+= 2
            }
        }
        guard n >= 2, samples > 0 else { return }
        areaFraction = Double(n) / Double(samples)
        surroundingLevel = n < samples ? Double(rest) / Double(samples - n) : 255
        let count = Double(n), mx = Double(sx) / count, my = Double(sy) / count
        let vxx = Double(sxx) / count - mx * mx, vyy = Double(syy) / count - my * my
        let vxy = Double(sxy) / count - mx * my
        let det = vxx * vyy - vxy * vxy
        // Samples stand for 2×2 pixels: the ellipse's area in samples is a quarter of its pixels'.
        fill = det > 0 ? count / (4 * Double.pi * det.squareRoot() / 4) : 0
    }

    var hidesCode: Bool { areaFraction >= 0.02 && areaFraction <= 0.5 && fill >= 0.7 && surroundingLevel >= 60 }
}

/// Robust dark and bright levels of a photo (2nd and 98th percentiles) and its mean.
struct LuminanceSummary {
    var low = 0, high = 0, mean = 0

    init(_ image: GrayImage) {
        // Every 4th pixel is plenty for percentiles and keeps this cheap on 12 MP photos. Two
        // partial histograms, alternating: runs of equal pixels (flat paper) would otherwise
        // make every increment wait on the previous one through memory.
        var partial = [Int](repeating: 0, count: 2 * 256)
        image.pixels.withUnsafeBufferPointer { p in
            partial.withUnsafeMutableBufferPointer { counts in
                let hist = counts.baseAddress!
                let n = p.count
                var i = 0
                while i &+ 4 < n {
                    hist[Int(p[i])] &+= 1
                    hist[256 &+ Int(p[i &+ 4])] &+= 1
                    i &+= 8
                }
                if i < n { hist[Int(p[i])] &+= 1 }
            }
        }
        let histogram = (0..<256).map { (v: Int) -> Int in partial[v] &+ partial[256 &+ v] }
        let n = histogram.reduce(0, +)
        guard n > 0 else { return }
        var acc = 0, sum = 0
        var foundLow = false
        for v in 0..<256 {
            acc += histogram[v]
            sum += v * histogram[v]
            if !foundLow && acc * 50 >= n { low = v; foundLow = true }
            if acc * 50 >= n * 49 { high = v; break }
        }
        mean = (0..<256).reduce(0) { $0 + $1 * histogram[$1] } / n
    }
}

extension ModuleSamples {
    /// Gaussian blur σ in module units, from how much of the full dark/light contrast survives
    /// in the timing patterns (a square wave of period two modules): its fundamental keeps
    /// exp(−π²σ²/2) of its amplitude, and the square wave's swing is about 4/π of that.
    func blurInModules() -> Double? {
        let n = dimension
        guard n >= 21 else { return nil }
        // Full contrast: finder stones (3×3 dark) against the finders' light rings.
        var dark = 0, darkCount = 0, light = 0, lightCount = 0
        for (fx, fy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
            for dy in -2...2 {
                for dx in -2...2 {
                    let v = Int(values[(fy + dy) * n + fx + dx])
                    let ring = max(abs(dx), abs(dy))
                    if ring == 0 { dark += v; darkCount += 1 } else if ring == 2 { light += v; lightCount += 1 }
                }
            }
        }
        let full = Double(light) / Double(lightCount) - Double(dark) / Double(darkCount)
        guard full > 10 else { return nil }
        var even = 0, odd = 0, count = 0
        for i in 8..<(n - 8) {
            let a = Int(values[6 * n + i]), b = Int(values[i * n + 6])
            if i % 2 == 0 { even += a + b } else { odd += a + b }
            count += 2
        }
        let swing = (Double(odd) - Double(even)) / Double(count / 2)
        let m = max(0.01, swing / full)
        if m * Double.pi / 4 >= 1 { return 0 }
        let sigma2 = 2 * naturalLog(4 / (Double.pi * m)) / (Double.pi * Double.pi)
        return sigma2 > 0 ? sigma2.squareRoot() : 0
    }
}

/// ln(x) for x > 0, without Foundation.
func naturalLog(_ x: Double) -> Double {
    guard x > 0 else { return -Double.infinity }
    // x = m · 2^e with m in [1, 2); ln x = e·ln2 + ln m, ln m by the atanh series.
    var m = x, e = 0.0
    while m >= 2 { m /= 2; e += 1 }
    while m < 1 { m *= 2; e -= 1 }
    let z = (m - 1) / (m + 1), z2 = z * z
    var term = z, sum = 0.0
    for k in 0..<30 {
        sum += term / Double(2 * k + 1)
        term *= z2
    }
    return e * 0.6931471805599453 + 2 * sum
}

extension ModuleSamples {
    /// Fraction of modules covered by 3×3-module windows that are all saturated (≥ 245).
    func glareFraction() -> Double {
        let n = dimension
        guard n >= 3 else { return 0 }
        var covered = [Bool](repeating: false, count: n * n)
        for y in 0..<(n - 2) {
            for x in 0..<(n - 2) {
                var all = true
                for dy in 0..<3 where all { for dx in 0..<3 where values[(y + dy) * n + x + dx] < 245 { all = false } }
                if all { for dy in 0..<3 { for dx in 0..<3 { covered[(y + dy) * n + x + dx] = true } } }
            }
        }
        return Double(covered.filter { $0 }.count) / Double(n * n)
    }
}

/// Recognises a Micro QR symbol (one finder pattern, timing patterns along its outer edges),
/// which this reader does not decode, so that the user hears "unsupported", not "partial".
enum MicroQRCheck {
    static func looksLikeMicroQR(_ image: GrayImage, finder f: FinderPattern) -> Bool {
        let m = f.moduleSize
        // Bounds are tested on the point itself: `Int` truncates toward zero, so a point half a
        // pixel beside the top or left edge would read row or column 0.
        func value(_ dx: Double, _ dy: Double) -> Int? {
            let x = f.center.x + dx * m, y = f.center.y + dy * m
            guard x >= 0, y >= 0, x < Double(image.width), y < Double(image.height) else { return nil }
            return Int(image[Int(x), Int(y)])
        }
        guard let stone = value(0, 0), let ring = value(2, 0) else { return false }
        let threshold = (stone + ring) / 2
        guard ring - stone > 30 else { return false }
        // The symbol may be in any quarter turn: timing runs along the finder's outer row and
        // column on the sides facing away from the corner.
        for (sx, sy) in [(1.0, 1.0), (-1.0, 1.0), (1.0, -1.0), (-1.0, -1.0)] {
            var ok = true
            for k in 0..<5 where ok {
                // Module centres of columns 7…11 on the outer row, and rows 7…11 on the outer column.
                let along = Double(k + 7) - 3.0
                let expectDark = (k + 7) % 2 == 0
                guard let a = value(sx * along, -sy * 3), let b = value(-sx * 3, sy * along) else { ok = false; break }
                if k >= 4 { break }   // M1 symbols are 11 modules: columns 7…10 always exist
                ok = (a < threshold) == expectDark && (b < threshold) == expectDark
            }
            if ok { return true }
        }
        return false
    }
}
