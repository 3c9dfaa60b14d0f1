import Testing
@testable import QRCode

/// Unusual layouts: symbols drawn at one pixel per module with little or no quiet zone (generated
/// labels, crops), and a small code printed inside a big one.
@Suite struct SpecialLayoutTests {
    @Test(arguments: [1, 2, 5, 10])
    func onePixelPerModule(version: Int) throws {
        let text = "LOT 42 / unit \(version)"
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .M, minimumVersion: version))
        for quiet in [0, 1, 2] {
            let image = SymbolRenderer.render(symbol.matrix, moduleSize: 1, quietZone: quiet)
            let found = QRReader.read(image).symbols
            #expect(found.map(\.text) == [text], "v\(version), quiet zone \(quiet)")
        }
    }

    @Test func onePixelPerModuleInverted() throws {
        let symbol = try QREncoder.encode("light on dark", options: EncodeOptions(level: .M, minimumVersion: 3))
        let image = SymbolRenderer.render(symbol.matrix, moduleSize: 1, quietZone: 2, dark: 255, light: 0)
        let found = QRReader.read(image).symbols
        #expect(found.map(\.text) == ["light on dark"])
        #expect(found.first?.isInverted == true)
    }

    /// A version-40 symbol at one pixel per module with no quiet zone fills the image in every
    /// quarter turn; the finder search alone misses some turns (qrcode-5/17.png at 180°).
    @Test(arguments: [0, 1, 2, 3])
    func denseSymbolFillingTheImage(quarterTurns: Int) throws {
        let text = String(repeating: "Infant formula, lot 42, checked. ", count: 40)
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .L, minimumVersion: 40))
        let image = SymbolRenderer.render(symbol.matrix, moduleSize: 1, quietZone: 0).rotated(quarterTurns: quarterTurns)
        #expect(QRReader.read(image).symbols.map(\.text) == [text])
    }

    /// A noisy square with dark pixels in three corners is no whole-image symbol.
    @Test func noiseFillingTheImageIsNoSymbol() {
        var image = GrayImage(width: 61, height: 61)
        var state: UInt32 = 12345
        for i in 0..<image.pixels.count {
            state = state &* 1_103_515_245 &+ 12345
            image.pixels[i] = (state >> 16) & 1 == 0 ? 0 : 255
        }
        for (x, y) in [(0, 0), (60, 0), (0, 60)] { image.pixels[y * 61 + x] = 0 }
        #expect(QRReader.read(image).symbols.isEmpty)
    }

    /// A small code printed inside a big one (the "double QR"): both are read.
    @Test func smallCodeInsideBigOne() throws {
        let outer = try QREncoder.encode("outer code, error correction H", options: EncodeOptions(level: .H, minimumVersion: 6))
        let inner = try QREncoder.encode("inner code", options: EncodeOptions(level: .M, minimumVersion: 2))
        var image = SymbolRenderer.render(outer.matrix, moduleSize: 8)
        let small = SymbolRenderer.render(inner.matrix, moduleSize: 2, quietZone: 2)
        let ox = (image.width - small.width) / 2, oy = (image.height - small.height) / 2
        for y in 0..<small.height {
            for x in 0..<small.width { image.pixels[(oy + y) * image.width + ox + x] = small.pixels[y * small.width + x] }
        }
        let texts = Set(QRReader.read(image).symbols.map(\.text))
        #expect(texts == ["outer code, error correction H", "inner code"])
    }
}

/// A grid moved by a fraction of a module samples where the original grid would at the moved
/// module coordinates, for the single homography and for the per-cell grid alike.
@Suite struct ShiftedGridTests {
    @Test func shiftedGridSamplesMovedPoints() throws {
        let h = try #require(PerspectiveTransform(
            from: [Point(x: 0, y: 0), Point(x: 45, y: 0), Point(x: 45, y: 45), Point(x: 0, y: 45)],
            to: [Point(x: 10, y: 12), Point(x: 300, y: 30), Point(x: 290, y: 320), Point(x: 5, y: 280)]))
        let grid = SamplingGrid(dimension: 45, transform: h)
        let moved = grid.shifted(dx: 0.2, dy: -0.2)
        for (x, y) in [(3.5, 3.5), (22.5, 10.5), (40.5, 40.5)] {
            let a = moved.apply(x: x, y: y), b = grid.apply(x: x + 0.2, y: y - 0.2)
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9)
        }
    }
}
