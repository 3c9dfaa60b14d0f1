import Testing
@testable import QRCode

/// Encode → render → read: the reader must return exactly the encoded content, for every
/// version and level, in every quarter turn and mirrored.
@Suite struct ReaderRoundTripTests {
    static let payloads = [
        "https://gen.example/01/09501101530003/10/LOT42/21/8K2P9QX7RZ4M?17=271231",
        "0123456789012345678901234567890123456789",
        "HELLO WORLD $%*+-./: 42",
        "Säuglingsnahrung – 婴儿配方奶粉 – 粉ミルク ✓",
    ]

    static func read(_ image: GrayImage) -> [DecodedSymbol] {
        var options = ReaderOptions()
        options.maxSymbols = 1
        return QRReader.read(image, options: options).symbols
    }

    @Test(arguments: 1...40)
    func everyVersionAndLevel(version: Int) throws {
        for (k, level) in ErrorCorrectionLevel.allCases.enumerated() {
            let text = Self.payloads[(version + k) % Self.payloads.count]
            let options = EncodeOptions(level: level, minimumVersion: version, maximumVersion: 40, mask: (version + k) % 8)
            let symbol = try QREncoder.encode(text, options: options)
            let image = SymbolRenderer.render(symbol.matrix, moduleSize: version < 10 ? 3 : 2)
            let found = Self.read(image)
            #expect(found.count == 1, "v\(version)-\(level): nothing read")
            guard let s = found.first else { continue }
            #expect(s.text == text)
            #expect(s.version == symbol.version.number)
            #expect(s.level == level)
            #expect(s.mask == symbol.mask)
            #expect(s.correctedErrors == 0)
            #expect(!s.isMirrored)
        }
    }

    @Test(arguments: [1, 2, 7, 15, 25])
    func quarterTurnsAndMirror(version: Int) throws {
        let text = Self.payloads[version % Self.payloads.count]
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .Q, minimumVersion: version))
        let upright = SymbolRenderer.render(symbol.matrix, moduleSize: 3)
        for mirrored in [false, true] {
            let base = mirrored ? upright.mirrored() : upright
            for turns in 0..<4 {
                let found = Self.read(base.rotated(quarterTurns: turns))
                #expect(found.map(\.text) == [text], "v\(version) turns \(turns) mirrored \(mirrored)")
                #expect(found.first?.isMirrored == mirrored)
                // Corners come back in symbol order whatever the orientation: the top-left
                // corner is the one nearest the top-left finder in the encoded matrix.
                if let s = found.first, !mirrored {
                    let w = Double(base.rotated(quarterTurns: turns).width)
                    let expected: Point = [Point(x: 12, y: 12), Point(x: w - 12, y: 12), Point(x: w - 12, y: w - 12), Point(x: 12, y: w - 12)][turns]
                    #expect(s.corners[0].distance(to: expected) < 3, "top-left corner at \(s.corners[0]), expected \(expected)")
                }
            }
        }
    }

    @Test func invertedSymbol() throws {
        let symbol = try QREncoder.encode("INVERTED 123", options: EncodeOptions(level: .M))
        let image = SymbolRenderer.render(symbol.matrix, moduleSize: 4, dark: 255, light: 0)
        let found = Self.read(image)
        #expect(found.map(\.text) == ["INVERTED 123"])
        #expect(found.first?.isInverted == true)
    }

    @Test func gs1SymbolCarriesSymbologyIdentifier() throws {
        let text = "0109501101530003\u{1D}10LOT42"
        let symbol = try QREncoder.encode(text, options: EncodeOptions(gs1: true))
        let found = Self.read(SymbolRenderer.render(symbol.matrix, moduleSize: 4))
        #expect(found.first?.text == text)
        #expect(found.first?.symbologyIdentifier == "]Q3")
    }

    @Test func damageWithinCapacityIsCorrected() throws {
        let text = "DAMAGE TEST 0123456789"
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .H, minimumVersion: 5))
        // Flip a 5×5 block in the data area: at most a handful of codewords.
        var m = symbol.matrix
        for y in 20..<25 { for x in 20..<25 { m.flip(x: x, y: y) } }
        let found = Self.read(SymbolRenderer.render(m, moduleSize: 4))
        #expect(found.first?.text == text)
        #expect((found.first?.correctedErrors ?? 0) > 0)
    }

    @Test func blankAndNoiseImagesHoldNothing() {
        #expect(Self.read(GrayImage(width: 200, height: 150, fill: 255)).isEmpty)
        #expect(Self.read(GrayImage(width: 200, height: 150, fill: 0)).isEmpty)
        var state: UInt64 = 42
        var pixels = [UInt8](repeating: 0, count: 300 * 300)
        for i in pixels.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        #expect(Self.read(GrayImage(width: 300, height: 300, pixels: pixels)).isEmpty)
        #expect(Self.read(GrayImage(width: 5, height: 5, fill: 0)).isEmpty)
        #expect(Self.read(GrayImage(width: 0, height: 0)).isEmpty)
    }
}
