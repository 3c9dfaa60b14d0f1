/// Why a module grid did not decode.
public enum SymbolDecodeFailure: Error, Equatable, Sendable {
    /// Neither copy of the format information is within 3 bits of a valid codeword.
    case formatUnreadable
    /// The version information names another size than the grid that was sampled.
    case dimensionMismatch(version: Int)
    /// Reed–Solomon could not correct a block that can repair `capacity` wrong codewords;
    /// `doubtful` of its codewords were read with low confidence.
    case uncorrectable(block: Int, capacity: Int, doubtful: Int)
    /// The corrected data is not a valid bit stream.
    case invalidData(BitstreamError)
}

/// What the symbol decoder found in one module grid.
struct SymbolDecodeResult {
    var content: DecodedContent
    var version: QRVersion
    var level: ErrorCorrectionLevel
    var mask: Int
    var errorsCorrected: [Int]
    var erasuresUsed: [Int]
}

/// Module grid → format and version information → codewords → Reed–Solomon → bit stream.
enum SymbolDecoder {
    /// Adds the time spent in Reed–Solomon and in the bit stream to `timings`.
    static func decode(_ matrix: BitMatrix, reliability: [UInt8]?, timings: inout StageTimings) throws(SymbolDecodeFailure) -> SymbolDecodeResult {
        let clock = ContinuousClock()
        let n = matrix.width
        guard let version = QRVersion.forDimension(n) else { throw .formatUnreadable }
        let (format, isModel1) = try readFormat(matrix)
        let codewords: [UInt8], order: [Int32]
        let split: ([UInt8]) -> [(data: Int, codewords: [UInt8])]
        if isModel1 {
            guard let layout = Model1Layout.shared(dimension: n) else { throw .formatUnreadable }
            codewords = layout.readCodewords(from: matrix, mask: format.mask)
            order = layout.codewordModules
            split = { layout.deinterleave($0, level: format.level) }
        } else {
            if version.number >= 7 {
                let positions = SymbolLayout.versionInformationPositions(dimension: n)
                let a = readBits(matrix, positions.first), b = readBits(matrix, positions.second)
                if let v = VersionInformation.decode(UInt32(a), UInt32(b)), v.version != version.number {
                    throw .dimensionMismatch(version: v.version)
                }
            }
            let layout = SymbolLayout.shared(version)
            codewords = layout.readCodewords(from: matrix, mask: format.mask)
            order = layout.dataModules
            split = { CodewordBlocks.deinterleave($0, version: version, level: format.level) }
        }
        var codewordReliability = [UInt8](repeating: 255, count: codewords.count)
        if let reliability {
            for i in 0..<codewords.count {
                var r: UInt8 = 255
                for b in 0..<8 {
                    let k = i * 8 + b
                    if k < order.count { r = min(r, reliability[Int(order[k])]) }
                }
                codewordReliability[i] = r
            }
        }
        let blocks = split(codewords)
        let blockReliability = split(codewordReliability)
        guard !blocks.isEmpty else { throw .formatUnreadable }
        var data: [UInt8] = []
        var errors: [Int] = [], erasures: [Int] = []
        let correctionStart = clock.now
        for (index, block) in blocks.enumerated() {
            var words = block.codewords
            let ec = words.count - block.data
            guard let c = correct(&words, ec: ec, reliability: blockReliability[index].codewords) else {
                let doubtful = blockReliability[index].codewords.filter { $0 < 64 }.count
                timings.reedSolomon += clock.now - correctionStart
                throw .uncorrectable(block: index, capacity: ec / 2, doubtful: doubtful)
            }
            errors.append(c.errors)
            erasures.append(c.erasures)
            data.append(contentsOf: words[0..<block.data])
        }
        timings.reedSolomon += clock.now - correctionStart
        let parseStart = clock.now
        defer { timings.bitstream += clock.now - parseStart }
        do {
            var content: DecodedContent
            if isModel1 {
                // Model 1 streams open with four zero bits before the first mode indicator.
                let shifted = data.indices.map { i in data[i] << 4 | (i + 1 < data.count ? data[i + 1] >> 4 : 0) }
                content = try BitstreamDecoder.decode(shifted, version: version.number)
                content.symbologyIdentifier = "]Q0"
            } else {
                content = try BitstreamDecoder.decode(data, version: version.number)
            }
            return SymbolDecodeResult(content: content, version: version, level: format.level, mask: format.mask,
                                      errorsCorrected: errors, erasuresUsed: erasures)
        } catch {
            throw .invalidData(error)
        }
    }

    /// Errors only first; then the least reliable codewords as erasures, 2, 4, 6 … at a time.
    /// Two check symbols always stay spare, so a corrected block is still verified by parity.
    static func correct(_ words: inout [UInt8], ec: Int, reliability: [UInt8]) -> ReedSolomonCorrection? {
        // Every attempt below corrects the same received block: its syndromes are computed once.
        guard let syndromes = ReedSolomonDecoder.Syndromes(of: words, errorCorrectionCodewords: ec) else { return nil }
        if let s = try? ReedSolomonDecoder.solve(syndromes) {
            s.apply(to: &words)
            return s.correction
        }
        let order = reliability.indices.sorted { reliability[$0] < reliability[$1] }
        var f = 2
        while f <= ec - 2 {
            // Erase only codewords that are actually doubtful.
            guard reliability[order[f - 1]] < 160 else { break }
            if let s = try? ReedSolomonDecoder.solve(syndromes, erasures: Array(order[0..<f]), spare: 2),
               2 * s.correction.errors + s.correction.erasures <= ec - 2 {
                s.apply(to: &words)
                return s.correction
            }
            f += 2
        }
        return nil
    }

    /// The format information and whether it is masked as a Model 1 symbol's (the nearer of
    /// the two readings wins; Model 2 on a tie).
    static func readFormat(_ m: BitMatrix) throws(SymbolDecodeFailure) -> (FormatInformation, isModel1: Bool) {
        let (model2, model1) = formatReadings(m)
        if let model1, model1.distance < (model2?.distance ?? 4) { return (model1.0, true) }
        guard let (format, _) = model2 else { throw .formatUnreadable }
        return (format, false)
    }

    /// Bits between the nearer copy of the format information and the nearest valid format
    /// codeword, Model 2 or Model 1 masking (4 when none is within 3).
    static func formatDistance(_ m: BitMatrix) -> Int {
        let (model2, model1) = formatReadings(m)
        return min(model2?.distance ?? 4, model1?.distance ?? 4)
    }

    /// The format information of both copies read as Model 2 and, for sizes Model 1 has
    /// (up to 73 modules), with Model 1's mask: each the nearest codeword within 3 bits.
    private static func formatReadings(_ m: BitMatrix)
        -> (model2: (FormatInformation, distance: Int)?, model1: (FormatInformation, distance: Int)?) {
        let positions = SymbolLayout.formatInformationPositions(dimension: m.width)
        let a = UInt16(readBits(m, positions.first)), b = UInt16(readBits(m, positions.second))
        let swap: UInt16 = 0x5412 ^ Model1Layout.formatMask
        return (FormatInformation.decode(a, b), m.width <= 73 ? FormatInformation.decode(a ^ swap, b ^ swap) : nil)
    }

    /// Bits read most significant first.
    static func readBits(_ m: BitMatrix, _ positions: [(x: Int, y: Int)]) -> Int {
        var v = 0
        for p in positions { v = (v << 1) | (m[p.x, p.y] ? 1 : 0) }
        return v
    }
}
