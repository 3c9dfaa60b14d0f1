import Testing
import QRCode
import Scenes

/// A small code in a large photo full of finder-like print: the print is seen at the coarse
/// pyramid levels and its triples fail there, and the code, too small to show at those levels,
/// must still be searched for at the full resolution.
@Suite struct ClutteredPhotoTests {
    static let text = "https://gen.example/01/09501101530003/10/LOT42/21/8K2P9QX7RZ4M?17=271231"

    /// The clutter ladder's photo at `megapixels`, with a code of 1.5 pixels per module (drawn at
    /// 3 and halved) pasted at (`x`, `y`).
    static func photo(megapixels: Double, x: Int, y: Int) throws -> GrayImage {
        let scene = try #require(StressSet.clutterLadder(megapixels: [megapixels]).first)
        var photo = SceneRenderer.render(scene.spec)
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .M))
        let code = SymbolRenderer.render(symbol.matrix, moduleSize: 3, dark: 30, light: 200).downscaled(by: 2)
        for cy in 0..<code.height { for cx in 0..<code.width { photo[x + cx, y + cy] = code[cx, cy] } }
        return photo
    }

    @Test func smallCodeAmongFinderLikePrintReads() throws {
        let photo = try Self.photo(megapixels: 6, x: 2100, y: 1600)
        #expect(QRReader.read(photo).symbols.map(\.text) == [Self.text])
    }
}
