import Testing
@testable import QRCode

@Suite struct QREncoderTests {
    /// ISO/IEC 18004 Annex I: "01234567" at 1-M.
    @Test func annexIExample() throws {
        let symbol = try QREncoder.encode("01234567", options: EncodeOptions(level: .M))
        #expect(symbol.version.number == 1)
        #expect(symbol.segments.map(\.content) == [.numeric("01234567")])
        #expect(symbol.segments.first?.bitCount == 41)
        #expect(symbol.dataCodewords == [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
        #expect(Array(symbol.codewords.suffix(10)) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    /// What a reader would get back: format information from the matrix, codewords through
    /// the layout, blocks split again.
    func readBack(_ symbol: QRSymbol) -> (FormatInformation, [UInt8])? {
        let dim = symbol.matrix.width
        let positions = SymbolLayout.formatInformationPositions(dimension: dim)
        func word(_ points: [(x: Int, y: Int)]) -> UInt16 {
            points.reduce(0) { $0 << 1 | (symbol.matrix[$1.x, $1.y] ? 1 : 0) }
        }
        guard let version = QRVersion.forDimension(dim),
              let (format, distance) = FormatInformation.decode(word(positions.first), word(positions.second)),
              distance == 0 else { return nil }
        let codewords = SymbolLayout(version: version).readCodewords(from: symbol.matrix, mask: format.mask)
        let blocks = CodewordBlocks.deinterleave(codewords, version: version, level: format.level)
        return (format, blocks.flatMap { $0.codewords.prefix($0.data) })
    }

    @Test(arguments: [
        ("HELLO WORLD", ErrorCorrectionLevel.Q), ("https://example.com/tin/0123456789?lot=A7", .M),
        (String(repeating: "0123456789", count: 90), .H), ("Grüße aus Köln", .L),
        (String(repeating: "Ünïcödé ✓ ", count: 40), .M),
    ])
    func encodesWhatReadsBack(_ text: String, _ level: ErrorCorrectionLevel) throws {
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: level))
        let (format, data) = try #require(readBack(symbol))
        #expect(format == FormatInformation(level: level, mask: symbol.mask))
        #expect(data == symbol.dataCodewords)
        if symbol.version.number >= 7 {
            let positions = SymbolLayout.versionInformationPositions(dimension: symbol.matrix.width)
            let bits = positions.first.reduce(UInt32(0)) { $0 << 1 | (symbol.matrix[$1.x, $1.y] ? 1 : 0) }
            #expect(VersionInformation.decode(bits, nil)?.version == symbol.version.number)
        }
    }

    @Test func chosenMaskHasTheLowestPenalty() throws {
        let automatic = try QREncoder.encode("PENALTY TEST 12345", options: EncodeOptions(level: .L))
        let scores = try (0..<8).map { mask in
            MaskPenalty.score(try QREncoder.encode("PENALTY TEST 12345", options: EncodeOptions(level: .L, mask: mask)).matrix)
        }
        #expect(scores[automatic.mask] == scores.min())
        #expect(scores.firstIndex(of: scores.min() ?? 0) == automatic.mask)
    }

    @Test func explicitMaskIsApplied() throws {
        for mask in 0..<8 {
            #expect(try QREncoder.encode("MASK", options: EncodeOptions(mask: mask)).mask == mask)
        }
    }

    // MARK: - Segmentation

    static func singleModeBits(_ text: String, version: Int) -> [Int] {
        let bytes = Array(text.utf8)
        var result = [SegmentSpec.byte(bytes).bitCount(version: version)]
        if bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { result.append(SegmentSpec.numeric(text).bitCount(version: version)) }
        if bytes.allSatisfy({ $0 < 0x80 && alphanumericValue[Int($0)] >= 0 }) {
            result.append(SegmentSpec.alphanumeric(text).bitCount(version: version))
        }
        return result
    }

    func total(_ symbol: QRSymbol) -> Int { symbol.segments.reduce(0) { $0 + $1.bitCount } }

    @Test(arguments: [
        "ABCDEFGH123456789012345678901234abcdef", "lot 2024-06-17 / 00012345678905 exp 2026",
        "https://genuine.example/T/0123456789012345678901234567", "0000000000ABCDEFGHIJKLMNOPxyz0000000000000",
    ])
    func mixedInputBeatsEverySingleMode(_ text: String) throws {
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .L))
        let single = Self.singleModeBits(text, version: 1)
        #expect(symbol.segments.count > 1)
        #expect(single.allSatisfy { total(symbol) < $0 }, "\(total(symbol)) vs \(single)")
        // Segments must carry exactly the text.
        let carried = symbol.segments.flatMap { segment -> [UInt8] in
            switch segment.content {
            case .numeric(let s), .alphanumeric(let s): Array(s.utf8)
            case .byte(let b): b
            default: []
            }
        }
        #expect(carried == Array(text.utf8))
    }

    /// Against an exhaustive search over every mode assignment of short strings.
    @Test func segmentationIsOptimal() {
        let alphabet: [UInt8] = Array("0A1a%9".utf8)
        var generator = SplitMix(seed: 42)
        for _ in 0..<60 {
            let length = Int(generator.next() % 7) + 1
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            var input = SegmentationInput(gs1: false)
            for b in bytes { input.append(encoded: CollectionOfOne(b)) }
            let found = Segmentation.segments(for: input, version: 1).reduce(0) { $0 + $1.bitCount(version: 1) }
            #expect(found == Self.exhaustiveMinimum(bytes), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    static func exhaustiveMinimum(_ bytes: [UInt8]) -> Int {
        var best = Int.max
        var assignment = [Int](repeating: 0, count: bytes.count)
        func recurse(_ i: Int) {
            if i == bytes.count {
                var bits = 0, start = 0
                while start < bytes.count {
                    var end = start
                    while end < bytes.count && assignment[end] == assignment[start] { end += 1 }
                    let run = Array(bytes[start..<end])
                    let text = String(decoding: run, as: UTF8.self)
                    let segment: SegmentSpec = [.numeric(text), .alphanumeric(text), .byte(run)][assignment[start]]
                    bits += segment.bitCount(version: 1)
                    start = end
                }
                best = min(best, bits)
                return
            }
            for mode in 0..<3 {
                let b = bytes[i]
                if mode == 0 && !(b >= 0x30 && b <= 0x39) { continue }
                if mode == 1 && alphanumericValue[Int(b)] < 0 { continue }
                assignment[i] = mode
                recurse(i + 1)
            }
        }
        recurse(0)
        return best
    }

    @Test func versionClassChangesCountWidths() throws {
        // 1000 digits do not fit any version 1–9 at H; the 12-bit count of 10–26 applies.
        let symbol = try QREncoder.encode(String(repeating: "7", count: 1000), options: EncodeOptions(level: .H))
        #expect(symbol.version.number >= 10)
        #expect(symbol.segments.map(\.bitCount) == [4 + 12 + 3334])
    }

    // MARK: - Capacity

    @Test func capacityBoundaries() throws {
        // A fixed mask skips the penalty evaluation, which is slow in debug builds.
        let big = EncodeOptions(level: .L, minimumVersion: 40, mask: 0)
        #expect(try QREncoder.encode(bytes: [UInt8](repeating: 0xAB, count: 2953), options: big).version.number == 40)
        #expect(throws: QREncodingError.dataTooLong(bits: 4 + 16 + 2954 * 8, capacity: 2956 * 8)) {
            try QREncoder.encode(bytes: [UInt8](repeating: 0xAB, count: 2954), options: big)
        }
        #expect(try QREncoder.encode(String(repeating: "9", count: 7089), options: big).version.number == 40)
        #expect(throws: QREncodingError.self) { try QREncoder.encode(String(repeating: "9", count: 7090), options: big) }
        #expect(try QREncoder.encode(String(repeating: "Z", count: 4296), options: big).version.number == 40)
        #expect(throws: QREncodingError.self) { try QREncoder.encode(String(repeating: "Z", count: 4297), options: big) }
        // Far too long inputs are refused before segmentation.
        #expect(throws: QREncodingError.dataTooLong(bits: 3_333_334, capacity: 2956 * 8)) {
            try QREncoder.encode(bytes: [UInt8](repeating: 0x31, count: 1_000_000), options: EncodeOptions(level: .L))
        }
        // 1-H holds 17 digits, 2-H the 18th.
        #expect(try QREncoder.encode(String(repeating: "1", count: 17), options: EncodeOptions(level: .H)).version.number == 1)
        #expect(try QREncoder.encode(String(repeating: "1", count: 18), options: EncodeOptions(level: .H)).version.number == 2)
        #expect(throws: QREncodingError.self) {
            try QREncoder.encode(String(repeating: "1", count: 18), options: EncodeOptions(level: .H, maximumVersion: 1))
        }
    }

    @Test func boostLevelRaisesLevelWithinVersion() throws {
        let plain = try QREncoder.encode("BOOST", options: EncodeOptions(level: .L))
        let boosted = try QREncoder.encode("BOOST", options: EncodeOptions(level: .L, boostLevel: true))
        #expect(plain.level == .L && boosted.level == .H && boosted.version == plain.version)
    }

    @Test func invalidOptionsAreRejected() {
        #expect(throws: QREncodingError.invalidVersion(41)) { try QREncoder.encode("X", options: EncodeOptions(maximumVersion: 41)) }
        #expect(throws: QREncodingError.invalidVersion(5)) {
            try QREncoder.encode("X", options: EncodeOptions(minimumVersion: 5, maximumVersion: 4))
        }
        #expect(throws: QREncodingError.invalidMask(8)) { try QREncoder.encode("X", options: EncodeOptions(mask: 8)) }
        #expect(throws: QREncodingError.invalidECI(1_000_000)) { try QREncoder.encode("X", options: EncodeOptions(eci: 1_000_000)) }
        #expect(throws: QREncodingError.invalidSegmentContent(.numeric("12a"))) { try QREncoder.encode(segments: [.numeric("12a")]) }
        #expect(throws: QREncodingError.invalidSegmentContent(.alphanumeric("abc"))) { try QREncoder.encode(segments: [.alphanumeric("abc")]) }
        #expect(throws: QREncodingError.invalidSegmentContent(.kanji([0x41, 0x42]))) { try QREncoder.encode(segments: [.kanji([0x41, 0x42])]) }
        #expect(throws: QREncodingError.segmentTooLong(.byte([UInt8](repeating: 0, count: 300)), count: 300, maximum: 255)) {
            try QREncoder.encode(segments: [.byte([UInt8](repeating: 0, count: 300))], version: 9)
        }
        #expect(!QREncodingError.dataTooLong(bits: 10, capacity: 8).description.isEmpty)
    }

    // MARK: - Character sets, GS1, ECI

    @Test func latin1TextUsesByteModeWithoutECI() throws {
        let symbol = try QREncoder.encode("Grüße", options: EncodeOptions())
        #expect(symbol.segments.map(\.content) == [.byte([0x47, 0x72, 0xFC, 0xDF, 0x65])])
    }

    @Test func otherTextUsesUTF8WithECI26() throws {
        let symbol = try QREncoder.encode("→ ✓", options: EncodeOptions())
        #expect(symbol.segments.map(\.content) == [.eci(26), .byte(Array("→ ✓".utf8))])
        #expect(symbol.segments.first?.bitCount == 12)
    }

    @Test func forcedECI() throws {
        let symbol = try QREncoder.encode("abc", options: EncodeOptions(eci: 26))
        #expect(symbol.segments.map(\.content) == [.eci(26), .byte(Array("abc".utf8))])
        #expect(throws: QREncodingError.unencodableCharacter("✓", eci: 3)) { try QREncoder.encode("✓", options: EncodeOptions(eci: 3)) }
        // Designators of 128 and more take two or three bytes.
        let wide = try QREncoder.encode(segments: [.eci(200), .eci(20000), .byte([1])])
        #expect(wide.segments.map(\.bitCount) == [20, 28, 20])
    }

    @Test func gs1EscapesSeparatorsInAlphanumericMode() throws {
        let text = "01034531200000111719112510ABCD1234\u{1D}21ABC%DE"
        let symbol = try QREncoder.encode(text, options: EncodeOptions(gs1: true))
        let contents = symbol.segments.map(\.content)
        #expect(contents.first == .fnc1First)
        #expect(contents.contains(.alphanumeric("ABCD1234%21ABC%%DE")))
        let plain = try QREncoder.encode(text, options: EncodeOptions())
        #expect(!plain.segments.map(\.content).contains(.fnc1First))
    }

    @Test func kanjiTextUsesKanjiMode() throws {
        let symbol = try QREncoder.encode("漢字", options: EncodeOptions())
        #expect(symbol.segments.map(\.content) == [.kanji([0x8A, 0xBF, 0x8E, 0x9A])])
        #expect(symbol.segments.first?.bitCount == 4 + 8 + 26)
        let mixed = try QREncoder.encode("Grüße aus 東京都", options: EncodeOptions())
        #expect(mixed.segments.map(\.mode) == [.byte, .kanji])
        // A character outside ISO-8859-1 and JIS X 0208 brings in UTF-8; Kanji stay Kanji.
        let emoji = try QREncoder.encode("東京都千代田区 😀", options: EncodeOptions())
        #expect(emoji.segments.map(\.mode) == [.eci, .kanji, .byte])
    }

    /// Encoder output read back through layout, blocks and the bit stream decoder.
    @Test(arguments: [
        ("Säuglingsnahrung 800 g – Charge 2024/06 ✓", false), ("東京都千代田区1-1 ABC", false),
        ("0104012345678901\u{1D}10ABC%123\u{1D}17261231", true), ("plain ascii, lower case", false),
        (String(repeating: "3141592653", count: 30) + "PI", false), ("😀 emoji", false),
    ])
    func roundTripsThroughTheDecoder(_ text: String, _ gs1: Bool) throws {
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .Q, gs1: gs1))
        let (_, data) = try #require(readBack(symbol))
        let decoded = try BitstreamDecoder.decode(data, version: symbol.version.number)
        #expect(decoded.text == text)
        #expect(decoded.fnc1 == (gs1 ? .first : nil))
    }

    // MARK: - Rendering and penalty

    @Test func renderScalesAndAddsQuietZone() throws {
        let symbol = try QREncoder.encode("R", options: EncodeOptions())
        let image = SymbolRenderer.render(symbol.matrix, moduleSize: 3, quietZone: 2)
        #expect(image.width == (21 + 4) * 3 && image.height == image.width)
        #expect(image[0, 0] == 255 && image[6, 6] == 0 && image[8, 8] == 0)
        // Module (1, 1) is the light ring of the finder pattern.
        #expect(image[(2 + 1) * 3 + 1, (2 + 1) * 3 + 1] == 255)
        #expect(image.pixels.count { $0 == 0 } == symbol.matrix.darkCount * 9)
    }

    @Test func penaltyTermsOnKnownMatrices() {
        // All light 21×21: every row and column one run of 21 (19 points each), 20·20
        // 2×2 squares, no finder-like pattern, 0 % dark (k = 10).
        let light = MaskPenalty.components(BitMatrix(size: 21))
        #expect(light.n1 == 42 * 19 && light.n2 == 1200 && light.n3 == 0 && light.n4 == 100)
        // One row 1011101 0000 in an otherwise checkered 11×2 matrix.
        var m = BitMatrix(rows: ["#.###.#....", ".#.#.#.#.#."])
        let terms = MaskPenalty.components(m)
        #expect(terms.n3 == 40 && terms.n1 == 0 && terms.n2 == 0)
        // Light before the pattern lies beyond the edge, which counts as light.
        m.flip(x: 10, y: 0)
        #expect(MaskPenalty.components(m).n3 == 40)
        // Runs: 6 dark in the row (3 + 1); 7 dark in the column (3 + 2).
        #expect(MaskPenalty.components(BitMatrix(rows: ["######.#.#."])).n1 == 4)
        #expect(MaskPenalty.components(BitMatrix(rows: ["#", "#", "#", "#", "#", "#", "#"])).n1 == 5)
        // A 3×3 dark block in a checkerboard: 3·(3−1)·(3−1).
        let block = BitMatrix(rows: ["###.#.", "###.#.", "###.#.", ".#.#.#", "#.#.#."])
        #expect(MaskPenalty.components(block).n2 == 12)
        // 18 of 30 dark = 60 %: k = 2.
        #expect(MaskPenalty.components(block).n4 == 20)
    }
}

/// A small deterministic generator for test inputs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
