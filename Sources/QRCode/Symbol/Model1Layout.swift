/// QR Code Model 1 (ISO/IEC 18004:2000 Annex M), the original symbology still found on older
/// prints: versions 1–14 with Model 2's sizes, finders, timing and format positions, but no
/// alignment patterns, a different codeword placement (2×4 and 4×2 blocks instead of the
/// zig-zag), its own block table and the format bits masked with 0x2825.
public struct Model1Layout: Sendable {
    public let version: Int
    public let dimension: Int
    /// Flat indices (y·dimension + x) of each codeword's eight modules, most significant bit
    /// first, codewords in stored (interleaved) order.
    public let codewordModules: [Int32]

    /// The XOR mask of Model 1 format information (Model 2 uses 0x5412).
    public static let formatMask: UInt16 = 0x2825

    /// The layout for a Model 1 symbol of `dimension` modules, nil when no Model 1 version
    /// has that size (21…73).
    public init?(dimension: Int) {
        guard dimension >= 21, dimension <= 73, (dimension - 17) % 4 == 0 else { return nil }
        self.dimension = dimension
        version = (dimension - 17) / 4
        let d = dimension
        var order: [Int32] = []
        // A codeword is a block `width` modules wide and 8/width tall whose most significant bit
        // sits at its bottom-right module (x, y), filled right to left, bottom to top.
        func block(x: Int, y: Int, width: Int) {
            for b in 0..<8 { order.append(Int32((y - b / width) * d + x - b % width)) }
        }
        // Columns of codewords from the right edge to the left edge: two columns of upright
        // 2×4 blocks on the right, 4×2 blocks across the middle, upright blocks again beside
        // the left finders. Gaps are the extension patterns, finders and timing pattern.
        let columns = d / 4 + 3
        for j in 0..<columns {
            if j <= 1 {
                let rows = (d - 8) / 4
                for i in 0..<rows where !(j == 0 && i % 2 == 0 && i > 0 && i < rows - 1) {
                    block(x: d - 1 - 2 * j, y: d - 1 - 4 * i, width: 2)
                }
            } else if columns - j <= 4 {
                let rows = (d - 16) / 4
                // The column left of the vertical timing pattern steps over it.
                let x = (columns - j - 1) * 2 + 1 + (columns - j == 4 ? 1 : 0)
                for i in 0..<rows { block(x: x, y: d - 9 - 4 * i, width: 2) }
            } else {
                let rows = d / 2
                for i in 0..<rows {
                    if j == 2 && i >= rows - 4 { continue }
                    if i == 0 && j % 2 == 1 && j + 1 != columns - 4 { continue }
                    // Rows above the horizontal timing pattern step over it.
                    block(x: d - 5 - (j - 2) * 4, y: d - 1 - 2 * i - (i >= rows - 3 ? 1 : 0), width: 4)
                }
            }
        }
        codewordModules = order
    }

    /// The layout for `dimension`, built once per process: the decoder asks for one on every
    /// grid whose format reads as Model 1, and building it walks the whole symbol.
    static func shared(dimension: Int) -> Model1Layout? {
        guard dimension >= 21, dimension <= 73, (dimension - 17) % 4 == 0 else { return nil }
        return built.value(at: (dimension - 17) / 4 - 1) { Model1Layout(dimension: dimension) }
    }

    private static let built = LazyTable<Model1Layout?>(count: 14)

    /// Codewords and blocks of this version at `level`.
    public func blocks(_ level: ErrorCorrectionLevel) -> ErrorCorrectionBlocks {
        let (ec, count, data) = Self.table[version - 1][level.ordinal]
        return ErrorCorrectionBlocks(ecCodewordsPerBlock: ec, dataCodewordsPerBlock: Array(repeating: data, count: count))
    }

    /// Reads the codewords out of `matrix`, undoing data mask `mask`. The first codeword's upper
    /// four bits are corner modules outside the data stream and read as zero.
    public func readCodewords(from matrix: BitMatrix, mask: Int) -> [UInt8] {
        guard matrix.width == dimension, matrix.height == dimension else { return [] }
        var codewords = SymbolLayout.readCodewords(from: matrix, order: codewordModules, count: codewordModules.count / 8, mask: mask)
        if !codewords.isEmpty { codewords[0] &= 0x0F }
        return codewords
    }

    /// Splits the codewords read into blocks (data then error correction, ready for
    /// Reed–Solomon). Unlike Model 2, Model 1 does not interleave: the data codewords of every
    /// block follow each other, then the error-correction codewords of every block (measured
    /// on a two-block version 5-H print, which reads only this way).
    public func deinterleave(_ codewords: [UInt8], level: ErrorCorrectionLevel) -> [(data: Int, codewords: [UInt8])] {
        let layout = blocks(level)
        guard codewords.count >= layout.totalCodewords else { return [] }
        let ec = layout.ecCodewordsPerBlock
        var dataStart = 0
        var ecStart = layout.totalDataCodewords
        return layout.dataCodewordsPerBlock.map { data in
            defer { dataStart += data; ecStart += ec }
            return (data, Array(codewords[dataStart..<dataStart + data] + codewords[ecStart..<ecStart + ec]))
        }
    }

    /// Error-correction codewords per block, block count and data codewords per block, by
    /// version (1–14) and level (L, M, Q, H): ISO/IEC 18004:2000 Tables M.2 and M.4.
    static let table: [[(Int, Int, Int)]] = [
        [(7, 1, 19), (10, 1, 16), (13, 1, 13), (17, 1, 9)],
        [(10, 1, 36), (16, 1, 30), (22, 1, 24), (30, 1, 16)],
        [(15, 1, 57), (28, 1, 44), (36, 1, 36), (48, 1, 24)],
        [(20, 1, 80), (40, 1, 60), (50, 1, 50), (66, 1, 34)],
        [(26, 1, 108), (52, 1, 82), (66, 1, 68), (44, 2, 23)],
        [(34, 1, 136), (32, 2, 53), (42, 2, 43), (56, 2, 29)],
        [(42, 1, 170), (40, 2, 66), (52, 2, 54), (46, 3, 24)],
        [(24, 2, 104), (48, 2, 80), (64, 2, 64), (56, 3, 29)],
        [(30, 2, 123), (60, 2, 93), (50, 3, 52), (68, 3, 34)],
        [(34, 2, 145), (68, 2, 111), (58, 3, 61), (58, 4, 31)],
        [(40, 2, 168), (40, 4, 64), (52, 4, 52), (54, 5, 29)],
        [(46, 2, 192), (46, 4, 73), (58, 4, 61), (62, 5, 33)],
        [(36, 3, 144), (52, 4, 83), (66, 4, 69), (58, 6, 32)],
        [(40, 3, 163), (60, 4, 92), (60, 5, 62), (66, 6, 35)],
    ]
}
