/// Decodes the data codewords of a QR symbol (after error correction, de-interleaved) into
/// segments and text, per ISO/IEC 18004:2015 §7.4.
///
/// Byte-mode text follows the ECI in force. Without any ECI the standard's default
/// (ISO-8859-1) is often wrong in practice, so one encoding is guessed for all byte
/// segments before the first ECI, from all their bytes together: UTF-8 when they are valid
/// UTF-8; else Shift_JIS when they are valid Shift_JIS and look Japanese (a byte in
/// 0x80…0x9F, which Latin-1 text never has; three or more half-width katakana or
/// double-byte characters in a row; or a Kanji-mode segment in the symbol); else ISO-8859-1
/// (which accepts every byte). Consecutive byte segments are decoded as one byte string,
/// since encoders may split a multi-byte character between them; each character's text
/// goes to the segment holding its first byte.
///
/// The stream ends at the terminator (0000) or when fewer than four bits remain; the pad
/// codewords 0xEC/0x11 after the terminator are not examined.
public enum BitstreamDecoder {
    /// Decodes `dataCodewords` (the data codewords only, error correction removed) of a
    /// symbol of `version` 1…40. Throws when the stream is truncated, malformed or uses an
    /// unsupported mode, ECI or Hanzi subset.
    public static func decode(_ dataCodewords: [UInt8], version: Int) throws(BitstreamError) -> DecodedContent {
        try decode(dataCodewords, version: version, defaultEncoding: nil)
    }

    /// Like `decode(_:version:)`, but byte segments before any ECI are read in
    /// `defaultEncoding` when all of them are valid in it (for symbols known to come from
    /// encoders that write, say, GBK without an ECI); otherwise the usual guess applies.
    public static func decode(
        _ dataCodewords: [UInt8], version: Int, defaultEncoding: TextEncoding?
    ) throws(BitstreamError) -> DecodedContent {
        guard (1...40).contains(version) else { throw .invalidVersion(version) }
        var state = DecodingState(reader: DataBitReader(dataCodewords), version: version, defaultEncoding: defaultEncoding)
        try state.run()
        state.decodeBytesWithoutECI()
        return DecodedContent(
            text: state.segments.map(\.text).joined(), bytes: state.segments.flatMap(\.bytes),
            segments: state.segments, ecis: state.ecis, fnc1: state.fnc1, structuredAppend: state.structuredAppend)
    }
}

extension SegmentMode {
    /// Width of the character-count field for symbols of `version` (1–9, 10–26, 27–40 differ);
    /// 0 for modes without a count (ECI, FNC1, structured append).
    public func characterCountBits(version: Int) -> Int {
        let versionClass = version <= 9 ? 0 : version <= 26 ? 1 : 2
        return switch self {
        case .numeric: [10, 12, 14][versionClass]
        case .alphanumeric: [9, 11, 13][versionClass]
        case .byte: [8, 16, 16][versionClass]
        case .kanji, .hanzi: [8, 10, 12][versionClass]
        case .eci, .fnc1First, .fnc1Second, .structuredAppend: 0
        }
    }
}

extension SegmentMode {
    /// The alphanumeric mode's 45 characters (ASCII) in value order.
    public static let alphanumericCharacters: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
}

private let groupSeparator: UInt8 = 0x1D

private struct DecodingState {
    var reader: DataBitReader
    let version: Int
    let defaultEncoding: TextEncoding?
    var segments: [Segment] = []
    var ecis: [Int] = []
    var eci: Int?
    var fnc1: FNC1?
    var structuredAppend: StructuredAppendInfo?
    /// Byte segments read before any ECI, whose text waits for `decodeBytesWithoutECI`.
    var bytesWithoutECI: [Int] = []

    mutating func run() throws(BitstreamError) {
        while reader.remaining >= 4 {
            let mode = reader.read(4)
            switch mode {
            case 0b0000: return
            case 0b0001: try numeric()
            case 0b0010: try alphanumeric()
            case 0b0100: try byte()
            case 0b1000: try kanji()
            case 0b1101: try hanzi()
            case 0b0111: try readECI()
            case 0b0101: try fnc1First()
            case 0b1001: try fnc1Second()
            case 0b0011: try readStructuredAppend()
            default: throw .unknownMode(mode)
            }
        }
    }

    private func require(_ bits: Int, for mode: SegmentMode) throws(BitstreamError) {
        guard reader.remaining >= bits else {
            throw .truncatedSegment(mode: mode, neededBits: bits, availableBits: reader.remaining)
        }
    }

    private mutating func readCount(_ mode: SegmentMode) throws(BitstreamError) -> Int {
        let bits = mode.characterCountBits(version: version)
        try require(bits, for: mode)
        return reader.read(bits)
    }

    private mutating func append(_ mode: SegmentMode, _ bytes: [UInt8], _ text: String, count: Int) {
        segments.append(Segment(mode: mode, bytes: bytes, text: text, characterCount: count, eci: eci))
    }

