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
