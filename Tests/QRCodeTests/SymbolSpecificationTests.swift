import Testing
@testable import QRCode

@Suite struct SymbolSpecificationTests {
    @Test func versionBounds() {
        #expect(QRVersion(0) == nil)
        #expect(QRVersion(41) == nil)
        #expect(QRVersion(1)?.dimension == 21)
        #expect(QRVersion(40)?.dimension == 177)
        #expect(QRVersion.forDimension(25)?.number == 2)
        #expect(QRVersion.forDimension(24) == nil)
        #expect(QRVersion.forDimension(181) == nil)
        #expect(QRVersion.all.count == 40)
    }

    /// Totals of ISO/IEC 18004 table 1 and the remainder bits of table 1's last column.
    @Test func codewordCapacities() throws {
        let totals = [1: 26, 2: 44, 6: 172, 7: 196, 14: 581, 21: 1156, 27: 1828, 29: 2051, 40: 3706]
        for (v, total) in totals {
            #expect(try #require(QRVersion(v)).totalCodewords == total, "version \(v)")
        }
        let remainders = [1: 0, 2: 7, 6: 7, 7: 0, 13: 0, 14: 3, 20: 3, 21: 4, 27: 4, 28: 3, 34: 3, 35: 0, 40: 0]
        for (v, r) in remainders {
            #expect(try #require(QRVersion(v)).remainderBits == r, "version \(v)")
        }
    }

    @Test func blockTableAddsUp() {
        for version in QRVersion.all {
            for level in ErrorCorrectionLevel.allCases {
                let blocks = version.blocks(level)
                #expect(blocks.totalCodewords == version.totalCodewords, "\(version.number)-\(level)")
                #expect(blocks.totalDataCodewords == version.dataCodewordCount(level))
                let sizes = Set(blocks.dataCodewordsPerBlock)
                #expect(sizes.count <= 2 && (sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
                #expect(blocks.dataCodewordsPerBlock == blocks.dataCodewordsPerBlock.sorted())
            }
        }
    }

