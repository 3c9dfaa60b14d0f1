/// An encoded QR symbol and how it was made.
public struct QRSymbol: Sendable {
    /// The modules, without quiet zone; `true` is dark.
    public let matrix: BitMatrix
    /// The version used: the smallest allowed that holds the data, or the one asked for.
    public let version: QRVersion
    /// The error-correction level used (higher than asked when `boostLevel` raised it).
    public let level: ErrorCorrectionLevel
    /// The data mask applied (0…7).
    public let mask: Int
    /// The segments of the bit stream, in order.
    public let segments: [EncodedSegment]
    /// Data codewords, block after block, before interleaving (padding included).
    public let dataCodewords: [UInt8]
    /// The final codeword sequence as placed: interleaved data then error correction.
    public let codewords: [UInt8]
}

/// Choices for `QREncoder`.
public struct EncodeOptions: Sendable {
    /// Error-correction level (raised further when `boostLevel` is set).
    public var level: ErrorCorrectionLevel
    /// The smallest version the encoder may use (1…40).
    public var minimumVersion: Int
    /// The largest version the encoder may use (1…40).
    public var maximumVersion: Int
    /// The data mask to apply, or nil to pick the one with the lowest penalty score.
    public var mask: Int?
    /// GS1: start with the FNC1 first-position indicator; GS (U+001D) separates fields.
    public var gs1: Bool
    /// An ECI designator to put in front and to encode byte segments with; nil chooses:
    /// none for ISO-8859-1 text, 26 (UTF-8) otherwise.
    public var eci: Int?
    /// Use the highest error-correction level that still fits the chosen version.
    public var boostLevel: Bool

    public init(
        level: ErrorCorrectionLevel = .M, minimumVersion: Int = 1, maximumVersion: Int = 40, mask: Int? = nil,
        gs1: Bool = false, eci: Int? = nil, boostLevel: Bool = false
    ) {
        self.level = level
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.mask = mask
        self.gs1 = gs1
        self.eci = eci
        self.boostLevel = boostLevel
    }
}

/// Why a message could not be encoded.
public enum QREncodingError: Error, Equatable, CustomStringConvertible {
    /// The message needs `bits` data bits but the largest allowed version holds `capacity`.
    case dataTooLong(bits: Int, capacity: Int)
    /// A version outside 1…40, or a minimum above the maximum.
    case invalidVersion(Int)
    /// A data mask outside 0…7.
    case invalidMask(Int)
    /// An ECI designator outside 0…999 999.
    case invalidECI(Int)
    /// An ECI whose character set this encoder cannot write.
    case unsupportedECI(Int)
    /// A character that the character set of `eci` cannot represent.
    case unencodableCharacter(String, eci: Int)
    /// An explicit segment whose content its mode cannot carry.
    case invalidSegmentContent(SegmentSpec)
    /// A segment with more characters than its character count indicator can hold.
    case segmentTooLong(SegmentSpec, count: Int, maximum: Int)

    public var description: String {
        switch self {
        case let .dataTooLong(bits, capacity):
            "the data needs \(bits) bits but the largest allowed symbol holds \(capacity); "
                + "shorten it, allow a larger version or lower the error-correction level"
        case .invalidVersion(let v):
            "version \(v) is not usable: versions run from 1 to 40 and the minimum must not exceed the maximum"
        case .invalidMask(let m): "mask \(m) does not exist; masks are 0…7"
        case .invalidECI(let e): "ECI \(e) is out of range; designators run from 0 to 999999"
        case .unsupportedECI(let e): "ECI \(e) names a character set the encoder cannot write; use 26 (UTF-8)"
        case let .unencodableCharacter(c, eci):
            "the character \"\(c)\" has no representation in the character set of ECI \(eci); use ECI 26 (UTF-8)"
        case .invalidSegmentContent(let s): "segment \(s) holds characters its mode cannot encode"
        case let .segmentTooLong(s, count, maximum):
            "segment \(s) has \(count) characters but its count field holds at most \(maximum); split it"
        }
    }
}

