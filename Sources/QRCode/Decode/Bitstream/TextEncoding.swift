/// A character encoding a QR code's byte segments may use, with the ECI designators of
/// the AIM ECI register.
///
/// Tables come from Python's codecs (see `Scripts/generate-text-encodings.py`). Shift_JIS is
/// JIS X 0208 with the cp932 (NEC/IBM) extensions filled in where JIS X 0208 leaves gaps;
/// `gb2312` is the GB2312 area (lead 0xA1…0xF7, trail 0xA1…0xFE) of the GB18030 table.
public enum TextEncoding: Sendable, Equatable, Hashable {
    case utf8
    /// ISO/IEC 8859-n for n in 1…16 except 12; other parts decode and encode nothing.
    case iso8859(Int)
    case shiftJIS
    case gb2312
    case gb18030
    case big5
    /// KS X 1001 as EUC-KR.
    case eucKR
    /// IBM code page 437, the QR default interpretation before ISO/IEC 18004:2006.
    case cp437
    /// Windows code pages 1250, 1251, 1252 and 1256; others decode and encode nothing.
    case windows(Int)
    case utf16BE
    case ascii

    /// The encoding an ECI designator selects, or nil when the designator is not a supported
    /// character set.
    public static func forECI(_ eci: Int) -> TextEncoding? {
        switch eci {
        case 0, 2: .cp437
        case 1, 3: .iso8859(1)
        case 4...13: .iso8859(eci - 2)
        case 15...18: .iso8859(eci - 2)
        case 20: .shiftJIS
        case 21: .windows(1250)
        case 22: .windows(1251)
        case 23: .windows(1252)
        case 24: .windows(1256)
        case 25: .utf16BE
        case 26: .utf8
        case 27: .ascii
        case 28: .big5
        case 29: .gb18030
        case 30: .eucKR
        default: nil
        }
    }

    /// The preferred ECI designator of this encoding; -1 for an unsupported ISO 8859 part or
    /// Windows code page. GB2312 shares GB18030's designator 29.
    public var eci: Int {
        switch self {
        case .utf8: 26
        case .iso8859(1): 3
        case .iso8859(let part): (2...16).contains(part) && part != 12 ? part + 2 : -1
        case .shiftJIS: 20
        case .gb2312, .gb18030: 29
        case .big5: 28
        case .eucKR: 30
        case .cp437: 2
        case .windows(1250): 21
        case .windows(1251): 22
        case .windows(1252): 23
        case .windows(1256): 24
        case .windows: -1
        case .utf16BE: 25
        case .ascii: 27
        }
    }

    /// A name for messages, e.g. "ISO-8859-2" or "Shift_JIS".
    public var name: String {
        switch self {
        case .utf8: "UTF-8"
        case .iso8859(let part): "ISO-8859-\(part)"
        case .shiftJIS: "Shift_JIS"
        case .gb2312: "GB2312"
        case .gb18030: "GB18030"
        case .big5: "Big5"
        case .eucKR: "EUC-KR"
        case .cp437: "IBM437"
        case .windows(let page): "windows-\(page)"
        case .utf16BE: "UTF-16BE"
        case .ascii: "US-ASCII"
        }
    }

    /// The text of `bytes`, or nil when they are not valid in this encoding (an unmapped
    /// byte or pair, a truncated multi-byte sequence, a lone surrogate).
    public func decode(_ bytes: [UInt8]) -> String? {
        switch self {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .iso8859(1):
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return String(scalars)
        case .iso8859(let part):
            return CodePageTables.iso8859[part]?.decode(bytes)
        case .shiftJIS:
            return ShiftJIS.decode(bytes)
        case .gb2312:
            return GB18030.isGB2312(bytes) ? GB18030.decode(bytes) : nil
        case .gb18030:
            return GB18030.decode(bytes)
        case .big5:
            return DoubleByteCodec.decode(bytes, table: CodePageTables.big5)
        case .eucKR:
            return DoubleByteCodec.decode(bytes, table: CodePageTables.eucKR)
        case .cp437:
            return CodePageTables.cp437.decode(bytes)
        case .windows(let page):
            return CodePageTables.windows[page]?.decode(bytes)
        case .utf16BE:
            guard bytes.count % 2 == 0 else { return nil }
            let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return String(validating: units, as: UTF16.self)
        case .ascii:
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The bytes of `text`, or nil when some character has no representation here.
    public func encode(_ text: String) -> [UInt8]? {
        switch self {
        case .utf8:
            return Array(text.utf8)
        case .iso8859(1):
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                guard scalar.value <= 0xFF else { return nil }
                bytes.append(UInt8(scalar.value))
            }
            return bytes
        case .iso8859(let part):
            return CodePageTables.iso8859[part]?.encode(text)
        case .shiftJIS:
            return ShiftJIS.encode(text)
        case .gb2312:
            guard let bytes = GB18030.encode(text), GB18030.isGB2312(bytes) else { return nil }
            return bytes
        case .gb18030:
            return GB18030.encode(text)
        case .big5:
            return DoubleByteCodec.encode(text, codes: CodePageTables.big5Codes)
        case .eucKR:
            return DoubleByteCodec.encode(text, codes: CodePageTables.eucKRCodes)
        case .cp437:
            return CodePageTables.cp437.encode(text)
        case .windows(let page):
            return CodePageTables.windows[page]?.encode(text)
        case .utf16BE:
            return text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .ascii:
            guard text.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
            return Array(text.utf8)
        }
    }
}

/// Codecs whose characters are ASCII, byte pairs from one table, and (for Shift_JIS) a
/// few single non-ASCII bytes.
enum DoubleByteCodec {
    /// The text, or nil on an unmapped pair or a lone lead byte. `singleByte` maps the
    /// non-ASCII bytes that stand alone.
    static func decode(
        _ bytes: [UInt8], table: DoubleByteTable, singleByte: (UInt8) -> Unicode.Scalar? = { _ in nil }
    ) -> String? {
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
                index += 1
            } else if let scalar = singleByte(byte) {
                scalars.append(scalar)
                index += 1
            } else {
                guard index + 1 < bytes.count, let scalar = table.scalar(lead: byte, trail: bytes[index + 1]) else {
                    return nil
                }
                scalars.append(scalar)
                index += 2
            }
        }
        return String(scalars)
    }

    /// `otherBytes` encodes the characters that are neither ASCII nor in `codes`.
    static func encode(
        _ text: String, codes: [UInt32: UInt16], otherBytes: (UInt32) -> [UInt8]? = { _ in nil }
    ) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                bytes.append(UInt8(scalar.value))
            } else if let code = codes[scalar.value] {
                bytes.append(UInt8(code >> 8))
                bytes.append(UInt8(code & 0xFF))
            } else if let other = otherBytes(scalar.value) {
                bytes += other
            } else {
                return nil
            }
        }
        return bytes
    }
}

