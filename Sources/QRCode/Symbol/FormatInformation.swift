/// The 15-bit format information of a symbol: error-correction level and data mask,
/// protected by a BCH(15,5) code and XOR-ed with 0x5412 so that it is never all zero.
public struct FormatInformation: Sendable, Equatable, Hashable {
    /// Error-correction level of the symbol.
    public let level: ErrorCorrectionLevel
    /// Data mask pattern, 0…7.
    public let mask: Int

    /// `mask` must be in 0…7.
    public init(level: ErrorCorrectionLevel, mask: Int) {
        precondition((0...7).contains(mask), "FormatInformation: mask \(mask) is not in 0…7")
        self.level = level
        self.mask = mask
    }

    /// The 5 data bits: level bits (2) then mask (3).
    @inlinable
    public var dataBits: Int { level.formatBits << 3 | mask }

    /// The 15 bits as placed in the symbol, bit 14 first (BCH(15,5), 0x5412 applied).
    public var bits: UInt16 {
        UInt16(BCHCode.encode(dataBits, dataBitCount: 5, generator: 0x537) ^ 0x5412)
    }

    /// All 32 valid format words, indexed by their 5 data bits.
    static let table: [(info: FormatInformation, bits: UInt16)] = (0..<32).map { d in
        let info = FormatInformation(level: ErrorCorrectionLevel(formatBits: d >> 3), mask: d & 7)
        return (info, info.bits)
    }

    /// The valid format information nearest to either copy read from a symbol, if one lies
    /// within Hamming distance 3 (the code corrects up to 3 bit errors).
    ///
    /// - Parameters:
    ///   - first: the 15 bits read around the top-left finder pattern (bit 14 first).
    ///   - second: the copy split between the top-right and bottom-left finders, if read.
    /// - Returns: the format information and the distance of the better copy to it.
    public static func decode(_ first: UInt16, _ second: UInt16?) -> (FormatInformation, distance: Int)? {
        var best: (FormatInformation, distance: Int)?
        for entry in table {
            var d = (first ^ entry.bits).nonzeroBitCount
            if let second { d = min(d, (second ^ entry.bits).nonzeroBitCount) }
            if d < (best?.distance ?? 4) { best = (entry.info, d) }
        }
        return best
    }
}

/// The 18-bit version information of versions 7…40: the 6-bit version number protected by
/// an extended BCH (Golay) (18,6) code. Not masked.
public enum VersionInformation {
    /// The 18 bits for `version` (7…40 are meaningful; smaller versions carry no version
    /// information but still get a codeword).
    public static func bits(for version: Int) -> UInt32 {
        UInt32(BCHCode.encode(version & 0x3F, dataBitCount: 6, generator: 0x1F25))
    }

    static let table: [UInt32] = (7...40).map { bits(for: $0) }

    /// The version whose information is nearest to either copy, if within Hamming
    /// distance 3.
    ///
    /// - Parameters:
    ///   - first: 18 bits read from one version block (bit 17 first).
    ///   - second: the other block's 18 bits, if read.
    /// - Returns: the version (7…40) and the distance of the better copy to it.
    public static func decode(_ first: UInt32, _ second: UInt32?) -> (version: Int, distance: Int)? {
        var best: (version: Int, distance: Int)?
        for (offset, word) in table.enumerated() {
            var d = (first ^ word).nonzeroBitCount
            if let second { d = min(d, (second ^ word).nonzeroBitCount) }
            if d < (best?.distance ?? 4) { best = (offset + 7, d) }
        }
        return best
    }
}

/// Systematic BCH encoding shared by the format and version information.
enum BCHCode {
    /// `data` followed by the remainder of data·x^k divided by `generator` (degree k).
    static func encode(_ data: Int, dataBitCount: Int, generator: Int) -> Int {
        let degree = Int.bitWidth - 1 - generator.leadingZeroBitCount
        var remainder = data << degree
        for bit in stride(from: dataBitCount + degree - 1, through: degree, by: -1)
        where remainder >> bit & 1 == 1 {
            remainder ^= generator << (bit - degree)
        }
        return data << degree | remainder
    }
}
