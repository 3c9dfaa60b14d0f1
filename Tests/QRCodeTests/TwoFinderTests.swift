import Testing
@testable import QRCode

/// A symbol whose third finder is gone (scratched off, under glare, torn) is read from the two
/// that remain: the third is placed where a square symbol puts it.
@Suite struct TwoFinderTests {
    static let text = "https://gen.example/01/09501101530003/10/LOT42/21/8K2P9QX7RZ4M?17=271231"

    /// The symbol at 4 px per module on a larger light page, one finder (with its separator)
    /// painted over in paper white, and a dark block beside it so the page is not one bare
    /// symbol (which the whole-image fallback would read without any finder).
    static func page(erasing finder: Int, version: Int) throws -> GrayImage {
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .H, minimumVersion: version))
        let code = SymbolRenderer.render(symbol.matrix, moduleSize: 4)
        let n = symbol.matrix.width
        var page = GrayImage(width: code.width + 160, height: code.height + 40, fill: 240)
        for y in 0..<code.height { for x in 0..<code.width { page[x + 20, y + 20] = code[x, y] == 0 ? 20 : 240 } }
        let (fx, fy) = [(0, 0), (n - 8, 0), (0, n - 8)][finder]
        for y in (fy + 4) * 4..<(fy + 12) * 4 { for x in (fx + 4) * 4..<(fx + 12) * 4 { page[x + 20, y + 20] = 240 } }
        for y in 40..<100 { for x in code.width + 60..<code.width + 140 { page[x, y] = 30 } }
        return page
    }

    @Test(arguments: [(0, 2), (1, 2), (2, 2), (0, 7), (1, 7), (2, 7)])
    func symbolWithOneFinderErasedReads(finder: Int, version: Int) throws {
        let found = QRReader.read(try Self.page(erasing: finder, version: version)).symbols
        #expect(found.map(\.text) == [Self.text], "finder \(finder) erased, version \(version)")
    }

    @Test func twoFindersWithNothingBetweenThemReadNothing() {
        // Two lone finder patterns on a blank page: no third is invented into a false read.
        var page = GrayImage(width: 200, height: 120, fill: 240)
        for (ox, oy) in [(20, 20), (120, 20)] {
            for y in 0..<28 { for x in 0..<28 {
                let ring = max(abs(x / 4 - 3), abs(y / 4 - 3))
                if ring != 2 { page[ox + x, oy + y] = 20 }
            } }
        }
        #expect(QRReader.read(page).symbols.isEmpty)
    }
}