/// Shift_JIS: ASCII, half-width katakana 0xA1…0xDF, and JIS X 0208 byte pairs.
enum ShiftJIS {
    static func decode(_ bytes: [UInt8]) -> String? {
        DoubleByteCodec.decode(bytes, table: CodePageTables.shiftJIS) { byte in
            (0xA1...0xDF).contains(byte) ? Unicode.Scalar(0xFF61 - 0xA1 + UInt32(byte)) : nil
        }
    }

    static func encode(_ text: String) -> [UInt8]? {
        DoubleByteCodec.encode(text, codes: CodePageTables.shiftJISCodes) { scalar in
            (0xFF61...0xFF9F).contains(scalar) ? [UInt8(scalar - 0xFF61 + 0xA1)] : nil
        }
    }
}

/// GB18030: ASCII, two-byte codes from the table, and four-byte codes (BMP ranges from the
/// table, supplementary planes by formula).
enum GB18030 {
    /// Linear index of the four-byte code 0x90 0x30 0x81 0x30, which is U+10000.
    private static let supplementaryBase = linearIndex(0x90, 0x30, 0x81, 0x30)

    private static func linearIndex(_ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8) -> Int {
        ((Int(b1) - 0x81) * 10 + Int(b2) - 0x30) * 1260 + (Int(b3) - 0x81) * 10 + Int(b4) - 0x30
    }

    /// Whether every non-ASCII character is a pair in the GB2312 area.
    static func isGB2312(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 { index += 1; continue }
            guard index + 1 < bytes.count, (0xA1...0xF7).contains(bytes[index]), (0xA1...0xFE).contains(bytes[index + 1])
            else { return false }
            index += 2
        }
        return true
    }

    static func decode(_ bytes: [UInt8]) -> String? {
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let b1 = bytes[index]
            if b1 < 0x80 {
                scalars.append(Unicode.Scalar(b1))
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            let b2 = bytes[index + 1]
            if (0x30...0x39).contains(b2) {
                guard (0x81...0xFE).contains(b1), index + 3 < bytes.count,
                      (0x81...0xFE).contains(bytes[index + 2]), (0x30...0x39).contains(bytes[index + 3]),
                      let scalar = fourByteScalar(linearIndex(b1, b2, bytes[index + 2], bytes[index + 3]))
                else { return nil }
                scalars.append(scalar)
                index += 4
            } else {
                guard let scalar = CodePageTables.gb18030.scalar(lead: b1, trail: b2) else { return nil }
                scalars.append(scalar)
                index += 2
            }
        }
        return String(scalars)
    }

    private static func fourByteScalar(_ linear: Int) -> Unicode.Scalar? {
        if linear >= supplementaryBase {
            return Unicode.Scalar(UInt32(clamping: linear - supplementaryBase + 0x10000))
        }
        guard let range = fourByteRange(containing: linear, by: \.linearStart) else { return nil }
        return Unicode.Scalar(UInt32(range.scalarStart + linear - range.linearStart))
    }

    /// The four-byte BMP range whose `start` (linear index or code point) run covers `value`.
    private static func fourByteRange(containing value: Int, by start: KeyPath<GB18030Range, Int>) -> GB18030Range? {
        let ranges = CodePageTables.gb18030FourByteRanges
        // Binary search for the last range starting at or before `value`.
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle][keyPath: start] <= value { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let range = ranges[low - 1]
        return value < range[keyPath: start] + range.count ? range : nil
    }

    static func encode(_ text: String) -> [UInt8]? {
        DoubleByteCodec.encode(text, codes: CodePageTables.gb18030Codes) { scalar in
            fourByteIndex(of: Int(scalar)).map { linear in
                [UInt8(0x81 + linear / 12600), UInt8(0x30 + linear / 1260 % 10),
                 UInt8(0x81 + linear / 10 % 126), UInt8(0x30 + linear % 10)]
            }
        }
    }

    private static func fourByteIndex(of scalar: Int) -> Int? {
        if scalar >= 0x10000 { return supplementaryBase + scalar - 0x10000 }
        guard let range = fourByteRange(containing: scalar, by: \.scalarStart) else { return nil }
        return range.linearStart + scalar - range.scalarStart
    }
}
