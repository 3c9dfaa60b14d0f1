import Testing
@testable import QRCode

/// `ReadSession.sitsOnSymbol`: the evidence that lets a failed grid try other thresholds and a
/// shifted copy. Real symbols must pass it even with their timing lines lost; finders with
/// random print between them (the stress set's clutter) must mostly fail it.
@Suite struct SymbolEvidenceTests {
    static func symbol(version: Int, level: ErrorCorrectionLevel) throws -> BitMatrix {
        try QREncoder.encode("EVIDENCE \(version)", options: EncodeOptions(level: level, minimumVersion: version,
                                                                            maximumVersion: version)).matrix
    }

    /// Whether (x, y) is a finder or its separator.
    static func inFinderCorner(_ x: Int, _ y: Int, n: Int) -> Bool {
        (x < 8 && y < 8) || (x >= n - 8 && y < 8) || (x < 8 && y >= n - 8)
    }

    @Test(arguments: [1, 2, 5, 7, 14, 40])
    func realSymbolsSitOnASymbol(version: Int) throws {
        for level in [ErrorCorrectionLevel.L, .H] {
            let m = try Self.symbol(version: version, level: level)
            #expect(FunctionPatternCheck.timingAgreement(m) == 1)
            #expect(SymbolDecoder.formatDistance(m) == 0)
            #expect(ReadSession.sitsOnSymbol(m))
            #expect(ReadSession.sitsOnSymbol(m.transposed()), "mirrored")
        }
    }

    /// A scratch along both timing lines: the format information still shows the symbol, and
    /// one wrong bit in each copy too; wrong in two bits of each and without timing it does not.
    @Test func lostTimingLinesLeaveTheFormatInformation() throws {
        var m = try Self.symbol(version: 3, level: .M)
        let n = m.width
        for i in 8..<(n - 8) { m[i, 6] = true; m[6, i] = true }
        #expect(FunctionPatternCheck.timingAgreement(m) < 0.6)
        #expect(ReadSession.sitsOnSymbol(m))
        let positions = SymbolLayout.formatInformationPositions(dimension: n)
        for copy in [positions.first, positions.second] { m.flip(x: copy[0].x, y: copy[0].y) }
        #expect(SymbolDecoder.formatDistance(m) == 1)
        #expect(ReadSession.sitsOnSymbol(m))
        for copy in [positions.first, positions.second] { m.flip(x: copy[5].x, y: copy[5].y) }
        #expect(SymbolDecoder.formatDistance(m) == 2)
        #expect(SymbolDecoder.formatDistance(m.transposed()) > 1)
        #expect(!ReadSession.sitsOnSymbol(m))
    }

    /// Three finders with random modules everywhere else, as clutter sampled at the right size
    /// reads: few pass (42 to 70 of 400 here, mostly through format bits that come within one
    /// bit of a codeword: two copies, two orientations, two models).
    @Test(arguments: [21, 25, 45])
    func randomPrintBetweenFindersMostlyDoesNot(dimension n: Int) throws {
        let finders = try Self.symbol(version: (n - 17) / 4, level: .L)
        var generator = SplitMix(seed: UInt64(n))
        var passed = 0
        let trials = 400
        for _ in 0..<trials {
            var m = finders
            for y in 0..<n {
                for x in 0..<n where !Self.inFinderCorner(x, y, n: n) { m[x, y] = Bool.random(using: &generator) }
            }
            if ReadSession.sitsOnSymbol(m) { passed += 1 }
        }
        #expect(passed > 0 && passed * 5 < trials, "\(passed) of \(trials) random grids passed")
    }
}
