/// Lookup tables built lazily from the generated string literals in `TextEncodingTables.swift`.

/// A single-byte code page whose lower half is ASCII.
struct SingleByteCodePage: Sendable {
    /// Scalar values for bytes 0x80…0xFF; U+FFFD marks an unmapped byte.
    let upperHalf: [UInt32]
    /// Scalar value → byte, for the upper half only.
    let bytesByScalar: [UInt32: UInt8]

    init(_ packed: String) {
        var upperHalf = [UInt32](repeating: 0xFFFD, count: 128)
        var bytesByScalar: [UInt32: UInt8] = [:]
        for (offset, scalar) in packed.unicodeScalars.prefix(128).enumerated() where scalar.value != 0xFFFD {
            upperHalf[offset] = scalar.value
            bytesByScalar[scalar.value] = UInt8(0x80 + offset)
        }
        self.upperHalf = upperHalf
        self.bytesByScalar = bytesByScalar
    }

    func decode(_ bytes: [UInt8]) -> String? {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte < 0x80 ? UInt32(byte) : upperHalf[Int(byte &- 0x80)]
            guard value != 0xFFFD, let scalar = Unicode.Scalar(value) else { return nil }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    func encode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else if let byte = bytesByScalar[scalar.value] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        return bytes
    }
}

/// A double-byte character table: for each lead byte in `leads`, the scalars of the trail
/// bytes `firstTrail ..< firstTrail + trailCount`, U+FFFD where unmapped.
struct DoubleByteTable: Sendable {
    /// Row of each possible lead byte, or -1 when the byte is not a lead byte.
    private let rowOfLead: [Int]
    private let leadOfRow: [UInt8]
    private let firstTrail: UInt8
    private let trailCount: Int
    private let scalars: [UInt16]

    init(_ packed: String, leads: [ClosedRange<UInt8>], trails: ClosedRange<UInt8>) {
        var rowOfLead = [Int](repeating: -1, count: 256)
        var leadOfRow: [UInt8] = []
        for range in leads {
            for lead in range {
                rowOfLead[Int(lead)] = leadOfRow.count
                leadOfRow.append(lead)
            }
        }
        self.rowOfLead = rowOfLead
        self.leadOfRow = leadOfRow
        firstTrail = trails.lowerBound
        trailCount = trails.count
        var scalars = [UInt16](repeating: 0xFFFD, count: leadOfRow.count * trails.count)
        for (index, scalar) in packed.unicodeScalars.enumerated() where index < scalars.count {
            scalars[index] = UInt16(truncatingIfNeeded: scalar.value)
        }
        self.scalars = scalars
    }

    func isLead(_ byte: UInt8) -> Bool { rowOfLead[Int(byte)] >= 0 }

    /// The character of a byte pair, or nil when the pair is unmapped.
    func scalar(lead: UInt8, trail: UInt8) -> Unicode.Scalar? {
        let row = rowOfLead[Int(lead)]
        let column = Int(trail) - Int(firstTrail)
        guard row >= 0, column >= 0, column < trailCount else { return nil }
        let value = scalars[row * trailCount + column]
        return value == 0xFFFD ? nil : Unicode.Scalar(value)
    }

    /// Scalar value → code (lead << 8 | trail); where one character has several codes the first wins.
    func codesByScalar() -> [UInt32: UInt16] {
        var codes: [UInt32: UInt16] = [:]
        codes.reserveCapacity(scalars.count)
        for (index, value) in scalars.enumerated() where value != 0xFFFD {
            let code = UInt16(leadOfRow[index / trailCount]) << 8 | UInt16(Int(firstTrail) + index % trailCount)
            if codes[UInt32(value)] == nil { codes[UInt32(value)] = code }
        }
        return codes
    }
}

/// A run of consecutive GB18030 four-byte codes mapping to consecutive BMP code points.
struct GB18030Range: Sendable {
    let linearStart: Int
    let scalarStart: Int
    let count: Int
}

/// The decoded tables, each built on first use.
enum CodePageTables {
    static let iso8859: [Int: SingleByteCodePage] = {
        let packed: [Int: String] = [
            2: TextEncodingTableData.iso8859_2, 3: TextEncodingTableData.iso8859_3,
            4: TextEncodingTableData.iso8859_4, 5: TextEncodingTableData.iso8859_5,
            6: TextEncodingTableData.iso8859_6, 7: TextEncodingTableData.iso8859_7,
            8: TextEncodingTableData.iso8859_8, 9: TextEncodingTableData.iso8859_9,
            10: TextEncodingTableData.iso8859_10, 11: TextEncodingTableData.iso8859_11,
            13: TextEncodingTableData.iso8859_13, 14: TextEncodingTableData.iso8859_14,
            15: TextEncodingTableData.iso8859_15, 16: TextEncodingTableData.iso8859_16,
        ]
        return packed.mapValues(SingleByteCodePage.init)
    }()

    static let windows: [Int: SingleByteCodePage] = [
        1250: SingleByteCodePage(TextEncodingTableData.windows1250),
        1251: SingleByteCodePage(TextEncodingTableData.windows1251),
        1252: SingleByteCodePage(TextEncodingTableData.windows1252),
        1256: SingleByteCodePage(TextEncodingTableData.windows1256),
    ]

    static let cp437 = SingleByteCodePage(TextEncodingTableData.cp437)

    static let shiftJIS = DoubleByteTable(
        TextEncodingTableData.shiftJIS, leads: [0x81...0x9F, 0xE0...0xFC], trails: 0x40...0xFC)
    static let shiftJISCodes = shiftJIS.codesByScalar()

    static let gb18030 = DoubleByteTable(TextEncodingTableData.gb18030, leads: [0x81...0xFE], trails: 0x40...0xFE)
    static let gb18030Codes = gb18030.codesByScalar()

    static let big5 = DoubleByteTable(TextEncodingTableData.big5, leads: [0xA1...0xF9], trails: 0x40...0xFE)
    static let big5Codes = big5.codesByScalar()

    static let eucKR = DoubleByteTable(TextEncodingTableData.eucKR, leads: [0xA1...0xFE], trails: 0xA1...0xFE)
    static let eucKRCodes = eucKR.codesByScalar()

    /// Sorted by both linear index and code point (the generator emits them that way).
    static let gb18030FourByteRanges: [GB18030Range] = {
        let digits = Array(TextEncodingTableData.gb18030FourByteRanges.utf8)
        func hex(_ slice: ArraySlice<UInt8>) -> Int {
            slice.reduce(0) { value, digit in
                let nibble = digit >= UInt8(ascii: "A") ? Int(digit) - 55 : Int(digit) - 48
                return value << 4 | nibble
            }
        }
        var ranges: [GB18030Range] = []
        var index = 0
        while index + 13 <= digits.count {
            ranges.append(GB18030Range(
                linearStart: hex(digits[index ..< index + 5]),
                scalarStart: hex(digits[index + 5 ..< index + 9]),
                count: hex(digits[index + 9 ..< index + 13])))
            index += 13
        }
        return ranges
    }()
}
