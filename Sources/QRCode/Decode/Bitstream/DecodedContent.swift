/// The mode of one segment of a QR data bit stream (ISO/IEC 18004:2015 §7.4).
public enum SegmentMode: String, Sendable {
    case numeric, alphanumeric, byte, kanji, hanzi, eci, fnc1First, fnc1Second, structuredAppend
}

/// One segment as decoded from the bit stream.
public struct Segment: Sendable, Equatable {
    public var mode: SegmentMode
    /// The segment's data bytes: ASCII for numeric and alphanumeric (after FNC1 `%`
    /// processing), the bytes as transmitted for byte mode, Shift_JIS for Kanji, GB2312 for
    /// Hanzi; empty for ECI, FNC1 and structured append headers.
    public var bytes: [UInt8]
    public var text: String
    /// The character count from the segment header (bytes for byte mode, characters otherwise).
    public var characterCount: Int
    /// The ECI assignment in force for this segment (for an ECI segment: the new one), nil
    /// when no ECI has appeared yet.
    public var eci: Int?

    public init(mode: SegmentMode, bytes: [UInt8], text: String, characterCount: Int, eci: Int?) {
        self.mode = mode
        self.bytes = bytes
        self.text = text
        self.characterCount = characterCount
        self.eci = eci
    }
}

/// The structured append header: this symbol is part `index` of `total`.
public struct StructuredAppendInfo: Sendable, Equatable {
    /// 0-based position of this symbol in the sequence.
    public var index: Int
    /// Number of symbols in the sequence (1…16).
    public var total: Int
    /// XOR of all bytes of the whole message, the same in every symbol of the sequence.
    public var parity: UInt8

    public init(index: Int, total: Int, parity: UInt8) {
        self.index = index
        self.total = total
        self.parity = parity
    }
}

/// FNC1 mode: the data follows GS1 (first position) or an AIM application (second position).
public enum FNC1: Sendable, Equatable {
    case first
    /// The application indicator: two digits ("00"…"99") or one letter.
    case second(applicationIndicator: String)
}

/// A decoded QR data bit stream.
public struct DecodedContent: Sendable, Equatable {
    /// The message text: the segments' texts concatenated. With FNC1, GS (U+001D) separates
    /// fields; the application indicator of FNC1 second position is not part of it.
    public var text: String
    /// All segments' bytes concatenated.
    public var bytes: [UInt8]
    public var segments: [Segment]
    /// The ECI designators in the order they appear.
    public var ecis: [Int]
    public var fnc1: FNC1?
    public var structuredAppend: StructuredAppendInfo?
    /// The AIM symbology identifier: "]Q1" plain, "]Q2" with ECI, "]Q3" FNC1 first,
    /// "]Q4" FNC1 first with ECI, "]Q5" FNC1 second, "]Q6" FNC1 second with ECI.
    public var symbologyIdentifier: String

    public init(
        text: String, bytes: [UInt8], segments: [Segment], ecis: [Int], fnc1: FNC1?,
        structuredAppend: StructuredAppendInfo?
    ) {
        self.text = text
        self.bytes = bytes
        self.segments = segments
        self.ecis = ecis
        self.fnc1 = fnc1
        self.structuredAppend = structuredAppend
        symbologyIdentifier = Self.symbologyIdentifier(fnc1: fnc1, hasECI: !ecis.isEmpty)
    }

    static func symbologyIdentifier(fnc1: FNC1?, hasECI: Bool) -> String {
        let base = switch fnc1 {
        case nil: 1
        case .first: 3
        case .second: 5
        }
        return "]Q\(base + (hasECI ? 1 : 0))"
    }
}
