/// One segment of a QR data bit stream, given explicitly: its mode and content.
///
/// The encoder's segmentation produces these; tests and fixtures can also pass them to
/// `QREncoder.encode(segments:version:options:)` to control the bit stream exactly.
public enum SegmentSpec: Sendable, Equatable, Hashable {
    /// Decimal digits `0`…`9`, 10 bits per three.
    case numeric(String)
    /// Characters of the 45-character set `0-9 A-Z space $ % * + - . / :`, 11 bits per two,
    /// written as given (with GS1, write GS as `%` and `%` as `%%` yourself).
    case alphanumeric(String)
    /// Arbitrary bytes, 8 bits each; their meaning follows the ECI in force.
    case byte([UInt8])
    /// Shift_JIS double-byte codes (two bytes per character, 0x8140…0x9FFC or
    /// 0xE040…0xEBBF), 13 bits per character.
    case kanji([UInt8])
    /// An ECI designator (0…999 999) that changes how the following byte segments are read.
    case eci(Int)
    /// The FNC1 first-position indicator: the data follows the GS1 application identifiers.
    case fnc1First

    /// The mode this segment is written in.
    public var mode: SegmentMode {
        switch self {
        case .numeric: .numeric
        case .alphanumeric: .alphanumeric
        case .byte: .byte
        case .kanji: .kanji
        case .eci: .eci
        case .fnc1First: .fnc1First
        }
    }

    /// The 4-bit mode indicator (ISO/IEC 18004 table 2).
    var modeIndicator: Int {
        switch self {
        case .numeric: 0b0001
        case .alphanumeric: 0b0010
        case .byte: 0b0100
        case .kanji: 0b1000
        case .eci: 0b0111
        case .fnc1First: 0b0101
        }
    }

    /// The number the character count indicator holds: digits, characters, bytes or kanji.
    var characterCount: Int {
        switch self {
        case .numeric(let s), .alphanumeric(let s): s.utf8.count
        case .byte(let b): b.count
        case .kanji(let b): b.count / 2
        case .eci, .fnc1First: 0
        }
    }

    /// Total bits of the segment (mode indicator, count, data) in a symbol of `version`.
    func bitCount(version: Int) -> Int {
        let n = characterCount
        let payload = switch self {
        case .numeric: 10 * (n / 3) + [0, 4, 7][n % 3]
        case .alphanumeric: 11 * (n / 2) + 6 * (n % 2)
        case .byte: 8 * n
        case .kanji: 13 * n
        case .eci(let value): value < 128 ? 8 : value < 16384 ? 16 : 24
        case .fnc1First: 0
        }
        return 4 + mode.characterCountBits(version: version) + payload
    }
}

/// A segment as placed in a symbol, with its size there.
public struct EncodedSegment: Sendable, Equatable {
    /// Mode and content of the segment.
    public let content: SegmentSpec
    /// The segment's mode.
    public var mode: SegmentMode { content.mode }
    /// The value of its character count indicator (0 for ECI and FNC1).
    public let characterCount: Int
    /// Bits it occupies, headers included.
    public let bitCount: Int
}

/// The three version ranges that share character count widths (ISO/IEC 18004 table 3).
enum VersionClass {
    /// Versions 1–9, 10–26 and 27–40.
    static let ranges: [ClosedRange<Int>] = [1...9, 10...26, 27...40]
}

/// The alphanumeric mode's 45 characters: the value of ASCII byte `b` is
/// `alphanumericValue[b]`, or −1 when `b` is not one of them.
let alphanumericValue: [Int8] = {
    var table = [Int8](repeating: -1, count: 256)
    for (value, byte) in SegmentMode.alphanumericCharacters.enumerated() { table[Int(byte)] = Int8(value) }
    return table
}()
