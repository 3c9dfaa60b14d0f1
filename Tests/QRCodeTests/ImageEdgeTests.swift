import Testing
@testable import QRCode

/// Reading a binary image at points beside its top and left edges: a conversion to `Int`
/// truncates toward zero, so a point half a pixel outside read as column or row 0, and a
/// finder touching the top or left edge measured a pixel longer walking outwards than one
/// touching the bottom or right edge. A borderless symbol then read at some quarter turns
/// only after hundreds of triples (version information misread from the wrong frame).
@Suite struct ImageEdgeTests {
    @Test func pointsOffTheImageAreLight() {
        let image = BinaryImage(width: 3, height: 2, bits: [1, 1, 1, 1, 1, 1])
        #expect(image.isDark(x: 0, y: 0))
        #expect(image.isDark(x: 2.9, y: 1.9))
        #expect(!image.isDark(x: -0.5, y: 0.5), "half a pixel left of column 0")
        #expect(!image.isDark(x: 0.5, y: -0.01))
        #expect(!image.isDark(x: 3, y: 0.5))
        #expect(!image.isDark(x: .nan, y: 0.5))
    }

    /// A finder in each corner of a borderless symbol is seven modules across whichever way
    /// the walk leaves the image.
    @Test func findersTouchingAnyEdgeMeasureSevenModules() throws {
        let symbol = try QREncoder.encode("EDGE", options: EncodeOptions(level: .M, minimumVersion: 2, maximumVersion: 2))
        let n = symbol.matrix.width
        for turns in 0..<4 {
            let image = SymbolRenderer.render(symbol.matrix, moduleSize: 1, quietZone: 0).rotated(quarterTurns: turns)
            let binary = Binarizer.otsu(image)
            let walker = LineWalker(image: binary)
            // The three finders of the turned symbol, in three of its four corners.
            let corners = [3.5, Double(n) - 3.5]
            let finders = FinderPatternFinder(image: binary).find().filter { corners.contains($0.center.x) && corners.contains($0.center.y) }
            #expect(finders.count == 3)
            for f in finders {
                for direction in [Point(x: 1, y: 0), Point(x: -1, y: 0), Point(x: 0, y: 1), Point(x: 0, y: -1)] {
                    let length = walker.finderLength(center: f.center, direction: direction, maxLength: 14)
                    #expect(length == 7, "turn \(turns), finder at \(f.center), towards \(direction)")
                }
            }
        }
    }

    /// A version 40 symbol printed edge to edge, one pixel per module (as in the test photos'
    /// qrcode-5): its first triple reads, with no error, at every quarter turn.
    @Test(arguments: 0..<4)
    func aBorderlessLargeSymbolReadsAtItsFirstTriple(turns: Int) throws {
        let text = String(repeating: "THROUGH THE LOOKING-GLASS ", count: 60)
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .L, minimumVersion: 40, maximumVersion: 40))
        let image = SymbolRenderer.render(symbol.matrix, moduleSize: 1, quietZone: 0).rotated(quarterTurns: turns)
        let result = QRReader.read(image)
        #expect(result.symbols.map(\.text) == [text])
        #expect(result.symbols.first?.errorsCorrected.reduce(0, +) == 0)
        #expect(result.statistics.triplesTried <= 2)
    }

    /// The Micro QR check of the diagnosis reads the grey image at module centres around a lone
    /// finder: one estimated half a pixel above the top edge is off the image, not row 0.
    @Test func microQRTimingAboveTheTopEdgeIsNotRead() {
        var m = BitMatrix(size: 11)
        for y in 0..<7 { for x in 0..<7 { m[x, y] = max(abs(x - 3), abs(y - 3)) != 2 } }
        for i in 8..<11 { m[i, 0] = i % 2 == 0; m[0, i] = i % 2 == 0 }
        let full = SymbolRenderer.render(m, moduleSize: 8, quietZone: 2)
        // The quiet zone and half the timing row above cut off: row 0 is the middle of the
        // timing row, and the finder's centre is at (44, 24).
        let cut = GrayImage(width: full.width, height: full.height - 20, pixels: Array(full.pixels[(20 * full.width)...]))
        func looks(centreY: Double) -> Bool {
            MicroQRCheck.looksLikeMicroQR(cut, finder: FinderPattern(center: Point(x: 44, y: centreY), moduleSize: 8, confirmations: 3))
        }
        // Timing row centre estimated at y = 0.5: on the image.
        #expect(looks(centreY: 24.5))
        // At y = -0.5: off it, so the timing row is not seen (it read row 0 before).
        #expect(!looks(centreY: 23.5))
    }
}
