import Testing
@testable import QRCode

/// A finder's side directions (`FinderCorners.sideLines`) and the check that a triple's finders
/// have sides along the lines between them (`GeometryEstimator.finderSidesFollowLegs`), which
/// turns away finder-like squares strewn over a print at their own angles.
@Suite struct FinderSidesTests {
    /// The chord counting of `sideLines` done the plain way: every chord against every other.
    static func referenceSideLines(_ edges: [Point]) -> FinderSides? {
        let n = edges.count
        guard n >= 16 else { return nil }
        var doubled: [Point] = []
        for k in 0..<n {
            let d = edges[(k + 2) % n] - edges[(k + n - 2) % n]
            guard d.length > 1 else { continue }
            let c = d.x / d.length, s = d.y / d.length
            doubled.append(Point(x: c * c - s * s, y: 2 * c * s))
        }
        func peak(awayFrom other: Point?) -> (Point, Int)? {
            var best: Point?, bestCount = 0
            for a in doubled {
                if let other, Point.dot(a, other) > 0.342 { continue }
                let count = doubled.filter { Point.dot(a, $0) > 0.9135 }.count
                if count > bestCount { best = a; bestCount = count }
            }
            guard let best, bestCount >= 4 else { return nil }
            var sum = Point(x: 0, y: 0)
            for b in doubled where Point.dot(best, b) > 0.9135 { sum = sum + b }
            return sum.length > 0 ? (sum * (1 / sum.length), bestCount) : nil
        }
        guard let first = peak(awayFrom: nil), let second = peak(awayFrom: first.0) else { return nil }
        func direction(_ d: Point) -> Point {
            let angle = atan2Approx(d.y, d.x) / 2
            return Point(x: cosine(angle), y: sine(angle))
        }
        return FinderSides(first: direction(first.0), second: direction(second.0),
                           straightShare: Double(first.1 + second.1) / Double(n))
    }

    /// Where 64 rays from the centre leave a square of half-side `half` turned by `angle`
    /// (or a circle of that radius), each point moved up to `jitter` pixels at random.
    static func outline(square: Bool, half: Double, angle: Double, jitter: Double,
                        using generator: inout SplitMix) -> [Point] {
        (0..<64).map { k in
            let ray = Double(k) * 2 * Double.pi / 64
            let local = ray - angle
            let reach = square ? half / max(abs(cosine(local)), abs(sine(local))) : half
            let noise = Point(x: Double.random(in: -jitter...jitter, using: &generator),
                              y: Double.random(in: -jitter...jitter, using: &generator))
            return Point(x: 100 + reach * cosine(ray), y: 100 + reach * sine(ray)) + noise
        }
    }

    @Test func pairwiseCountingInLanesReadsLikeThePlainLoop() {
        var generator = SplitMix(seed: 7)
        var compared = 0
        for trial in 0..<600 {
            let edges = Self.outline(square: trial % 3 != 0, half: Double.random(in: 5...40, using: &generator),
                                     angle: Double.random(in: 0...Double.pi, using: &generator),
                                     jitter: [0, 0.5, 2, 6][trial % 4], using: &generator)
            let fast = FinderCorners.sideLines(edges), slow = Self.referenceSideLines(edges)
            #expect((fast == nil) == (slow == nil), "trial \(trial)")
            guard let fast, let slow else { continue }
            compared += 1
            #expect(fast.first == slow.first && fast.second == slow.second, "trial \(trial)")
            #expect(fast.straightShare == slow.straightShare, "trial \(trial)")
        }
        #expect(compared > 400)
    }

