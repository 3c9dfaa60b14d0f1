/// Where everything sits in a symbol of one version: the function patterns, the format and
/// version areas, and the order in which codeword bits fill the remaining modules.
///
/// Shared by the encoder (placing codewords) and the decoder (reading them back).
public struct SymbolLayout: Sendable {
    /// The version this layout describes.
    public let version: QRVersion
    /// Modules per side.
    public let dimension: Int
    /// `true` for function modules, flat index y·dimension + x.
    @usableFromInline let functionModules: [Bool]
    /// Flat indices (y·dimension + x) of all non-function modules in codeword bit order:
    /// the two-column zig-zag that starts at the bottom-right corner, skipping the
    /// vertical timing column. Length = totalCodewords·8 + remainderBits.
    public let dataModules: [Int32]

    /// Works out the function modules and the codeword placement order of `version`.
    public init(version: QRVersion) {
        self.version = version
        let dim = version.dimension
        dimension = dim
        var function = [Bool](repeating: false, count: dim * dim)
        func mark(_ x0: Int, _ y0: Int, width: Int, height: Int) {
            for y in max(0, y0)..<min(dim, y0 + height) {
                for x in max(0, x0)..<min(dim, x0 + width) { function[y * dim + x] = true }
            }
        }
        // Finder patterns with their separators, and the format areas beside them (which
        // also cover the dark module at (8, dim − 8)).
        mark(0, 0, width: 9, height: 9)
        mark(dim - 8, 0, width: 8, height: 9)
        mark(0, dim - 8, width: 9, height: 8)
        // Timing patterns.
        mark(0, 6, width: dim, height: 1)
        mark(6, 0, width: 1, height: dim)
        for (cx, cy) in SymbolLayout.alignmentCenters(version) {
            mark(cx - 2, cy - 2, width: 5, height: 5)
        }
        if version.number >= 7 {
            mark(dim - 11, 0, width: 3, height: 6)
            mark(0, dim - 11, width: 6, height: 3)
        }
        functionModules = function

        var order = [Int32]()
        order.reserveCapacity(version.dataModuleCount)
        // Walk the column pairs from the right; the pair index decides the direction.
        var pair = 0
        var right = dim - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = pair % 2 == 0
            for step in 0..<dim {
                let y = upward ? dim - 1 - step : step
                for x in stride(from: right, through: right - 1, by: -1) where !function[y * dim + x] {
                    order.append(Int32(y * dim + x))
                }
            }
            pair += 1
            right -= 2
        }
        dataModules = order
    }

    /// The layout of `version`, shared: the decoder needs one on every attempt, and building
    /// it walks the whole symbol. Each version is built the first time it is asked for (all
    /// forty at once cost 4–5 ms, a third of reading a single photo) and kept for the process.
    static func shared(_ version: QRVersion) -> SymbolLayout {
        built.value(at: version.number - 1) { SymbolLayout(version: version) }
    }

    private static let built = LazyTable<SymbolLayout>(count: 40)

    /// Centres of the alignment patterns actually present: every pair of the version's
    /// coordinates except the three that would overlap a finder pattern.
    static func alignmentCenters(_ version: QRVersion) -> [(x: Int, y: Int)] {
        let centers = version.alignmentPatternCenters
        guard let first = centers.first, let last = centers.last else { return [] }
        var result = [(x: Int, y: Int)]()
        for cy in centers {
            for cx in centers {
                let overlapsFinder = (cx == first && cy == first) || (cx == first && cy == last)
                    || (cx == last && cy == first)
                if !overlapsFinder { result.append((cx, cy)) }
            }
        }
        return result
    }

    /// Whether (x, y) belongs to a function pattern (finders and separators, timing,
    /// alignment), the format or version areas, or is the dark module. Off-symbol
    /// coordinates count as function modules.
    @inlinable
    public func isFunctionModule(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < dimension, y < dimension else { return true }
        return functionModules[y &* dimension &+ x]
    }

    /// Draws finder patterns, separators, timing patterns, alignment patterns, the dark
    /// module and (versions ≥ 7) the version information. The format areas are set light:
    /// the format information depends on the mask, so the encoder writes it afterwards.
    /// `m` must be `dimension` × `dimension`.
    public func drawFunctionPatterns(into m: inout BitMatrix) {
        precondition(m.width == dimension && m.height == dimension, "drawFunctionPatterns: matrix size mismatch")
        let dim = dimension
        for y in 0..<dim {
            for x in 0..<dim where functionModules[y * dim + x] { m[x, y] = false }
        }
        for i in 0..<dim {
            // Timing: dark on even coordinates.
            m[i, 6] = i % 2 == 0
            m[6, i] = i % 2 == 0
        }
        for (fx, fy) in [(3, 3), (dim - 4, 3), (3, dim - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = fx + dx, y = fy + dy
                    guard x >= 0, y >= 0, x < dim, y < dim else { continue }
                    // Chebyshev rings: 0…1 dark core, 2 light, 3 dark, 4 light separator.
                    let ring = max(abs(dx), abs(dy))
                    m[x, y] = ring != 2 && ring != 4
                }
            }
        }
        for (cx, cy) in SymbolLayout.alignmentCenters(version) {
            for dy in -2...2 {
                for dx in -2...2 { m[cx + dx, cy + dy] = max(abs(dx), abs(dy)) != 1 }
            }
        }
        m[8, dim - 8] = true
        if version.number >= 7 {
            let bits = VersionInformation.bits(for: version.number)
            let positions = SymbolLayout.versionInformationPositions(dimension: dim)
            for (k, p) in positions.first.enumerated() {
                let dark = bits >> (17 - k) & 1 == 1
                m[p.x, p.y] = dark
                m[positions.second[k].x, positions.second[k].y] = dark
            }
        }
    }

    /// Writes the format information (both copies) into `m`.
    public func drawFormatInformation(_ format: FormatInformation, into m: inout BitMatrix) {
        let bits = format.bits
        let positions = SymbolLayout.formatInformationPositions(dimension: dimension)
        for (k, p) in positions.first.enumerated() {
            let dark = bits >> (14 - k) & 1 == 1
            m[p.x, p.y] = dark
            m[positions.second[k].x, positions.second[k].y] = dark
        }
    }

    /// Module positions of the two copies of the format information, each listed from
    /// bit 14 (most significant) to bit 0, so that element k holds bit 14 − k.
    ///
    /// - `first`: around the top-left finder: row 8 from column 0 to 7 (skipping the timing
    ///   column 6) for bits 14…8, then (8, 8) for bit 7, then column 8 upwards from row 7
    ///   to 0 (skipping the timing row 6) for bits 6…0.
    /// - `second`: column 8 from the bottom row upwards for bits 14…8, then row 8 from
    ///   column dim − 8 to the right edge for bits 7…0.
    public static func formatInformationPositions(dimension: Int) -> (first: [(x: Int, y: Int)], second: [(x: Int, y: Int)]) {
        var first = [(x: Int, y: Int)]()
        for x in [0, 1, 2, 3, 4, 5, 7, 8] { first.append((x, 8)) }
        for y in [7, 5, 4, 3, 2, 1, 0] { first.append((8, y)) }
        var second = [(x: Int, y: Int)]()
        for k in 0..<7 { second.append((8, dimension - 1 - k)) }
        for k in 0..<8 { second.append((dimension - 8 + k, 8)) }
        return (first, second)
    }

    /// Module positions of the two 6×3 version-information blocks (versions ≥ 7), each
    /// listed from bit 17 (most significant) to bit 0, so that element k holds bit 17 − k.
    ///
    /// Bit i sits at column dim − 11 + i mod 3, row ⌊i / 3⌋ in the top-right block
    /// (`first`), and transposed — column ⌊i / 3⌋, row dim − 11 + i mod 3 — in the
    /// bottom-left block (`second`).
    public static func versionInformationPositions(dimension: Int) -> (first: [(x: Int, y: Int)], second: [(x: Int, y: Int)]) {
        var first = [(x: Int, y: Int)]()
        var second = [(x: Int, y: Int)]()
        for i in stride(from: 17, through: 0, by: -1) {
            first.append((dimension - 11 + i % 3, i / 3))
            second.append((i / 3, dimension - 11 + i % 3))
        }
        return (first, second)
    }

    /// Reads the codewords (data and error correction, interleaved as stored) out of
    /// `matrix`, undoing data mask `mask` on the fly. Remainder bits are ignored. A matrix of
    /// the wrong size yields an empty array.
    public func readCodewords(from matrix: BitMatrix, mask: Int) -> [UInt8] {
        guard matrix.width == dimension, matrix.height == dimension else { return [] }
        return Self.readCodewords(from: matrix, order: dataModules, count: version.totalCodewords, mask: mask)
    }

    /// `count` codewords whose bits sit at the flat indices `order` (eight per codeword, most
    /// significant first), with data mask `mask` undone. Shared with the Model 1 placement.
    static func readCodewords(from matrix: BitMatrix, order: [Int32], count: Int, mask: Int) -> [UInt8] {
        var codewords = [UInt8](repeating: 0, count: count)
        // 32-bit: the flat index (< 177²) splits into row and column with one short division.
        let dim = Int32(matrix.width)
        order.withUnsafeBufferPointer { order in
            matrix.storage.withUnsafeBufferPointer { modules in
                codewords.withUnsafeMutableBufferPointer { codewords in
                    for c in 0..<count {
                        var byte: UInt8 = 0
                        for b in 0..<8 {
                            let index = order[c &* 8 &+ b]
                            let (y, x) = index.quotientAndRemainder(dividingBy: dim)
                            let bit = modules[Int(index)] != DataMask.isFlipped(mask, x: Int(x), y: Int(y))
                            byte = byte << 1 | (bit ? 1 : 0)
                        }
                        codewords[c] = byte
                    }
                }
            }
        }
        return codewords
    }

    /// Writes `codewords` (interleaved, as from `CodewordBlocks.interleave`) into the data
    /// modules of `m` with data mask `mask` applied; remainder modules get 0 bits, masked.
    /// Missing codewords are treated as 0.
    public func placeCodewords(_ codewords: [UInt8], mask: Int, into m: inout BitMatrix) {
        let dim = dimension
        for (k, index32) in dataModules.enumerated() {
            let index = Int(index32)
            let x = index % dim, y = index / dim
            let c = k / 8
            let bit = c < codewords.count && codewords[c] >> (7 - k % 8) & 1 == 1
            m[x, y] = bit != DataMask.isFlipped(mask, x: x, y: y)
        }
    }
}
