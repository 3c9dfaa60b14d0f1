import Testing
@testable import QRCode

/// Builds test bit streams MSB first, padded like a real symbol.
struct TestBitstreamWriter {
    private(set) var bits: [Bool] = []

    mutating func write(_ value: Int, _ count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append(value >> shift & 1 == 1) }
    }

    /// Writes a string of 0s and 1s; spaces are ignored.
    mutating func write(_ binary: String) {
        for character in binary where character != " " { bits.append(character == "1") }
    }

    mutating func numeric(_ digits: String, countBits: Int = 10) {
        write(0b0001, 4)
        let values = digits.utf8.map { Int($0) - 48 }
        write(values.count, countBits)
        var index = 0
        while index < values.count {
            let group = values[index ..< min(index + 3, values.count)]
            write(group.reduce(0) { $0 * 10 + $1 }, [0, 4, 7, 10][group.count])
            index += 3
        }
    }

    mutating func alphanumeric(_ text: String, countBits: Int = 9) {
        // Spelled out here rather than taken from the library, so a wrong table there shows.
        let table = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
        let values = text.utf8.map { character in table.firstIndex(of: character) ?? 99 }
        write(0b0010, 4)
        write(values.count, countBits)
        var index = 0
        while index + 1 < values.count {
            write(values[index] * 45 + values[index + 1], 11)
            index += 2
        }
        if index < values.count { write(values[index], 6) }
    }

    mutating func byte(_ bytes: [UInt8], countBits: Int = 8) {
        write(0b0100, 4)
        write(bytes.count, countBits)
        for byte in bytes { write(Int(byte), 8) }
    }

    mutating func eci(_ value: Int) {
        write(0b0111, 4)
        if value < 128 {
            write(value, 8)
        } else if value < 16384 {
            write(0b10, 2); write(value, 14)
        } else {
            write(0b110, 3); write(value, 21)
        }
    }

    /// Kanji from Shift_JIS byte pairs, compressed to 13 bits as ISO 18004 §7.4.6 says.
    mutating func kanji(_ shiftJIS: [UInt8], countBits: Int = 8) {
        write(0b1000, 4)
        doubleByte(shiftJIS, countBits: countBits, rowLength: 0xC0) { $0 <= 0x9FFC ? 0x8140 : 0xC140 }
    }

    /// Hanzi (subset 1, GB2312) from GB2312 byte pairs.
    mutating func hanzi(_ gb2312: [UInt8], countBits: Int = 8) {
        write(0b1101, 4)
        write(1, 4)
        doubleByte(gb2312, countBits: countBits, rowLength: 0x60) { $0 <= 0xAAFE ? 0xA1A1 : 0xA6A1 }
    }

    private mutating func doubleByte(_ bytes: [UInt8], countBits: Int, rowLength: Int, base: (Int) -> Int) {
        write(bytes.count / 2, countBits)
        for pair in stride(from: 0, to: bytes.count, by: 2) {
            let code = Int(bytes[pair]) << 8 | Int(bytes[pair + 1])
            let offset = code - base(code)
            write((offset >> 8) * rowLength + (offset & 0xFF), 13)
        }
    }

    mutating func structuredAppend(index: Int, total: Int, parity: UInt8) {
        write(0b0011, 4); write(index, 4); write(total - 1, 4); write(Int(parity), 8)
    }

    /// Terminator, zero bits to a byte boundary, then 0xEC/0x11 pad codewords up to `capacity`.
    func codewords(capacity: Int? = nil, terminate: Bool = true) -> [UInt8] {
        var all = bits
        if terminate { all += [Bool](repeating: false, count: 4) }
        while all.count % 8 != 0 { all.append(false) }
        var bytes = stride(from: 0, to: all.count, by: 8).map { start in
            all[start ..< start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while bytes.count < (capacity ?? 0) {
            bytes.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return bytes
    }
}

@Suite struct BitstreamDecoderTests {
    /// ISO/IEC 18004 Annex I: "01234567" in a 1-M symbol.
    @Test func annexNumericExample() throws {
        var writer = TestBitstreamWriter()
        writer.write("0001 0000001000 0000001100 0101011001 1000011")
        let codewords = writer.codewords(capacity: 16)
        #expect(codewords == [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
        let content = try BitstreamDecoder.decode(codewords, version: 1)
        #expect(content.text == "01234567")
        #expect(content.bytes == Array("01234567".utf8))
        #expect(content.segments == [Segment(mode: .numeric, bytes: Array("01234567".utf8), text: "01234567", characterCount: 8, eci: nil)])
        #expect(content.symbologyIdentifier == "]Q1")
        #expect(content.ecis.isEmpty && content.fnc1 == nil && content.structuredAppend == nil)
    }

    /// ISO/IEC 18004 §7.4.5: "AC-42" in alphanumeric mode.
    @Test func annexAlphanumericExample() throws {
        var writer = TestBitstreamWriter()
        writer.write("0010 000000101 00111001110 11100111001 000010")
        let content = try BitstreamDecoder.decode(writer.codewords(capacity: 16), version: 1)
        #expect(content.text == "AC-42")
        #expect(content.segments.map(\.mode) == [.alphanumeric])
        #expect(content.segments.first?.characterCount == 5)
    }

    @Test func everyAlphanumericCharacterAndOddNumericGroups() throws {
        let all = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
        var writer = TestBitstreamWriter()
        writer.alphanumeric(all)
        writer.numeric("9")
        writer.numeric("05")
        writer.numeric("000999")
        let content = try BitstreamDecoder.decode(writer.codewords(), version: 1)
        #expect(content.text == all + "9" + "05" + "000999")
        #expect(content.segments.map(\.characterCount) == [45, 1, 2, 6])
    }

    @Test(arguments: [(1, 10, 9, 8, 8), (9, 10, 9, 8, 8), (10, 12, 11, 16, 10), (26, 12, 11, 16, 10), (27, 14, 13, 16, 12), (40, 14, 13, 16, 12)])
    func characterCountWidthsFollowVersionClass(version: Int, numericBits: Int, alphanumericBits: Int, byteBits: Int, kanjiBits: Int) throws {
        var writer = TestBitstreamWriter()
        writer.numeric("123", countBits: numericBits)
        writer.alphanumeric("AB", countBits: alphanumericBits)
        writer.byte([0x61], countBits: byteBits)
        writer.kanji([0x82, 0xA0], countBits: kanjiBits)
        writer.hanzi([0xD6, 0xD0], countBits: kanjiBits)
        let content = try BitstreamDecoder.decode(writer.codewords(), version: version)
        #expect(content.text == "123ABaあ中")
        #expect([SegmentMode.numeric, .alphanumeric, .byte, .kanji, .hanzi, .eci].map { $0.characterCountBits(version: version) }
            == [numericBits, alphanumericBits, byteBits, kanjiBits, kanjiBits, 0])
        #expect(content.bytes == Array("123ABa".utf8) + [0x82, 0xA0, 0xD6, 0xD0])
    }

    @Test func byteModeWithoutECIGuessesUTF8ThenShiftJISThenLatin1() throws {
        func decodeBytes(_ bytes: [UInt8]) throws -> String {
            var writer = TestBitstreamWriter()
            writer.byte(bytes)
            return try BitstreamDecoder.decode(writer.codewords(), version: 2).text
        }
        #expect(try decodeBytes(Array("Grüße, 奶粉".utf8)) == "Grüße, 奶粉")
        #expect(try decodeBytes(Array("デザインQR入り".utf8)) == "デザインQR入り")  // UTF-8 Japanese, also valid Shift_JIS
        #expect(try decodeBytes([0x93, 0xFA, 0x96, 0x7B]) == "日本")  // Shift_JIS, invalid as UTF-8
        // Half-width katakana only: "ﾃﾞｻﾞｲﾝQR" would be "ÃÞ»Þ²ÝQR" in Latin-1.
        #expect(try decodeBytes([0xC3, 0xDE, 0xBB, 0xDE, 0xB2, 0xDD, 0x51, 0x52]) == "ﾃﾞｻﾞｲﾝQR")
        #expect(try decodeBytes([0x47, 0x72, 0xFC, 0xDF, 0x65]) == "Grüße")  // Latin-1: 0xFC 0xDF is no Shift_JIS pair
        // "Café résumé": 0xE9 0x20 is no Shift_JIS pair.
        #expect(try decodeBytes([0x43, 0x61, 0x66, 0xE9, 0x20, 0x72, 0xE9, 0x73, 0x75, 0x6D, 0xE9]) == "Café résumé")
        // "Les étés" is valid Shift_JIS (two rare kanji 騁駸), but two in a row prove nothing.
        #expect(try decodeBytes([0x4C, 0x65, 0x73, 0x20, 0xE9, 0x74, 0xE9, 0x73]) == "Les étés")
        // Valid Shift_JIS, but too few half-width katakana in a row: Latin-1 wins.
        #expect(try decodeBytes([0xC4, 0xD6]) == "ÄÖ")
        #expect(try decodeBytes(Array("Aptamil".utf8) + [0xAE]) == "Aptamil®")
        // Valid Shift_JIS ("\0あ") but a NUL says binary: one character per byte.
        #expect(try decodeBytes([0x00, 0x82, 0xA0]) == "\u{0}\u{82}\u{A0}")
    }

    /// Expected texts of zxing-cpp's test images qrcode-2/16, 17, 18 and 26 (photos of codes
    /// that carry Shift_JIS without an ECI), as Shift_JIS bytes from Python's codec.
    @Test(arguments: [
        ([0x5B, 0x93, 0xE0, 0x91, 0xA4, 0x51, 0x52, 0x83, 0x52, 0x81, 0x5B, 0x83, 0x68, 0x5D, 0x0D, 0x0A, 0x0D, 0x0A,
          0x2A, 0x83, 0x5F, 0x83, 0x75, 0x83, 0x8B, 0x51, 0x52, 0x2A, 0x0D, 0x0A] as [UInt8],
         "[内側QRコード]\r\n\r\n*ダブルQR*\r\n"),
        ([0xC3, 0xDE, 0xBB, 0xDE, 0xB2, 0xDD, 0x51, 0x52, 0x0D, 0x0A], "ﾃﾞｻﾞｲﾝQR\r\n"),
        ([0x2A, 0xC3, 0xDE, 0xBB, 0xDE, 0xB2, 0xDD, 0x51, 0x52, 0x2A, 0x20, 0x20, 0x20, 0x20, 0x20, 0x0D, 0x0A], "*ﾃﾞｻﾞｲﾝQR*     \r\n"),
        ([0x3C, 0xC3, 0xDE, 0xBB, 0xDE, 0xB2, 0xDD, 0x51, 0x52, 0x3E, 0x20, 0x0D, 0x0A, 0xB2, 0xD7, 0xBD, 0xC4, 0x93,
          0xFC, 0x82, 0xE8, 0xB6, 0xD7, 0xB0, 0x51, 0x52, 0xBA, 0xB0, 0xC4, 0xDE, 0x0D, 0x0A],
         "<ﾃﾞｻﾞｲﾝQR> \r\nｲﾗｽﾄ入りｶﾗｰQRｺｰﾄﾞ\r\n"),
    ])
    func shiftJISWithoutECIFromPhotos(firstLines: [UInt8], expected: String) throws {
        let url = Array("http://d-qr.net/ex/".utf8)
        var writer = TestBitstreamWriter()
        writer.byte(firstLines + url)
        #expect(try BitstreamDecoder.decode(writer.codewords(), version: 4).text == expected + "http://d-qr.net/ex/")

        // The same bytes split in two segments at every position, even inside a character.
        for split in 1 ..< firstLines.count {
            var parts = TestBitstreamWriter()
            parts.byte(Array(firstLines[..<split]))
            parts.byte(Array(firstLines[split...]) + url)
            let content = try BitstreamDecoder.decode(parts.codewords(), version: 4)
            #expect(content.text == expected + "http://d-qr.net/ex/", "split at \(split)")
        }
    }

    @Test func oneGuessForAllByteSegmentsAndSplitCharactersStayWhole() throws {
        // 入 (0x93 0xFC) split between two byte segments: its text goes to the first.
        var split = TestBitstreamWriter()
        split.byte([0xB2, 0xD7, 0xBD, 0xC4, 0x93])
        split.byte([0xFC, 0x82, 0xE8])
        let splitContent = try BitstreamDecoder.decode(split.codewords(), version: 1)
        #expect(splitContent.segments.map(\.text) == ["ｲﾗｽﾄ入", "り"])

        // "ｶﾞ" alone reads as Latin-1 "¶Þ"; beside 内 it is katakana.
        var separate = TestBitstreamWriter()
        separate.byte([0x93, 0xE0])
        separate.numeric("2")
        separate.byte([0xB6, 0xDE])
        #expect(try BitstreamDecoder.decode(separate.codewords(), version: 1).text == "内2ｶﾞ")
        var alone = TestBitstreamWriter()
        alone.byte([0xB6, 0xDE])
        #expect(try BitstreamDecoder.decode(alone.codewords(), version: 1).text == "¶Þ")

        // A Kanji segment marks the encoder as Japanese.
        var withKanji = TestBitstreamWriter()
        withKanji.byte([0xB6, 0xDE])
        withKanji.kanji([0x93, 0xFC])
        #expect(try BitstreamDecoder.decode(withKanji.codewords(), version: 1).text == "ｶﾞ入")

        // UTF-8 "é" split between segments.
        var utf8 = TestBitstreamWriter()
        utf8.byte([0x63, 0x61, 0x66, 0xC3])
        utf8.byte([0xA9])
        #expect(try BitstreamDecoder.decode(utf8.codewords(), version: 1).segments.map(\.text) == ["café", ""])
    }

    @Test func guessWeighsAllRunsTogether() {
        // Each run must decode on its own: 0xFF is never Shift_JIS, so 日 goes too.
        #expect(ByteTextGuess.encoding(for: [[0x93, 0xFA], [0xFF]], hasKanjiSegment: false) == .iso8859(1))
        #expect(ByteTextGuess.encoding(for: [[0x93, 0xFA], [0xB6]], hasKanjiSegment: false) == .shiftJIS)
        // Katakana runs do not bridge a segment of another mode: two and one are no evidence.
        #expect(ByteTextGuess.encoding(for: [[0xB6, 0xDE], [0xB6]], hasKanjiSegment: false) == .iso8859(1))
        #expect(ByteTextGuess.encoding(for: [[0xB6, 0xDE], [0xB6]], hasKanjiSegment: true) == .shiftJIS)
        #expect(ByteTextGuess.encoding(for: [Array("plain".utf8)], hasKanjiSegment: true) == .utf8)
    }

    @Test func defaultEncodingCharacterSplitBetweenSegments() throws {
        // U+0080 is the GB18030 four-byte code 81 30 81 30; here split after its second byte.
        var writer = TestBitstreamWriter()
        writer.byte([0x41, 0x81, 0x30])
        writer.byte([0x81, 0x30, 0x42])
        let content = try BitstreamDecoder.decode(writer.codewords(), version: 1, defaultEncoding: .gb18030)
        #expect(content.segments.map(\.text) == ["A\u{80}", "B"])
    }

    @Test func defaultEncodingReplacesTheGuessUntilAnECI() throws {
        let gbk: [UInt8] = [0xC4, 0xCC, 0xB7, 0xDB]  // 奶粉 in GB2312
        func codewords(_ second: [UInt8]) -> [UInt8] {
            var writer = TestBitstreamWriter()
            writer.byte(gbk)
            writer.numeric("1")
            writer.byte(second)
            writer.eci(26)
            writer.byte(Array("é".utf8))
            return writer.codewords()
        }
        #expect(try BitstreamDecoder.decode(codewords(gbk), version: 1, defaultEncoding: .gb18030).text == "奶粉1奶粉é")
        // Without the hint the guess cannot know GB2312, whose bytes here read as half-width katakana.
        #expect(try BitstreamDecoder.decode(codewords(gbk), version: 1).text == "ﾄﾌｷﾛ1ﾄﾌｷﾛé")
        // One segment not GB18030: the guess (Latin-1) applies to all.
        #expect(try BitstreamDecoder.decode(codewords([0xFF]), version: 1, defaultEncoding: .gb18030).text == "ÄÌ·Û1ÿé")
    }

    @Test func mixedSegmentsKeepTheirModes() throws {
        var writer = TestBitstreamWriter()
        writer.alphanumeric("LOT ")
        writer.numeric("20261126")
        writer.byte(Array("/x".utf8))
        writer.kanji([0x93, 0x5F, 0xE4, 0xAA])  // ISO 18004 §7.4.6: 点茗
        let content = try BitstreamDecoder.decode(writer.codewords(capacity: 44), version: 2)
        #expect(content.text == "LOT 20261126/x点茗")
        #expect(content.segments.map(\.mode) == [.alphanumeric, .numeric, .byte, .kanji])
        #expect(content.segments.map(\.characterCount) == [4, 8, 2, 2])
        #expect(content.segments[3].bytes == [0x93, 0x5F, 0xE4, 0xAA])
    }

    @Test func kanjiUpperRangeAndHanziBothRanges() throws {
        var writer = TestBitstreamWriter()
        writer.kanji([0xE0, 0x40, 0x88, 0x9F])  // 漾 亜
        writer.hanzi([0xA1, 0xA2, 0xB0, 0xA1, 0xF7, 0xFE])  // 、 啊 齄
        let content = try BitstreamDecoder.decode(writer.codewords(), version: 1)
        #expect(content.text == "漾亜、啊齄")
        #expect(content.segments.map(\.mode) == [.kanji, .hanzi])
    }

    @Test func eciSwitchesTheByteEncodingMidMessage() throws {
        var writer = TestBitstreamWriter()
        writer.byte(Array("a".utf8))
        writer.eci(26)
        writer.byte(Array("é".utf8))
        writer.eci(7)  // ISO-8859-5
        writer.byte([0xBF, 0xE0, 0xD8])
        writer.numeric("42")  // numeric stays ASCII whatever the ECI
        writer.eci(20)
        writer.byte([0x93, 0xFA])
        let content = try BitstreamDecoder.decode(writer.codewords(), version: 3)
        #expect(content.text == "aéПри42日")
        #expect(content.ecis == [26, 7, 20])
        #expect(content.symbologyIdentifier == "]Q2")
        #expect(content.segments.map(\.eci) == [nil, 26, 26, 7, 7, 7, 20, 20])
        #expect(content.segments.map(\.mode) == [.byte, .eci, .byte, .eci, .byte, .numeric, .eci, .byte])
    }

    @Test func eciDesignatorsOfTwoAndThreeBytes() throws {
        var writer = TestBitstreamWriter()
        writer.write("0111 10000000 00011010")  // ECI 26 in the two-byte form
        writer.byte(Array("ü".utf8))
        writer.write("0111 11000000 00000000 00011011")  // ECI 27 in the three-byte form
        writer.byte(Array("ok".utf8))
        let content = try BitstreamDecoder.decode(writer.codewords(), version: 1)
        #expect(content.text == "üok")
        #expect(content.ecis == [26, 27])
    }

    @Test func eciErrors() {
        var unsupported = TestBitstreamWriter()
        unsupported.eci(899)
        unsupported.byte([0xFF])
        #expect(throws: BitstreamError.unsupportedECI(899)) { try BitstreamDecoder.decode(unsupported.codewords(), version: 1) }

        var malformed = TestBitstreamWriter()
        malformed.write("0111 11100000")
        #expect(throws: BitstreamError.invalidECIDesignator(firstByte: 0xE0)) {
            try BitstreamDecoder.decode(malformed.codewords(), version: 1)
        }

        var badUTF8 = TestBitstreamWriter()
        badUTF8.eci(26)
        badUTF8.byte([0xC3, 0x28])
        #expect(throws: BitstreamError.invalidText(encoding: "UTF-8", eci: 26)) {
            try BitstreamDecoder.decode(badUTF8.codewords(), version: 1)
        }
    }

    @Test func fnc1FirstTurnsPercentIntoGroupSeparator() throws {
        var writer = TestBitstreamWriter()
        writer.write(0b0101, 4)
        writer.numeric("01095011010209")
        writer.alphanumeric("10AB%%1%21X")
        writer.byte(Array("a%\u{1D}b".utf8))  // byte mode: `%` and GS pass as they are
        let content = try BitstreamDecoder.decode(writer.codewords(), version: 2)
        #expect(content.fnc1 == .first)
        #expect(content.symbologyIdentifier == "]Q3")
        #expect(content.text == "0109501101020910AB%1\u{1D}21Xa%\u{1D}b")
        #expect(content.segments.map(\.mode) == [.fnc1First, .numeric, .alphanumeric, .byte])
        #expect(content.segments[2].characterCount == 11)

        var withECI = TestBitstreamWriter()
        withECI.eci(26)
        withECI.write(0b0101, 4)
        withECI.alphanumeric("A%B")
        let eciContent = try BitstreamDecoder.decode(withECI.codewords(), version: 1)
        #expect(eciContent.text == "A\u{1D}B")
        #expect(eciContent.symbologyIdentifier == "]Q4")
    }

    @Test func percentIsLiteralWithoutFNC1() throws {
        var writer = TestBitstreamWriter()
        writer.alphanumeric("5%%")
        #expect(try BitstreamDecoder.decode(writer.codewords(), version: 1).text == "5%%")
    }

    @Test(arguments: [(37, "37"), (5, "05"), (165, "A"), (190, "Z"), (197, "a"), (222, "z")])
    func fnc1SecondApplicationIndicator(value: Int, indicator: String) throws {
        var writer = TestBitstreamWriter()
        writer.write(0b1001, 4)
        writer.write(value, 8)
        writer.alphanumeric("AB%C")
        let content = try BitstreamDecoder.decode(writer.codewords(), version: 1)
        #expect(content.fnc1 == .second(applicationIndicator: indicator))
        #expect(content.symbologyIdentifier == "]Q5")
        #expect(content.text == "AB\u{1D}C")
    }

    @Test func fnc1SecondWithECIAndInvalidIndicator() throws {
        var writer = TestBitstreamWriter()
        writer.eci(3)
        writer.write("1001 00100101")
        writer.byte([0xE9])
        let content = try BitstreamDecoder.decode(writer.codewords(), version: 1)
        #expect(content.symbologyIdentifier == "]Q6")
        #expect(content.text == "é")

        for invalid in [100, 164, 191, 196, 223, 255] {
            var bad = TestBitstreamWriter()
            bad.write(0b1001, 4)
            bad.write(invalid, 8)
            #expect(throws: BitstreamError.invalidApplicationIndicator(invalid)) {
                try BitstreamDecoder.decode(bad.codewords(), version: 1)
            }
        }
    }

    @Test func terminatorMayBeShortOrAbsent() throws {
        // 4 + 8 + 16 = 28 bits of data in 4 codewords: the 4 bits left are a terminator.
        var writer = TestBitstreamWriter()
        writer.byte([0x41, 0x40])
        #expect(try BitstreamDecoder.decode(writer.codewords(terminate: false), version: 1).text == "A@")

        // 4 + 10 + 7 = 21 bits in 3 codewords: the 3 bits left cannot hold a mode indicator.
        var short = TestBitstreamWriter()
        short.numeric("12")
        let codewords = short.codewords(terminate: false)
        #expect(codewords.count == 3)
        #expect(try BitstreamDecoder.decode(codewords, version: 1).text == "12")

        #expect(try BitstreamDecoder.decode([], version: 1).text == "")
        #expect(try BitstreamDecoder.decode([0x00, 0xEC, 0x11], version: 1).segments.isEmpty)
    }

    @Test func corruptStreamsThrowActionableErrors() {
        func decode(_ build: (inout TestBitstreamWriter) -> Void, version: Int = 1, terminate: Bool = true) throws(BitstreamError) {
            var writer = TestBitstreamWriter()
            build(&writer)
            _ = try BitstreamDecoder.decode(writer.codewords(terminate: terminate), version: version)
        }
        #expect(throws: BitstreamError.invalidVersion(41)) { try decode({ $0.numeric("1") }, version: 41) }
        #expect(throws: BitstreamError.invalidVersion(0)) { try decode({ $0.numeric("1") }, version: 0) }
        // Count 9 digits needs 30 bits; only 10 follow.
        #expect(throws: BitstreamError.truncatedSegment(mode: .numeric, neededBits: 30, availableBits: 10)) {
            try decode({ $0.write("0001 0000001001 0000000001") }, terminate: false)
        }
        #expect(throws: BitstreamError.truncatedSegment(mode: .byte, neededBits: 80, availableBits: 12)) {
            try decode({ $0.write("0100 00001010 00000001") }, terminate: false)
        }
        #expect(throws: BitstreamError.invalidNumericDigits(value: 1000, digits: 3)) {
            try decode { $0.write("0001 0000000011 1111101000") }
        }
        #expect(throws: BitstreamError.invalidNumericDigits(value: 100, digits: 2)) {
            try decode { $0.write("0001 0000000010 1100100") }
        }
        #expect(throws: BitstreamError.invalidNumericDigits(value: 10, digits: 1)) {
            try decode { $0.write("0001 0000000001 1010") }
        }
        #expect(throws: BitstreamError.invalidAlphanumeric(value: 2025)) {
            try decode { $0.write(0b0010, 4); $0.write(2, 9); $0.write(2025, 11) }
        }
        #expect(throws: BitstreamError.invalidAlphanumeric(value: 45)) {
            try decode { $0.write(0b0010, 4); $0.write(1, 9); $0.write(45, 6) }
        }
        #expect(throws: BitstreamError.unknownMode(0b0110)) { try decode { $0.write("0110 1111") } }
        #expect(throws: BitstreamError.invalidKanji(value: 0x1FFF)) {
            try decode { $0.write(0b1000, 4); $0.write(1, 8); $0.write(0x1FFF, 13) }
        }
        #expect(throws: BitstreamError.invalidHanzi(value: 0x1FFF)) {
            try decode { $0.write("1101 0001"); $0.write(1, 8); $0.write(0x1FFF, 13) }
        }
        #expect(throws: BitstreamError.unsupportedHanziSubset(2)) { try decode { $0.write("1101 0010") } }
        #expect(throws: BitstreamError.misplacedStructuredAppend) {
            try decode { $0.numeric("1"); $0.structuredAppend(index: 0, total: 2, parity: 0) }
        }
        #expect(throws: BitstreamError.misplacedStructuredAppend) {
            try decode { $0.structuredAppend(index: 0, total: 2, parity: 0); $0.structuredAppend(index: 1, total: 2, parity: 0) }
        }
        #expect(throws: BitstreamError.misplacedFNC1) { try decode { $0.byte([0x41]); $0.write("0101") } }
        #expect(throws: BitstreamError.misplacedFNC1) { try decode { $0.alphanumeric("A"); $0.write("1001 00000001") } }
    }

    @Test func hostileInputNeverCrashes() {
        // A cheap linear congruential generator keeps the streams reproducible.
        var state: UInt32 = 12345
        var decoded = 0, rejected = 0
        for round in 0..<400 {
            var codewords: [UInt8] = []
            for _ in 0 ..< round % 40 {
                state = state &* 1_664_525 &+ 1_013_904_223
                codewords.append(UInt8(truncatingIfNeeded: state >> 24))
            }
            do {
                _ = try BitstreamDecoder.decode(codewords, version: round % 40 + 1)
                decoded += 1
            } catch {
                rejected += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(decoded + rejected == 400)
        #expect(rejected > 0)
    }

    @Test func errorDescriptionsSayWhatHappened() {
        #expect(BitstreamError.truncatedSegment(mode: .byte, neededBits: 80, availableBits: 12).description.contains("byte segment needs 80 bits"))
        #expect(BitstreamError.missingParts([1, 3]).description.contains("parts 2, 4 are missing"))
    }
}