/// Encodes text or bytes as a QR Model 2 symbol (ISO/IEC 18004:2015).
public enum QREncoder {
    /// Encodes `text` in the fewest bits (mixing numeric, alphanumeric, byte and Kanji
    /// segments) and the smallest version allowed by `options` that holds them.
    public static func encode(_ text: String, options: EncodeOptions = EncodeOptions()) throws(QREncodingError) -> QRSymbol {
        try validate(options)
        try checkLength(text.unicodeScalars.count, options)
        var input = SegmentationInput(gs1: options.gs1)
        var prefix: [SegmentSpec] = []
        let scalars = Array(text.unicodeScalars)
        if let eci = options.eci {
            prefix.append(.eci(eci))
            guard let encode = TextEncoder.byteEncoder(forECI: eci) else { throw .unsupportedECI(eci) }
            for scalar in scalars {
                let encoded = encode(scalar)
                let kanji = TextEncoder.kanjiCode(scalar)
                guard encoded != nil || kanji != nil else { throw .unencodableCharacter(String(scalar), eci: eci) }
                input.append(encoded: encoded ?? [], shiftJIS: kanji)
            }
        } else {
            let kanji = scalars.map { $0.isASCII ? nil : TextEncoder.kanjiCode($0) }
            let needsUTF8 = zip(scalars, kanji).contains { $0.value > 0xFF && $1 == nil }
            if needsUTF8 { prefix.append(.eci(26)) }
            for (scalar, code) in zip(scalars, kanji) {
                if needsUTF8 {
                    input.append(encoded: String(scalar).utf8, shiftJIS: code)
                } else {
                    // ISO-8859-1 (the default interpretation) where possible; the remaining
                    // characters have a Kanji-mode code.
                    input.append(encoded: scalar.value <= 0xFF ? [UInt8(scalar.value)] : [], shiftJIS: code)
                }
            }
        }
        if options.gs1 { prefix.append(.fnc1First) }
        return try encodeOptimally(input, prefix: prefix, options: options)
    }

    /// Encodes raw bytes (no ECI unless `options.eci` is set), using numeric and
    /// alphanumeric segments for runs of ASCII digits and capitals where that is shorter.
    public static func encode(bytes: [UInt8], options: EncodeOptions = EncodeOptions()) throws(QREncodingError) -> QRSymbol {
        try validate(options)
        try checkLength(bytes.count, options)
        var input = SegmentationInput(gs1: options.gs1)
        for byte in bytes { input.append(encoded: CollectionOfOne(byte)) }
        var prefix: [SegmentSpec] = []
        if let eci = options.eci { prefix.append(.eci(eci)) }
        if options.gs1 { prefix.append(.fnc1First) }
        return try encodeOptimally(input, prefix: prefix, options: options)
    }

    /// Encodes exactly the given segments, in `version` if given (else the smallest allowed
    /// by `options` that holds them). `options.gs1` and `options.eci` are ignored: include
    /// `.fnc1First` and `.eci` segments yourself.
    public static func encode(segments: [SegmentSpec], version: Int? = nil, options: EncodeOptions = EncodeOptions()) throws(QREncodingError) -> QRSymbol {
        try validate(options)
        for segment in segments { try validate(segment) }
        let candidates: ClosedRange<Int>
        if let version {
            guard (1...40).contains(version) else { throw .invalidVersion(version) }
            candidates = version...version
        } else {
            candidates = options.minimumVersion...options.maximumVersion
        }
        var lastBits = 0, lastCapacity = 0
        for number in candidates {
            guard let v = QRVersion(number) else { throw .invalidVersion(number) }
            if let tooLong = segments.first(where: { $0.characterCount > maximumCount($0, version: number) }) {
                // Smaller versions have narrower count fields; a larger one may still do.
                guard version == nil else {
                    throw .segmentTooLong(tooLong, count: tooLong.characterCount, maximum: maximumCount(tooLong, version: number))
                }
                continue
            }
            let bits = bitCount(segments, version: number)
            lastBits = bits
            lastCapacity = v.dataCodewordCount(options.level) * 8
            if bits <= lastCapacity { return try build(segments, version: v, options: options) }
        }
        throw .dataTooLong(bits: lastBits, capacity: lastCapacity)
    }

    // MARK: - Steps

    private static func validate(_ options: EncodeOptions) throws(QREncodingError) {
        for v in [options.minimumVersion, options.maximumVersion] where !(1...40).contains(v) {
            throw .invalidVersion(v)
        }
        guard options.minimumVersion <= options.maximumVersion else { throw .invalidVersion(options.minimumVersion) }
        if let mask = options.mask, !(0...7).contains(mask) { throw .invalidMask(mask) }
        if let eci = options.eci, !(0...999_999).contains(eci) { throw .invalidECI(eci) }
    }

