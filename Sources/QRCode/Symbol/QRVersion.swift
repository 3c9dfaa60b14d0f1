/// A QR Model 2 symbol version (1…40): its size and how its codewords are organised.
public struct QRVersion: Sendable, Equatable, Hashable {
    /// The version number, 1…40.
    public let number: Int

    /// Fails unless `number` is in 1…40.
    public init?(_ number: Int) {
        guard (1...40).contains(number) else { return nil }
        self.number = number
    }

    /// All forty versions, smallest first.
    public static let all: [QRVersion] = (1...40).compactMap { QRVersion($0) }

    /// Modules per side: 17 + 4·number.
    @inlinable
    public var dimension: Int { 17 + 4 * number }

    /// The version whose symbol is `d` modules wide, if `d` is a valid QR size.
    public static func forDimension(_ d: Int) -> QRVersion? {
        guard d >= 21, (d - 17) % 4 == 0 else { return nil }
        return QRVersion((d - 17) / 4)
    }

    /// Row/column coordinates of the alignment pattern centres (ISO/IEC 18004 Annex E).
    /// Patterns sit at every pair of these except the three overlapping finder patterns.
    /// Empty for version 1.
    public var alignmentPatternCenters: [Int] {
        guard number >= 2 else { return [] }
        let count = number / 7 + 2
        let last = dimension - 7
        // The centres after the first are evenly spaced by an even step, counted back from
        // the last; the standard rounds the step up to even, except version 32 (26, not 28).
        let step = number == 32 ? 26 : ((number * 4 + count * 2 + 1) / (count * 2 - 2)) * 2
        var centers = [6]
        for k in stride(from: count - 2, through: 0, by: -1) {
            centers.append(last - k * step)
        }
        return centers
    }

    /// Modules available for codewords (everything except function patterns and the
    /// format/version areas): the data and error-correction bits plus the remainder bits.
    public var dataModuleCount: Int {
        let v = number
        var modules = (16 * v + 128) * v + 64
        if v >= 2 {
            let a = v / 7 + 2
            // Alignment patterns (25 modules each), minus their overlap with the timing lines.
            modules -= (25 * a - 10) * a - 55
            // Two 6×3 version-information blocks.
            if v >= 7 { modules -= 36 }
        }
        return modules
    }

    /// Total number of codewords (data + error correction) in the symbol.
    @inlinable
    public var totalCodewords: Int { dataModuleCount / 8 }

    /// Modules left over after the last codeword (0, 3, 4 or 7); they are filled with 0 bits.
    @inlinable
    public var remainderBits: Int { dataModuleCount % 8 }

    /// How the codewords divide into Reed–Solomon blocks at `level` (ISO/IEC 18004 table 9).
    public func blocks(_ level: ErrorCorrectionLevel) -> ErrorCorrectionBlocks {
        let ec = ErrorCorrectionTable.ecCodewordsPerBlock[level.ordinal][number - 1]
        let blockCount = ErrorCorrectionTable.blockCount[level.ordinal][number - 1]
        let data = totalCodewords - ec * blockCount
        // Blocks differ by at most one data codeword; the shorter ones come first.
        let short = data / blockCount
        let longCount = data % blockCount
        let perBlock = [Int](repeating: short, count: blockCount - longCount)
            + [Int](repeating: short + 1, count: longCount)
        return ErrorCorrectionBlocks(ecCodewordsPerBlock: ec, dataCodewordsPerBlock: perBlock)
    }

    /// Number of data codewords (all blocks together) at `level`.
    public func dataCodewordCount(_ level: ErrorCorrectionLevel) -> Int {
        let ec = ErrorCorrectionTable.ecCodewordsPerBlock[level.ordinal][number - 1]
        let blockCount = ErrorCorrectionTable.blockCount[level.ordinal][number - 1]
        return totalCodewords - ec * blockCount
    }
}

/// The Reed–Solomon block structure of one version at one error-correction level.
public struct ErrorCorrectionBlocks: Sendable, Equatable {
    /// Error-correction codewords in every block (the same for all blocks).
    public let ecCodewordsPerBlock: Int
    /// Data codewords of each block, in block order (shorter blocks first).
    public let dataCodewordsPerBlock: [Int]

    /// A block structure; `dataCodewordsPerBlock` lists the blocks in order.
    public init(ecCodewordsPerBlock: Int, dataCodewordsPerBlock: [Int]) {
        self.ecCodewordsPerBlock = ecCodewordsPerBlock
        self.dataCodewordsPerBlock = dataCodewordsPerBlock
    }

    /// Number of blocks.
    public var count: Int { dataCodewordsPerBlock.count }

    /// Data codewords over all blocks.
    public var totalDataCodewords: Int { dataCodewordsPerBlock.reduce(0, +) }

    /// Data plus error-correction codewords over all blocks.
    public var totalCodewords: Int { totalDataCodewords + ecCodewordsPerBlock * count }
}

/// ISO/IEC 18004 table 9, reduced to the two numbers per version and level from which the
/// rest follows: the error-correction codewords per block and the number of blocks. The
/// data codewords are what the symbol's capacity leaves, split as evenly as possible.
@usableFromInline
enum ErrorCorrectionTable {
    /// [level L, M, Q, H][version − 1]
    static let ecCodewordsPerBlock: [[Int]] = [
        [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// [level L, M, Q, H][version − 1]
    static let blockCount: [[Int]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}