    @Test func squaresReadStraightAndCirclesDoNot() {
        var generator = SplitMix(seed: 11)
        for angle in stride(from: 0.0, to: 1.6, by: 0.2) {
            let square = FinderCorners.sideLines(Self.outline(square: true, half: 20, angle: angle, jitter: 0.5, using: &generator))
            #expect((square?.straightShare ?? 0) >= 0.6, "square at \(angle)")
            // The first side found lies along one of the square's sides.
            let along = Point(x: cosine(angle), y: sine(angle))
            if let s = square { #expect(max(abs(Point.dot(s.first, along)), abs(Point.cross(s.first, along))) > 0.99) }
            let circle = FinderCorners.sideLines(Self.outline(square: false, half: 20, angle: angle, jitter: 0.5, using: &generator))
            #expect((circle?.straightShare ?? 0) < 0.6, "circle at \(angle)")
        }
    }

    @Test func sidesReadSquareWhenStraightAndNearlyPerpendicular() {
        let x = Point(x: 1, y: 0), y = Point(x: 0, y: 1)
        #expect(FinderSides(first: x, second: y, straightShare: 0.8).readSquare)
        #expect(!FinderSides(first: x, second: y, straightShare: 0.5).readSquare, "round or ragged")
        let slanted = Point(x: cosine(0.9), y: sine(0.9))   // 52° from the first side
        #expect(!FinderSides(first: x, second: slanted, straightShare: 0.8).readSquare, "slanted by motion blur")
        let skewed = Point(x: cosine(1.2), y: sine(1.2))    // 69°: perspective
        #expect(FinderSides(first: x, second: skewed, straightShare: 0.8).readSquare)
    }

    /// Three finders (module 6 px) at the corners of a 41-module symbol; each drawn turned by
    /// its own angle, square or round.
    static func scene(turns: [Double], round: Bool = false) throws -> (GeometryEstimator, FinderTriple) {
        let module = 6.0, size = 320
        let centres = [Point(x: 40, y: 40), Point(x: 40 + 34 * module, y: 40), Point(x: 40, y: 40 + 34 * module)]
        var bits = [UInt8](repeating: 0, count: size * size)
        for (centre, turn) in zip(centres, turns) {
            let (c, s) = (cosine(turn), sine(turn))
            for y in 0..<size {
                for x in 0..<size {
                    let dx = Double(x) + 0.5 - centre.x, dy = Double(y) + 0.5 - centre.y
                    let u = (c * dx + s * dy) / module, v = (-s * dx + c * dy) / module
                    let ring = round ? (u * u + v * v).squareRoot() : max(abs(u), abs(v))
                    if ring < 1.5 || (ring >= 2.5 && ring < 3.5) { bits[y * size + x] = 1 }
                }
            }
        }
        let finders = centres.map { FinderPattern(center: $0, moduleSize: module, confirmations: 6) }
        let triple = try #require(FinderTriple.make(finders, 0, 1, 2))
        return (GeometryEstimator(binary: BinaryImage(width: size, height: size, bits: bits), scale: 1, finders: finders), triple)
    }

    /// Whether the scene's triple passes (kept out of `#expect`, which would print the image).
    static func follows(turns: [Double], round: Bool = false) throws -> Bool {
        let (estimator, triple) = try scene(turns: turns, round: round)
        return estimator.finderSidesFollowLegs(triple)
    }

    @Test func aSymbolsFindersFollowTheirLegs() throws {
        #expect(try Self.follows(turns: [0, 0, 0]))
        // Each finder a little off (as perspective and a ragged print leave them).
        #expect(try Self.follows(turns: [0.15, -0.15, 0.1]))
        #expect(try Self.follows(turns: [0.5, 0.5, 0.5]) == false, "all three turned 29° off the lines between them")
    }

    /// Any one finder turned 30° or more away from the lines to its neighbours; at 45° the
    /// top-right finder's sides run along its diagonal leg to the bottom-left one, which is not enough.
    @Test(arguments: [0.55, 0.65, 0.785])
    func aFinderTurnedAwayIsNotTheSymbols(turn: Double) throws {
        for k in 0..<3 {
            var turns = [0.0, 0.0, 0.0]
            turns[k] = turn
            #expect(try Self.follows(turns: turns) == false, "finder \(k) turned by \(turn)")
        }
    }

    /// An artistic code's round finders have no sides to judge.
    @Test func roundFindersAreNotJudged() throws {
        #expect(try Self.follows(turns: [0, 0.7, 0.3], round: true))
    }

    /// A triple with a finder placed where two real ones put the third (`confirmations` 0) is
    /// not judged: the placement follows the pair's line, not the symbol's skew.
    @Test func triplesWithAPlacedFinderAreNotJudged() throws {
        let (estimator, _) = try Self.scene(turns: [0, 0.7, 0])
        let module = 6.0
        let finders = [Point(x: 40, y: 40), Point(x: 40 + 34 * module, y: 40), Point(x: 40, y: 40 + 34 * module)].enumerated().map {
            // The top-left one placed; the turned top-right one seen.
            FinderPattern(center: $0.element, moduleSize: module, confirmations: $0.offset == 0 ? 0 : 6)
        }
        let placed = GeometryEstimator(binary: estimator.binary, scale: 1, finders: finders)
        let triple = try #require(FinderTriple.make(finders, 0, 1, 2))
        let passes = placed.finderSidesFollowLegs(triple)
        #expect(passes)
        let seenFinders = finders.map { FinderPattern(center: $0.center, moduleSize: $0.moduleSize, confirmations: 6) }
        let seen = GeometryEstimator(binary: estimator.binary, scale: 1, finders: seenFinders)
        let judged = seen.finderSidesFollowLegs(try #require(FinderTriple.make(seenFinders, 0, 1, 2)))
        #expect(!judged, "the same triple when all three are seen")
    }
}