    private mutating func marker(_ mode: SegmentMode) {
        append(mode, [], "", count: 0)
    }

    private mutating func numeric() throws(BitstreamError) {
        let count = try readCount(.numeric)
        let remainderBits = [0, 4, 7][count % 3]
        try require(count / 3 * 10 + remainderBits, for: .numeric)
        var digits: [UInt8] = []
        digits.reserveCapacity(count)
        func appendGroup(bits: Int, digitCount: Int, limit: Int) throws(BitstreamError) {
            let value = reader.read(bits)
            guard value < limit else { throw .invalidNumericDigits(value: value, digits: digitCount) }
            var divisor = limit / 10
            while divisor > 0 {
                digits.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        for _ in 0 ..< count / 3 { try appendGroup(bits: 10, digitCount: 3, limit: 1000) }
        if count % 3 == 2 { try appendGroup(bits: 7, digitCount: 2, limit: 100) }
        if count % 3 == 1 { try appendGroup(bits: 4, digitCount: 1, limit: 10) }
        append(.numeric, digits, String(decoding: digits, as: UTF8.self), count: count)
    }

    private mutating func alphanumeric() throws(BitstreamError) {
        let count = try readCount(.alphanumeric)
        try require(count / 2 * 11 + count % 2 * 6, for: .alphanumeric)
        var characters: [UInt8] = []
        characters.reserveCapacity(count)
        for _ in 0 ..< count / 2 {
            let value = reader.read(11)
            guard value < 45 * 45 else { throw .invalidAlphanumeric(value: value) }
            characters.append(SegmentMode.alphanumericCharacters[value / 45])
            characters.append(SegmentMode.alphanumericCharacters[value % 45])
        }
        if count % 2 == 1 {
            let value = reader.read(6)
            guard value < 45 else { throw .invalidAlphanumeric(value: value) }
            characters.append(SegmentMode.alphanumericCharacters[value])
        }
        if fnc1 != nil { characters = Self.applyFNC1Escapes(characters) }
        append(.alphanumeric, characters, String(decoding: characters, as: UTF8.self), count: count)
    }

    /// In FNC1 modes an alphanumeric `%` stands for GS and `%%` for a literal `%`.
    private static func applyFNC1Escapes(_ characters: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(characters.count)
        var index = 0
        while index < characters.count {
            if characters[index] == UInt8(ascii: "%") {
                let doubled = index + 1 < characters.count && characters[index + 1] == UInt8(ascii: "%")
                result.append(doubled ? UInt8(ascii: "%") : groupSeparator)
                index += doubled ? 2 : 1
            } else {
                result.append(characters[index])
                index += 1
            }
        }
        return result
    }

    private mutating func byte() throws(BitstreamError) {
        let count = try readCount(.byte)
        try require(count * 8, for: .byte)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for _ in 0..<count { bytes.append(UInt8(reader.read(8))) }
        guard let eci else {
            bytesWithoutECI.append(segments.count)
            append(.byte, bytes, "", count: count)
            return
        }
        guard let encoding = TextEncoding.forECI(eci) else { throw .unsupportedECI(eci) }
        guard let text = encoding.decode(bytes) else { throw .invalidText(encoding: encoding.name, eci: eci) }
        append(.byte, bytes, text, count: count)
    }

    /// Gives the byte segments without ECI their text, once the whole symbol is read, in one
    /// encoding for all (see `BitstreamDecoder`).
    mutating func decodeBytesWithoutECI() {
        var runs: [[Int]] = []
        for index in bytesWithoutECI {
            if let last = runs.last?.last, last + 1 == index {
                runs[runs.count - 1].append(index)
            } else {
                runs.append([index])
            }
        }
        guard !runs.isEmpty else { return }
        let runBytes = runs.map { run in run.flatMap { segments[$0].bytes } }
        let encoding: TextEncoding
        if let defaultEncoding, runBytes.allSatisfy({ defaultEncoding.decode($0) != nil }) {
            encoding = defaultEncoding
        } else {
            encoding = ByteTextGuess.encoding(
                for: runBytes, hasKanjiSegment: segments.contains { $0.mode == .kanji })
        }
        for (run, bytes) in zip(runs, runBytes) {
            let lengths = run.map { segments[$0].bytes.count }
            // The chosen encoding decodes every run; Latin-1 decodes anything, so the
            // fallbacks only keep this free of force-unwraps.
            let texts = Self.split(bytes, lengths: lengths, encoding: encoding)
                ?? Self.split(bytes, lengths: lengths, encoding: .iso8859(1)) ?? lengths.map { _ in "" }
            for (index, text) in zip(run, texts) { segments[index].text = text }
        }
    }

    /// The texts of consecutive pieces of `bytes` (of `lengths`), decoded as one string: a
    /// character split between pieces goes to the piece holding its first byte. Nil when
    /// `bytes` is not valid in `encoding`.
    private static func split(_ bytes: [UInt8], lengths: [Int], encoding: TextEncoding) -> [String]? {
        var texts: [String] = []
        var start = 0, pieceEnd = 0
        for (position, length) in lengths.enumerated() {
            pieceEnd += length
            var end = position == lengths.count - 1 ? bytes.count : max(pieceEnd, start)
            // A prefix decodes exactly when it ends on a character boundary (each encoding
            // here reads left to right without look-back); characters are at most 4 bytes.
            while end < bytes.count, encoding.decode(Array(bytes[..<end])) == nil { end += 1 }
            guard let text = encoding.decode(Array(bytes[start..<end])) else { return nil }
            texts.append(text)
            start = end
        }
        return texts
    }

    /// Kanji and Hanzi: 13-bit values that compress a double-byte code; `decompress` turns
    /// one back into the code, `lookup` into a character.
    private mutating func doubleByteCharacters(
        _ mode: SegmentMode, count: Int, decompress: (Int) -> Int, lookup: (UInt8, UInt8) -> Unicode.Scalar?,
        invalid: (Int) -> BitstreamError
    ) throws(BitstreamError) {
        try require(count * 13, for: mode)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 2)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<count {
            let value = reader.read(13)
            let code = decompress(value)
            let lead = UInt8(truncatingIfNeeded: code >> 8), trail = UInt8(truncatingIfNeeded: code)
            guard let scalar = lookup(lead, trail) else { throw invalid(value) }
            bytes.append(lead)
            bytes.append(trail)
            scalars.append(scalar)
        }
        append(mode, bytes, String(scalars), count: count)
    }

    private mutating func kanji() throws(BitstreamError) {
        let count = try readCount(.kanji)
        try doubleByteCharacters(
            .kanji, count: count,
            decompress: { value in
                let code = (value / 0xC0) << 8 | value % 0xC0
                return code + (code < 0x1F00 ? 0x8140 : 0xC140)
            },
            lookup: { CodePageTables.shiftJIS.scalar(lead: $0, trail: $1) },
            invalid: { .invalidKanji(value: $0) })
    }

    private mutating func hanzi() throws(BitstreamError) {
        try require(4, for: .hanzi)
        let subset = reader.read(4)
        guard subset == 1 else { throw .unsupportedHanziSubset(subset) }
        let count = try readCount(.hanzi)
        try doubleByteCharacters(
            .hanzi, count: count,
            decompress: { value in
                let code = (value / 0x60) << 8 | value % 0x60
                return code + (code < 0xA00 ? 0xA1A1 : 0xA6A1)
            },
            lookup: { lead, trail in
                guard (0xA1...0xF7).contains(lead), (0xA1...0xFE).contains(trail) else { return nil }
                return CodePageTables.gb18030.scalar(lead: lead, trail: trail)
            },
            invalid: { .invalidHanzi(value: $0) })
    }

    private mutating func readECI() throws(BitstreamError) {
        try require(8, for: .eci)
        let first = reader.read(8)
        let value: Int
        if first & 0x80 == 0 {
            value = first
        } else if first & 0xC0 == 0x80 {
            try require(8, for: .eci)
            value = (first & 0x3F) << 8 | reader.read(8)
        } else if first & 0xE0 == 0xC0 {
            try require(16, for: .eci)
            value = (first & 0x1F) << 16 | reader.read(16)
        } else {
            throw .invalidECIDesignator(firstByte: first)
        }
        guard TextEncoding.forECI(value) != nil else { throw .unsupportedECI(value) }
        eci = value
        ecis.append(value)
        marker(.eci)
    }

    /// Whether a segment carrying characters has been read; FNC1 and structured append
    /// headers must come before any.
    private var hasData: Bool {
        segments.contains { [.numeric, .alphanumeric, .byte, .kanji, .hanzi].contains($0.mode) }
    }

    private mutating func fnc1First() throws(BitstreamError) {
        guard !hasData else { throw .misplacedFNC1 }
        fnc1 = .first
        marker(.fnc1First)
    }

    private mutating func fnc1Second() throws(BitstreamError) {
        guard !hasData else { throw .misplacedFNC1 }
        try require(8, for: .fnc1Second)
        let value = reader.read(8)
        let indicator: String
        switch value {
        case 0...99:
            indicator = value < 10 ? "0\(value)" : "\(value)"
        case 165...190, 197...222:
            indicator = String(Unicode.Scalar(UInt8(value - 100)))
        default:
            throw .invalidApplicationIndicator(value)
        }
        fnc1 = .second(applicationIndicator: indicator)
        marker(.fnc1Second)
    }

    private mutating func readStructuredAppend() throws(BitstreamError) {
        guard !hasData, structuredAppend == nil else { throw .misplacedStructuredAppend }
        try require(16, for: .structuredAppend)
        let index = reader.read(4)
        let total = reader.read(4) + 1
        let parity = UInt8(reader.read(8))
        structuredAppend = StructuredAppendInfo(index: index, total: total, parity: parity)
        marker(.structuredAppend)
    }
}
