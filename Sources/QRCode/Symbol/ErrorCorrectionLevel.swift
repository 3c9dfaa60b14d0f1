/// The four error-correction levels of a QR symbol, from the least to the most redundant.
///
/// Roughly, a symbol survives damage to 7 % (L), 15 % (M), 25 % (Q) or 30 % (H) of its
/// codewords.
public enum ErrorCorrectionLevel: String, CaseIterable, Sendable {
    case L, M, Q, H

    /// The two bits that identify the level inside the format information
    /// (ISO/IEC 18004 table 12): L = 01, M = 00, Q = 11, H = 10.
    @inlinable
    public var formatBits: Int {
        switch self {
        case .L: 0b01
        case .M: 0b00
        case .Q: 0b11
        case .H: 0b10
        }
    }

    /// The level that the two format-information bits name; every 2-bit value names one.
    @inlinable
    public init(formatBits: Int) {
        switch formatBits & 0b11 {
        case 0b01: self = .L
        case 0b00: self = .M
        case 0b11: self = .Q
        default: self = .H
        }
    }

    /// Position in `allCases` (L = 0 … H = 3), used to index per-level tables.
    @usableFromInline
    var ordinal: Int {
        switch self {
        case .L: 0
        case .M: 1
        case .Q: 2
        case .H: 3
        }
    }
}