    /// Every character costs at least 10/3 bits (a digit), so more characters than that
    /// bound allows cannot fit; refusing them early keeps huge inputs away from the
    /// segmentation tables.
    private static func checkLength(_ characterCount: Int, _ options: EncodeOptions) throws(QREncodingError) {
        guard let largest = QRVersion(options.maximumVersion) else { throw .invalidVersion(options.maximumVersion) }
        let capacity = largest.dataCodewordCount(options.level) * 8
        let leastBits = (characterCount * 10 + 2) / 3
        if leastBits > capacity { throw .dataTooLong(bits: leastBits, capacity: capacity) }
    }

    private static func validate(_ segment: SegmentSpec) throws(QREncodingError) {
        let valid = switch segment {
        case .numeric(let s): s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        case .alphanumeric(let s): s.utf8.allSatisfy { $0 < 0x80 && alphanumericValue[Int($0)] >= 0 }
        case .byte: true
        case .kanji(let b):
            b.count % 2 == 0 && stride(from: 0, to: b.count, by: 2).allSatisfy {
                KanjiMode.value(shiftJIS: UInt16(b[$0]) << 8 | UInt16(b[$0 + 1])) != nil
            }
        case .eci(let value): (0...999_999).contains(value)
        case .fnc1First: true
        }
        guard valid else { throw .invalidSegmentContent(segment) }
        // The widest count fields (versions 27–40) bound what any version can hold.
        let maximum = maximumCount(segment, version: 40)
        if segment.characterCount > maximum {
            throw .segmentTooLong(segment, count: segment.characterCount, maximum: maximum)
        }
    }

    /// The largest character count the segment's count field holds in `version`
    /// (unbounded for segments without one).
    private static func maximumCount(_ segment: SegmentSpec, version: Int) -> Int {
        let bits = segment.mode.characterCountBits(version: version)
        return bits == 0 ? Int.max : (1 << bits) - 1
    }

    private static func bitCount(_ segments: [SegmentSpec], version: Int) -> Int {
        segments.reduce(0) { $0 + $1.bitCount(version: version) }
    }

    /// Segments `input` for each version class in turn (smallest first) and builds the
    /// smallest allowed version that holds the result.
    private static func encodeOptimally(_ input: SegmentationInput, prefix: [SegmentSpec], options: EncodeOptions) throws(QREncodingError) -> QRSymbol {
        var lastBits = 0, lastCapacity = 0
        for classVersions in VersionClass.ranges {
            let low = max(classVersions.lowerBound, options.minimumVersion)
            let high = min(classVersions.upperBound, options.maximumVersion)
            guard low <= high else { continue }
            let segments = prefix + Segmentation.segments(for: input, version: low)
            let bits = bitCount(segments, version: low)
            for number in low...high {
                guard let v = QRVersion(number) else { continue }
                lastBits = bits
                lastCapacity = v.dataCodewordCount(options.level) * 8
                if bits <= lastCapacity {
                    for segment in segments { try validate(segment) }
                    return try build(segments, version: v, options: options)
                }
            }
        }
        throw .dataTooLong(bits: lastBits, capacity: lastCapacity)
    }

