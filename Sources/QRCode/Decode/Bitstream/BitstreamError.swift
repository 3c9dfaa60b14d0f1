/// Why a data bit stream (or a structured append sequence) could not be decoded.
public enum BitstreamError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidVersion(Int)
    /// A segment header or its data runs past the end of the data codewords.
    case truncatedSegment(mode: SegmentMode, neededBits: Int, availableBits: Int)
    case unknownMode(Int)
    /// A numeric group of `digits` digits holds a value above 999, 99 or 9.
    case invalidNumericDigits(value: Int, digits: Int)
    /// An alphanumeric pair above 44·45+44 or a single character above 44.
    case invalidAlphanumeric(value: Int)
    /// An ECI designator whose first byte starts with 111.
    case invalidECIDesignator(firstByte: Int)
    case unsupportedECI(Int)
    /// A 13-bit Kanji value that is no Shift_JIS character.
    case invalidKanji(value: Int)
    /// A 13-bit Hanzi value that is no GB2312 character.
    case invalidHanzi(value: Int)
    case unsupportedHanziSubset(Int)
    case invalidApplicationIndicator(Int)
    /// A structured append header after data; it must come first.
    case misplacedStructuredAppend
    /// An FNC1 mode indicator after data; it must precede all data segments.
    case misplacedFNC1
    /// Byte-mode data that is not valid in the encoding the ECI in force selects.
    case invalidText(encoding: String, eci: Int)
    // Structured append joining.
    case noParts
    case notStructuredAppend(partPosition: Int)
    case inconsistentStructuredAppend
    case duplicatePart(index: Int)
    case missingParts([Int])
    case parityMismatch(expected: UInt8, actual: UInt8)

    public var description: String {
        switch self {
        case .invalidVersion(let version):
            "QR version \(version) is outside 1…40"
        case .truncatedSegment(let mode, let needed, let available):
            "\(mode.rawValue) segment needs \(needed) bits but only \(available) remain: the data is truncated or corrupt"
        case .unknownMode(let mode):
            "unknown mode indicator \(String(mode, radix: 2)): the data is corrupt or uses an unsupported mode"
        case .invalidNumericDigits(let value, let digits):
            "numeric group \(value) does not fit \(digits) digit\(digits == 1 ? "" : "s"): the data is corrupt"
        case .invalidAlphanumeric(let value):
            "alphanumeric value \(value) is outside the 45-character table: the data is corrupt"
        case .invalidECIDesignator(let firstByte):
            "ECI designator starting with byte \(firstByte) is malformed: the data is corrupt"
        case .unsupportedECI(let eci):
            "ECI \(eci) is not a supported character set"
        case .invalidKanji(let value):
            "Kanji value \(value) is not a Shift_JIS character: the data is corrupt"
        case .invalidHanzi(let value):
            "Hanzi value \(value) is not a GB2312 character: the data is corrupt"
        case .unsupportedHanziSubset(let subset):
            "Hanzi subset \(subset) is not supported (only 1, GB2312)"
        case .invalidApplicationIndicator(let value):
            "FNC1 application indicator \(value) is neither 0…99 nor a letter (165…190, 197…222)"
        case .misplacedStructuredAppend:
            "a structured append header follows data (or repeats); it must come before all data: the data is corrupt"
        case .misplacedFNC1:
            "an FNC1 mode indicator follows data; it must come before all data: the data is corrupt"
        case .invalidText(let encoding, let eci):
            "byte data is not valid \(encoding) as ECI \(eci) declares"
        case .noParts:
            "no symbols to join"
        case .notStructuredAppend(let position):
            "symbol \(position + 1) of those given has no structured append header"
        case .inconsistentStructuredAppend:
            "the symbols disagree on the number of parts or the parity: they belong to different messages"
        case .duplicatePart(let index):
            "part \(index + 1) was given more than once"
        case .missingParts(let indices):
            "parts \(indices.map { String($0 + 1) }.joined(separator: ", ")) are missing: scan them too"
        case .parityMismatch(let expected, let actual):
            "structured append parity is \(actual) but the header says \(expected): a part is wrong or missing"
        }
    }
}
