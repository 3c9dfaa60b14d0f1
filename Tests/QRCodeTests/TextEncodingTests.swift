import Testing
@testable import QRCode

@Suite struct TextEncodingTests {
    /// Expected bytes come from Python's codecs, an independent implementation.
    @Test(arguments: [
        (TextEncoding.big5, "中文繁體", "a4a4a4e5c163c5e9"),
        (.eucKR, "한국어 가", "c7d1b1b9beee20b0a1"),
        (.cp437, "é╬▒ß", "82ceb1e1"),
        (.windows(1250), "Łódź", "a3f3649f"),
        (.windows(1251), "Привет", "cff0e8e2e5f2"),
        (.windows(1252), "€‰œŸ", "80899c9f"),
        (.windows(1256), "مرحبا", "e3d1cdc8c7"),
        (.iso8859(7), "Ελληνικά", "c5ebebe7ede9eadc"),
        (.iso8859(11), "ภาษาไทย", "c0d2c9d2e4b7c2"),
        (.iso8859(16), "Șș", "aaba"),
        (.iso8859(1), "Grüße", "4772fcdf65"),
        (.gb18030, "€中𠀀\u{80}", "a2e3d6d09532823681308130"),
        (.gb2312, "、啊齄中", "a1a2b0a1f7fed6d0"),
        (.shiftJIS, "点茗あｱ1", "935fe4aa82a0b131"),
        (.utf8, "奶粉 ✓", "e5a5b6e7b28920e29c93"),
        (.utf16BE, "A€𝄞", "004120acd834dd1e"),
        (.ascii, "QR-1", "51522d31"),
    ])
    func knownBytesDecodeAndEncode(encoding: TextEncoding, text: String, hex: String) {
        let hexDigits = Array(hex.utf8)
        let bytes = stride(from: 0, to: hexDigits.count, by: 2).map { UInt8(String(decoding: hexDigits[$0 ..< $0 + 2], as: UTF8.self), radix: 16) ?? 0 }
        #expect(encoding.decode(bytes) == text)
        #expect(encoding.encode(text) == bytes)
    }

    @Test func everySingleByteCodePageRoundTripsItsMappedBytes() {
        let pages: [TextEncoding] = (1...16).filter { $0 != 12 }.map(TextEncoding.iso8859) + [.cp437] + [1250, 1251, 1252, 1256].map(TextEncoding.windows)
        for page in pages {
            var mapped = 0
            for byte in 0...255 {
                guard let text = page.decode([UInt8(byte)]) else { continue }
                mapped += 1
                #expect(text.unicodeScalars.count == 1)
                #expect(page.encode(text) == [UInt8(byte)], "\(page.name) byte \(byte)")
            }
            #expect(mapped >= 200, "\(page.name) maps only \(mapped) bytes")
        }
    }

    @Test func doubleByteTablesRoundTripASample() {
        let samples: [(TextEncoding, String)] = [
            (.shiftJIS, "日本語のテキスト、①ｶﾀｶﾅ"), (.gb18030, "婴儿配方奶粉 ˊ㐀"), (.gb2312, "婴儿配方奶粉"),
            (.big5, "嬰兒配方奶粉"), (.eucKR, "분유 정품"),
        ]
        for (encoding, text) in samples {
            let bytes = encoding.encode(text)
            #expect(bytes != nil, "\(encoding.name) cannot encode \(text)")
            #expect(bytes.flatMap(encoding.decode) == text)
        }
    }

    /// Counts of mapped pairs from Python's codecs: a shifted or truncated table changes them.
    @Test(arguments: [
        (TextEncoding.shiftJIS, Array(0x81...0x9F) + Array(0xE0...0xFC), 0x40...0xFC, 9604),
        (.gb18030, Array(0x81...0xFE), 0x40...0xFE, 23940),
        (.gb2312, Array(0xA1...0xF7), 0xA1...0xFE, 8178),
        (.big5, Array(0xA1...0xF9), 0x40...0xFE, 13710),
        (.eucKR, Array(0xA1...0xFE), 0xA1...0xFE, 8225),
    ])
    func doubleByteTablesMapAsManyPairsAsPython(encoding: TextEncoding, leads: [Int], trails: ClosedRange<Int>, expected: Int) {
        var mapped = 0
        for lead in leads {
            for trail in trails where encoding.decode([UInt8(lead), UInt8(trail)])?.unicodeScalars.count == 1 { mapped += 1 }
        }
        #expect(mapped == expected)
    }

    @Test func gb18030FourByteBMPCodesMatchPythonCount() {
        var mapped = 0
        for b1 in 0x81...0x84 {
            for b2 in 0x30...0x39 {
                for b3 in 0x81...0xFE {
                    for b4 in 0x30...0x39 where TextEncoding.gb18030.decode([UInt8(b1), UInt8(b2), UInt8(b3), UInt8(b4)]) != nil {
                        mapped += 1
                    }
                }
            }
        }
        #expect(mapped == 39420)
    }

    @Test func invalidInputGivesNil() {
        #expect(TextEncoding.utf8.decode([0xC3]) == nil)
        #expect(TextEncoding.shiftJIS.decode([0x82]) == nil)
        #expect(TextEncoding.shiftJIS.decode([0xEB, 0x40]) == nil)
        #expect(TextEncoding.gb18030.decode([0x81, 0x30, 0x81]) == nil)
        #expect(TextEncoding.gb18030.decode([0x84, 0x31, 0xA5, 0x30]) == nil)  // past U+FFFF, before the supplementary planes
        #expect(TextEncoding.gb2312.decode([0x81, 0x40]) == nil)  // GB18030 but not GB2312
        #expect(TextEncoding.big5.decode([0xA4]) == nil)
        #expect(TextEncoding.windows(1252).decode([0x81]) == nil)
        #expect(TextEncoding.ascii.decode([0x80]) == nil)
        #expect(TextEncoding.utf16BE.decode([0xD8, 0x34]) == nil)
        #expect(TextEncoding.utf16BE.decode([0x00]) == nil)
        #expect(TextEncoding.iso8859(12).decode([0x41]) == nil)
        #expect(TextEncoding.iso8859(1).encode("€") == nil)
        #expect(TextEncoding.shiftJIS.encode("€") == nil)
        #expect(TextEncoding.gb2312.encode("𠀀") == nil)
        #expect(TextEncoding.eucKR.encode("ภาษา") == nil)
    }

    @Test func eciDesignatorsMapBothWays() {
        let expected: [Int: TextEncoding] = [
            0: .cp437, 1: .iso8859(1), 2: .cp437, 3: .iso8859(1), 4: .iso8859(2), 13: .iso8859(11), 15: .iso8859(13),
            18: .iso8859(16), 20: .shiftJIS, 21: .windows(1250), 22: .windows(1251), 23: .windows(1252),
            24: .windows(1256), 25: .utf16BE, 26: .utf8, 27: .ascii, 28: .big5, 29: .gb18030, 30: .eucKR,
        ]
        for (eci, encoding) in expected { #expect(TextEncoding.forECI(eci) == encoding, "ECI \(eci)") }
        for unsupported in [14, 19, 31, 170, 899, -1] { #expect(TextEncoding.forECI(unsupported) == nil) }
        for eci in [2, 3] + Array(4...13) + Array(15...18) + Array(20...30) {
            #expect(TextEncoding.forECI(eci)?.eci == eci, "ECI \(eci)")
        }
        #expect(TextEncoding.gb2312.eci == 29)
        #expect(TextEncoding.iso8859(12).eci == -1)
    }
}
