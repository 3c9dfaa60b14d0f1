import Testing
import QRCode
import Scenes

/// A small code in a large photo full of finder-like print: the print is seen at the coarse
/// pyramid levels and its triples fail there, and the code, too small to show at those levels,
/// must still be searched for at the full resolution.
@Suite struct ClutteredPhotoTests {
    static let text = "https://gen.example/01/09501101530003/10/LOT42/21/8K2P9QX7RZ4M?17=271231"

    /// The clutter ladder's photo at `megapixels`, with a code of 1.5 pixels per module (drawn at
    /// 3 and halved) pasted at (`x`, `y`); with `withoutBottomLeftFinder`, that finder and its
    /// separator are blank paper.
    static func photo(megapixels: Double, x: Int, y: Int, withoutBottomLeftFinder: Bool = false) throws -> GrayImage {
        let scene = try #require(StressSet.clutterLadder(megapixels: [megapixels]).first)
        var photo = SceneRenderer.render(scene.spec)
        var matrix = try QREncoder.encode(text, options: EncodeOptions(level: .M)).matrix
        if withoutBottomLeftFinder {
            for mx in 0..<8 { for my in (matrix.height - 8)..<matrix.height { matrix[mx, my] = false } }
        }
        let code = SymbolRenderer.render(matrix, moduleSize: 3, dark: 30, light: 200).downscaled(by: 2)
        for cy in 0..<code.height { for cx in 0..<code.width { photo[x + cx, y + cy] = code[cx, cy] } }
        return photo
    }

    @Test func smallCodeAmongFinderLikePrintReads() throws {
        let photo = try Self.photo(megapixels: 6, x: 2100, y: 1600)
        #expect(QRReader.read(photo).symbols.map(\.text) == [Self.text])
    }

    /// The same code seen through two finders: the pair must still be completed although the
    /// print's large finder-like squares are confirmed by far more scan lines than its finders.
    @Test func twoFinderSmallCodeAmongFinderLikePrintReads() throws {
        let photo = try Self.photo(megapixels: 3, x: 1300, y: 900, withoutBottomLeftFinder: true)
        #expect(QRReader.read(photo).symbols.map(\.text) == [Self.text])
    }
}