    /// Bit stream, codewords, error correction, placement, masking and format information.
    private static func build(_ segments: [SegmentSpec], version: QRVersion, options: EncodeOptions) throws(QREncodingError) -> QRSymbol {
        var bits = BitWriter(capacityBits: version.totalCodewords * 8)
        var encoded: [EncodedSegment] = []
        for segment in segments {
            let count = segment.characterCount
            let maximum = maximumCount(segment, version: version.number)
            guard count <= maximum else { throw .segmentTooLong(segment, count: count, maximum: maximum) }
            let start = bits.count
            write(segment, countBits: segment.mode.characterCountBits(version: version.number), into: &bits)
            encoded.append(EncodedSegment(content: segment, characterCount: count, bitCount: bits.count - start))
        }

        var level = options.level
        if options.boostLevel {
            for higher in ErrorCorrectionLevel.allCases.drop(while: { $0 != level }).dropFirst()
            where version.dataCodewordCount(higher) * 8 >= bits.count {
                level = higher
            }
        }
        let capacity = version.dataCodewordCount(level) * 8
        guard bits.count <= capacity else { throw .dataTooLong(bits: bits.count, capacity: capacity) }

        // Terminator (up to four 0 bits), zero bits to the byte boundary, then alternating
        // pad codewords.
        bits.append(0, bits: min(4, capacity - bits.count))
        bits.append(0, bits: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        var pad: UInt8 = 0xEC
        while data.count < capacity / 8 {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }

        let blocks = version.blocks(level)
        let reedSolomon = ReedSolomonEncoder(errorCorrectionCodewords: blocks.ecCodewordsPerBlock)
        var dataBlocks: [[UInt8]] = []
        var offset = 0
        for count in blocks.dataCodewordsPerBlock {
            dataBlocks.append(Array(data[offset..<offset + count]))
            offset += count
        }
        let ecBlocks = dataBlocks.map { reedSolomon.errorCorrection(for: $0) }
        let codewords = CodewordBlocks.interleave(dataBlocks, ec: ecBlocks)

        let layout = SymbolLayout(version: version)
        var base = BitMatrix(size: version.dimension)
        layout.drawFunctionPatterns(into: &base)
        func masked(_ mask: Int) -> BitMatrix {
            var m = base
            layout.placeCodewords(codewords, mask: mask, into: &m)
            layout.drawFormatInformation(FormatInformation(level: level, mask: mask), into: &m)
            return m
        }
        // ISO/IEC 18004:2015 7.8.3.1 evaluates the complete symbol, so each candidate is
        // scored with its format information in place.
        var chosenMask = options.mask ?? 0
        var matrix = masked(chosenMask)
        if options.mask == nil {
            var bestScore = MaskPenalty.score(matrix)
            for mask in 1..<8 {
                let candidate = masked(mask)
                let score = MaskPenalty.score(candidate)
                if score < bestScore { (bestScore, chosenMask, matrix) = (score, mask, candidate) }
            }
        }
        return QRSymbol(
            matrix: matrix, version: version, level: level, mask: chosenMask, segments: encoded,
            dataCodewords: data, codewords: codewords)
    }

    /// Writes one segment: mode indicator, character count, data.
    private static func write(_ segment: SegmentSpec, countBits: Int, into bits: inout BitWriter) {
        bits.append(segment.modeIndicator, bits: 4)
        bits.append(segment.characterCount, bits: countBits)
        switch segment {
        case .numeric(let s):
            let digits = s.utf8.map { Int($0) - 0x30 }
            var i = 0
            while i < digits.count {
                let group = digits[i..<min(i + 3, digits.count)]
                bits.append(group.reduce(0) { $0 * 10 + $1 }, bits: [0, 4, 7, 10][group.count])
                i += 3
            }
        case .alphanumeric(let s):
            let values = s.utf8.map { Int(alphanumericValue[Int($0)]) }
            var i = 0
            while i + 1 < values.count {
                bits.append(values[i] * 45 + values[i + 1], bits: 11)
                i += 2
            }
            if i < values.count { bits.append(values[i], bits: 6) }
        case .byte(let b):
            for byte in b { bits.append(Int(byte), bits: 8) }
        case .kanji(let b):
            for i in stride(from: 0, to: b.count - 1, by: 2) {
                bits.append(KanjiMode.value(shiftJIS: UInt16(b[i]) << 8 | UInt16(b[i + 1])) ?? 0, bits: 13)
            }
        case .eci(let value):
            // 1, 2 or 3 bytes, marked by leading 0, 10 or 110.
            if value < 128 { bits.append(value, bits: 8) }
            else if value < 16384 { bits.append(0b10 << 14 | value, bits: 16) }
            else { bits.append(0b110 << 21 | value, bits: 24) }
        case .fnc1First:
            break
        }
    }
}

/// Character-set conversions the encoder needs for text.
enum TextEncoder {
    /// Per-character byte encoding for the character set an ECI names; nil when unsupported.
    static func byteEncoder(forECI eci: Int) -> ((Unicode.Scalar) -> [UInt8]?)? {
        guard let encoding = TextEncoding.forECI(eci) else { return nil }
        return { encoding.encode(String($0)) }
    }

    /// The Shift_JIS code of a character that Kanji mode can carry (a JIS X 0208 double-byte
    /// character in the Kanji mode ranges), else nil.
    static func kanjiCode(_ scalar: Unicode.Scalar) -> UInt16? {
        guard !scalar.isASCII, let bytes = TextEncoding.shiftJIS.encode(String(scalar)), bytes.count == 2 else { return nil }
        let code = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        return KanjiMode.value(shiftJIS: code) == nil ? nil : code
    }
}