    /// Spot checks against ISO/IEC 18004 table 9.
    @Test func blockTableKnownValues() throws {
        func blocks(_ v: Int, _ level: ErrorCorrectionLevel) throws -> ErrorCorrectionBlocks {
            try #require(QRVersion(v)).blocks(level)
        }
        #expect(try blocks(1, .M) == ErrorCorrectionBlocks(ecCodewordsPerBlock: 10, dataCodewordsPerBlock: [16]))
        #expect(try blocks(1, .H) == ErrorCorrectionBlocks(ecCodewordsPerBlock: 17, dataCodewordsPerBlock: [9]))
        #expect(try blocks(5, .Q) == ErrorCorrectionBlocks(ecCodewordsPerBlock: 18, dataCodewordsPerBlock: [15, 15, 16, 16]))
        #expect(try blocks(40, .H) == ErrorCorrectionBlocks(
            ecCodewordsPerBlock: 30, dataCodewordsPerBlock: [Int](repeating: 15, count: 20) + [Int](repeating: 16, count: 61)))
        #expect(try blocks(40, .L) == ErrorCorrectionBlocks(
            ecCodewordsPerBlock: 30, dataCodewordsPerBlock: [Int](repeating: 118, count: 19) + [Int](repeating: 119, count: 6)))
        #expect(try blocks(14, .M) == ErrorCorrectionBlocks(
            ecCodewordsPerBlock: 24, dataCodewordsPerBlock: [Int](repeating: 40, count: 4) + [Int](repeating: 41, count: 5)))
        #expect(try blocks(7, .L).dataCodewordsPerBlock == [78, 78])
        #expect(QRVersion(40)?.dataCodewordCount(.L) == 2956)
        #expect(try blocks(10, .H).dataCodewordsPerBlock == [15, 15, 15, 15, 15, 15, 16, 16])
    }

    /// ISO/IEC 18004 table E.1.
    @Test func alignmentPatternCenters() {
        let expected: [Int: [Int]] = [
            1: [], 2: [6, 18], 6: [6, 34], 7: [6, 22, 38], 14: [6, 26, 46, 66], 16: [6, 26, 50, 74],
            22: [6, 26, 50, 74, 98], 32: [6, 34, 60, 86, 112, 138], 36: [6, 24, 50, 76, 102, 128, 154],
            39: [6, 26, 54, 82, 110, 138, 166], 40: [6, 30, 58, 86, 114, 142, 170],
        ]
        for (v, centers) in expected { #expect(QRVersion(v)?.alignmentPatternCenters == centers, "version \(v)") }
    }

    @Test func dataModulesMatchCapacity() {
        for version in QRVersion.all {
            let layout = SymbolLayout(version: version)
            let dim = version.dimension
            #expect(layout.dataModules.count == version.totalCodewords * 8 + version.remainderBits)
            #expect(Set(layout.dataModules).count == layout.dataModules.count)
            let functionCount = (0..<dim * dim).count { layout.isFunctionModule(x: $0 % dim, y: $0 / dim) }
            #expect(functionCount + layout.dataModules.count == dim * dim, "version \(version.number)")
        }
    }

    /// The first codeword of every symbol fills the 2×4 block in the bottom-right corner,
    /// upwards, right column first; the column pair left of the timing column runs downwards.
    @Test func placementOrderStartsBottomRight() throws {
        let layout = SymbolLayout(version: try #require(QRVersion(1)))
        let first = layout.dataModules.prefix(4).map { (Int($0) % 21, Int($0) / 21) }
        #expect(first.elementsEqual([(20, 20), (19, 20), (20, 19), (19, 19)], by: ==))
        let last = try #require(layout.dataModules.last)
        #expect((Int(last) % 21, Int(last) / 21) == (0, 12))
    }

    @Test func functionPatternsDrawFindersTimingAndDarkModule() throws {
        let layout = SymbolLayout(version: try #require(QRVersion(7)))
        var m = BitMatrix(size: 45)
        layout.drawFunctionPatterns(into: &m)
        #expect(m.rows[0].hasPrefix("#######.") && m.rows[0].hasSuffix(".#######"))
        #expect(m.rows[2].hasPrefix("#.###.#."))
        #expect(m.rows[7].hasPrefix("........"))
        #expect(m[8, 45 - 8])
        #expect((8..<37).allSatisfy { m[$0, 6] == ($0 % 2 == 0) && m[6, $0] == ($0 % 2 == 0) })
        // Alignment pattern centred at (22, 22): dark centre, light ring, dark edge.
        #expect(m[22, 22] && !m[21, 22] && m[20, 22])
        var versionBits: UInt32 = 0
        for p in SymbolLayout.versionInformationPositions(dimension: 45).second {
            versionBits = versionBits << 1 | (m[p.x, p.y] ? 1 : 0)
        }
        #expect(versionBits == 0x07C94)
    }

    /// ISO/IEC 18004 table C.1 values.
    @Test func formatInformationBits() {
        #expect(FormatInformation(level: .M, mask: 0).bits == 0x5412)
        #expect(FormatInformation(level: .L, mask: 0).bits == 0x77C4)
        #expect(FormatInformation(level: .L, mask: 7).bits == 0x6976)
        #expect(FormatInformation(level: .H, mask: 4).bits == 0x0762)
        #expect(FormatInformation(level: .Q, mask: 7).bits == 0x2BED)
    }

    @Test func formatInformationCorrectsUpToThreeErrors() {
        for entry in FormatInformation.table {
            let exact = FormatInformation.decode(entry.bits, nil)
            #expect(exact?.0 == entry.info && exact?.distance == 0)
            for a in 0..<15 {
                for b in a..<15 {
                    for c in b..<15 {
                        let errors = UInt16(1 << a | 1 << b | 1 << c)
                        let result = FormatInformation.decode(entry.bits ^ errors, nil)
                        if result?.0 != entry.info || result?.distance != errors.nonzeroBitCount {
                            Issue.record("\(entry.info) with errors \(errors) decoded as \(String(describing: result))")
                        }
                    }
                }
            }
            // A garbled first copy is rescued by a clean second copy.
            #expect(FormatInformation.decode(entry.bits ^ 0x7F00, entry.bits)?.0 == entry.info)
        }
        #expect(FormatInformation.decode(0x5412 ^ 0b1111, nil)?.0 != FormatInformation(level: .M, mask: 0))
    }

    @Test func versionInformation() {
        #expect(VersionInformation.bits(for: 7) == 0x07C94)
        #expect(VersionInformation.bits(for: 21) == 0x15683)
        #expect(VersionInformation.bits(for: 40) == 0x28C69)
        for version in 7...40 {
            let word = VersionInformation.bits(for: version)
            #expect(VersionInformation.decode(word, nil)! == (version, 0))
            for a in 0..<18 {
                for b in a..<18 {
                    for c in b..<18 {
                        let errors = UInt32(1 << a | 1 << b | 1 << c)
                        let result = VersionInformation.decode(word ^ errors, nil)
                        if result?.version != version {
                            Issue.record("version \(version) with errors \(errors) decoded as \(String(describing: result))")
                        }
                    }
                }
            }
            #expect(VersionInformation.decode(0x3FFFF ^ word, word)?.version == version)
        }
    }

    @Test func interleavingRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        for version in QRVersion.all {
            for level in ErrorCorrectionLevel.allCases {
                let blocks = version.blocks(level)
                let data = blocks.dataCodewordsPerBlock.map { n in (0..<n).map { _ in UInt8.random(in: 0...255, using: &generator) } }
                let ec = data.map { _ in (0..<blocks.ecCodewordsPerBlock).map { _ in UInt8.random(in: 0...255, using: &generator) } }
                let stream = CodewordBlocks.interleave(data, ec: ec)
                #expect(stream.count == version.totalCodewords)
                let split = CodewordBlocks.deinterleave(stream, version: version, level: level)
                #expect(split.map(\.data) == blocks.dataCodewordsPerBlock)
                #expect(split.map(\.codewords) == zip(data, ec).map { $0 + $1 })
            }
        }
        #expect(CodewordBlocks.deinterleave([1, 2, 3], version: QRVersion.all[0], level: .L).isEmpty)
    }

    /// Interleaving example of ISO/IEC 18004 7.6: 5-Q, two blocks of 15 then two of 16.
    @Test func interleaveOrder() {
        let data: [[UInt8]] = [[1, 2], [11, 12], [21, 22, 23]]
        let ec: [[UInt8]] = [[5], [15], [25]]
        #expect(CodewordBlocks.interleave(data, ec: ec) == [1, 11, 21, 2, 12, 22, 23, 5, 15, 25])
    }

    @Test func placeThenReadRoundTrips() throws {
        for v in [1, 2, 7, 21] {
            let version = try #require(QRVersion(v))
            let layout = SymbolLayout(version: version)
            let codewords = (0..<version.totalCodewords).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ v) }
            for mask in 0..<8 {
                var m = BitMatrix(size: version.dimension)
                layout.drawFunctionPatterns(into: &m)
                layout.placeCodewords(codewords, mask: mask, into: &m)
                #expect(layout.readCodewords(from: m, mask: mask) == codewords)
                if mask != 0 { #expect(layout.readCodewords(from: m, mask: 0) != codewords) }
            }
        }
    }

    @Test func formatInformationPositionsAreFunctionModules() {
        for dim in [21, 45, 177] {
            guard let version = QRVersion.forDimension(dim) else { Issue.record("no version for \(dim)"); continue }
            let layout = SymbolLayout(version: version)
            let format = SymbolLayout.formatInformationPositions(dimension: dim)
            let versionInfo = SymbolLayout.versionInformationPositions(dimension: dim)
            let all = format.first + format.second + (dim >= 45 ? versionInfo.first + versionInfo.second : [])
            #expect(all.allSatisfy { layout.isFunctionModule(x: $0.x, y: $0.y) })
            #expect(Set(all.map { $0.y * dim + $0.x }).count == all.count)
            #expect(format.first.count == 15 && format.second.count == 15)
        }
    }

    @Test func maskPatterns() {
        // Spot values from the formulas of ISO/IEC 18004 table 10 (i = row = y, j = column = x).
        #expect(DataMask.isFlipped(0, x: 0, y: 0) && !DataMask.isFlipped(0, x: 1, y: 0))
        #expect(DataMask.isFlipped(1, x: 1, y: 0) && !DataMask.isFlipped(1, x: 0, y: 1))
        #expect(DataMask.isFlipped(2, x: 3, y: 1) && !DataMask.isFlipped(2, x: 1, y: 3))
        #expect(DataMask.isFlipped(4, x: 2, y: 1) && !DataMask.isFlipped(4, x: 3, y: 0))
        #expect(DataMask.isFlipped(5, x: 6, y: 5) && !DataMask.isFlipped(5, x: 1, y: 1))
        #expect(DataMask.isFlipped(6, x: 1, y: 1) && !DataMask.isFlipped(6, x: 3, y: 1))
        #expect(DataMask.isFlipped(7, x: 0, y: 0) && !DataMask.isFlipped(7, x: 1, y: 0))
        #expect(!DataMask.isFlipped(8, x: 0, y: 0))
    }
}
