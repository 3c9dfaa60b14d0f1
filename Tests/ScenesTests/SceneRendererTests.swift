import Testing
import QRCode
@testable import Scenes

@Suite struct SceneRendererTests {
    static let text = "https://gen.example/01/09501101530003/10/LOT42/21/8K2P9QX7RZ4M?17=271231&s=q7Fz"

    func scene(seed: UInt64, size: Int = 270, moduleSize: Double = 3.5, configure: (inout PlacedCode) -> Void = { _ in }) throws -> SceneSpec {
        let symbol = try QREncoder.encode(Self.text).matrix
        var code = PlacedCode(symbol: symbol, center: Point(x: Double(size) / 2, y: Double(size) / 2), moduleSize: moduleSize, rotation: 23)
        configure(&code)
        return SceneSpec(width: size, height: size, clutter: Clutter(textLines: 4, boxes: 1), codes: [code],
                         blurSigma: 0.15, noise: 2, seed: seed)
    }

    @Test func sameSeedSamePixels() throws {
        var spec = try scene(seed: 42, size: 150, moduleSize: 2.5) { $0.tilt = Tilt(angle: 30, axis: 10); $0.cylinderRadius = 1 }
        spec.glare = Glare(center: Point(x: 70, y: 90), radius: 15, strength: 300)
        spec.shadow = Shadow(through: Point(x: 80, y: 80), angle: 30, factor: 0.4)
        spec.motionBlur = MotionBlur(length: 1, angle: 20)
        let first = SceneRenderer.render(spec)
        #expect(first == SceneRenderer.render(spec))
        spec.seed = 43
        #expect(first != SceneRenderer.render(spec))
    }

    /// Finder-like print at its own module size, not the code's: its squares' ink grows with the
    /// square of `finderModule`, and the code beside it still reads.
    @Test func finderLikePrintTakesItsOwnModuleSize() throws {
        var spec = try scene(seed: 5, size: 600)
        func ink(finderModule: Double?) -> Int {
            spec.clutter = Clutter(finderLikes: 6, finderModule: finderModule)
            var codeless = spec
            codeless.codes = []
            let image = SceneRenderer.render(codeless)
            return image.pixels.filter { $0 < 100 }.count
        }
        let coarse = ink(finderModule: 12), fine = ink(finderModule: 4)
        // Twelve against four pixels per module: nine times the ink, less what the frame cuts off.
        #expect(coarse > 5 * fine && fine > 0, "\(coarse) against \(fine)")
        #expect(ink(finderModule: nil) == fine, "a 150th of 600 px")
        spec.clutter = Clutter(finderLikes: 6, finderModule: 12)
        #expect(QRReader.read(SceneRenderer.render(spec)).symbols.map(\.text) == [Self.text])
    }
}

@Suite struct SceneDecodingTests {
    func decodedTexts(_ image: GrayImage) -> [String] { QRReader.read(image).symbols.map(\.text) }

    /// The stress set's busiest photos: twenty codes in a 4×5 grid, each tilted up to 40°. Codes
    /// in a grid make right-angled finder triples across neighbouring codes as well-shaped as the
    /// real ones; every code must still be read, and nothing else.
    @Test(arguments: StressSet.cases().filter { $0.category == "multiple" && $0.grade == 8 }.map(\.name))
    func twentyCodesInOnePhotoAllRead(name: String) throws {
        let stress = try #require(StressSet.cases().first { $0.name == name })
        let texts = decodedTexts(SceneRenderer.render(stress.spec))
        #expect(texts.count == 20)
        #expect(Set(texts) == Set(stress.expectedTexts))
    }

    /// Tilted 62°: the far finders shrink until the symbol's diagonal looks shorter than its
    /// sides, and the finders are sheared 40° off the lines between their centres. The top-left
    /// finder and the finder corners must come from the finders' own sides.
    @Test func stronglyTiltedCodeWhoseDiagonalLooksShortestReads() throws {
        let stress = try #require(StressSet.cases().first { $0.name == "perspective-g6-3" })
        #expect(decodedTexts(SceneRenderer.render(stress.spec)) == stress.expectedTexts)
    }

    @Test func flatTurnedCodeReads() throws {
        let spec = try SceneRendererTests().scene(seed: 1)
        #expect(decodedTexts(SceneRenderer.render(spec)) == [SceneRendererTests.text])
    }

    /// Odd in-plane angles, every quadrant: the finder search and geometry do not favour the axes.
    @Test(arguments: [7.0, 17, 33, 45, 61, 88, 104, 137, 166, 199, 222, 251, 283, 314, 347])
    func codeTurnedByAnyAngleReads(degrees: Double) throws {
        let spec = try SceneRendererTests().scene(seed: 3, size: 300) { $0.rotation = degrees }
        #expect(decodedTexts(SceneRenderer.render(spec)) == [SceneRendererTests.text], "\(degrees)°")
    }

    @Test func mildlyTiltedAndCurvedCodeReads() throws {
        let spec = try SceneRendererTests().scene(seed: 2, size: 320) {
            $0.tilt = Tilt(angle: 20, axis: 60)
            $0.cylinderRadius = 3
        }
        #expect(decodedTexts(SceneRenderer.render(spec)) == [SceneRendererTests.text])
    }

    /// Light modules on a dark label: turning the luminance over gives an ordinary code back.
    /// (Whether the reader finds it unaided is measured by the stress set, not asserted here.)
    @Test func invertedCodeIsTheCodeInNegative() throws {
        var spec = try SceneRendererTests().scene(seed: 3) { $0.inverted = true }
        spec.background.level = 50
        var image = SceneRenderer.render(spec)
        // The quiet zone is dark ink now: just outside the symbol, along its turned top edge.
        let quiet = 135 - Int(2 + 41.0 / 2 * 3.5)
        #expect(image[135, quiet] < 100)
        for i in image.pixels.indices { image.pixels[i] = 255 - image.pixels[i] }
        #expect(decodedTexts(image) == [SceneRendererTests.text])
    }

    @Test func finderLikeClutterAloneGivesNoSymbol() {
        let spec = SceneSpec(width: 500, height: 400, clutter: Clutter(textLines: 6, boxes: 2, finderLikes: 9), seed: 9)
        let image = SceneRenderer.render(spec)
        // The clutter is really there: enough dark pixels to hold nine finder-like squares.
        #expect(image.pixels.filter { $0 < 80 }.count > 9 * 24 * 3)
        #expect(QRReader.read(image).symbols.isEmpty)
    }

    @Test func rotatingKeepsTheContent() throws {
        let symbol = try QREncoder.encode(SceneRendererTests.text).matrix
        let image = SymbolRenderer.render(symbol, moduleSize: 4)
        let turned = SceneRenderer.rotated(image, degrees: 17)
        #expect(turned.width > image.width && turned.height > image.height)
        #expect(turned[0, 0] == 255)
        #expect(decodedTexts(turned) == [SceneRendererTests.text])
    }

    @Test func quarterTurnIsExact() {
        let image = GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6])
        let turned = SceneRenderer.rotated(image, degrees: 90)
        // Clockwise: the left column, read bottom-up, becomes the top row.
        #expect(turned.width == 2 && turned.height == 3)
        #expect(turned.pixels == [4, 1, 5, 2, 6, 3])
    }
}

@Suite struct SceneMathTests {
    @Test(arguments: [-7.0, -2.5, -1, -0.3, 0, 0.4, 1.2, 3.1, 10])
    func elementaryFunctionsAgreeWithIdentities(_ x: Double) {
        let (s, c) = SceneMath.sinCos(x)
        #expect(abs(s * s + c * c - 1) < 1e-12)
        #expect(abs(SceneMath.log(SceneMath.exp(x)) - x) < 1e-9)
        #expect(abs(SceneMath.sin(SceneMath.asin(SceneMath.sin(x))) - SceneMath.sin(x)) < 1e-12)
        #expect(abs(SceneMath.exp(x) * SceneMath.exp(-x) - 1) < 1e-12)
    }

    @Test func knownValues() {
        #expect(abs(SceneMath.sin(SceneMath.pi / 6) - 0.5) < 1e-15)
        #expect(abs(SceneMath.cos(SceneMath.pi / 3) - 0.5) < 1e-15)
        #expect(abs(SceneMath.exp(1) - 2.718_281_828_459_045) < 1e-14)
        #expect(abs(SceneMath.atan(1) - SceneMath.pi / 4) < 1e-15)
        #expect(abs(SceneMath.log(10) - 2.302_585_092_994_046) < 1e-14)
    }
}

@Suite struct StressSetTests {
    @Test func setIsReproducibleAndWellFormed() {
        let first = StressSet.cases(), second = StressSet.cases()
        #expect(first.count >= 250 && first.count <= 400)
        #expect(Set(first.map(\.name)).count == first.count)
        #expect(first.map(\.expectedTexts) == second.map(\.expectedTexts))
        #expect(first.map(\.spec.seed) == second.map(\.spec.seed))
        for c in first where c.category != "no-code" {
            #expect(c.expectedTexts.count == c.spec.codes.count && !c.expectedTexts.isEmpty)
        }
        #expect(first.filter { $0.category == "no-code" }.allSatisfy { $0.expectedTexts.isEmpty && $0.spec.codes.isEmpty })
        let categories = Set(first.map(\.category))
        for category in categories {
            let grades = Set(first.filter { $0.category == category }.map(\.grade))
            #expect(grades.count >= 5, "\(category) has \(grades.count) grades")
        }
    }

    @Test func payloadsLookLikeProductURIs() {
        var rng = SplitMix64(seed: 5)
        let uri = Payload.productURI(&rng)
        #expect(uri.hasPrefix("https://gen.example/01/"))
        // GTIN 9501101530003 (with the leading 0): a published GS1 example with check digit 3.
        #expect(Payload.gtinCheckDigit([0, 9, 5, 0, 1, 1, 0, 1, 5, 3, 0, 0, 0]) == 3)
    }
}

@Suite struct CodeProjectionTests {
    func code(tilt: Tilt = Tilt(), radius: Double? = nil, mirrored: Bool = false) -> PlacedCode {
        PlacedCode(symbol: BitMatrix(size: 21), center: Point(x: 300, y: 200), moduleSize: 4, rotation: 37,
                   tilt: tilt, cylinderRadius: radius, mirrored: mirrored)
    }

    @Test(arguments: [(0.0, nil as Double?, false), (40, nil, true), (25, 0.8, false), (0, 0.5, true)])
    func sceneAndLabelAreInverse(_ tilt: Double, _ radius: Double?, _ mirrored: Bool) throws {
        let projection = CodeProjection(code(tilt: Tilt(angle: tilt, axis: 20, viewDistance: 3), radius: radius, mirrored: mirrored))
        for (u, v) in [(0.0, 0.0), (-10, 3), (7.5, -12), (12, 12)] {
            let p = projection.scene(u: u, v: v)
            let back = try #require(projection.label(x: p.x, y: p.y))
            #expect(abs(back.u - u) < 1e-9 && abs(back.v - v) < 1e-9)
        }
    }

    /// Seen from the front, a label wrapped on radius R shows arc length s as R·sin(s/R).
    @Test func cylinderForeshortens() {
        let flat = CodeProjection(code())
        let curved = CodeProjection(code(radius: 0.5))
        let r = 0.5 * 21.0, s = 10.5
        let flatWidth = flat.scene(u: s, v: 0).distance(to: flat.scene(u: -s, v: 0))
        let curvedWidth = curved.scene(u: s, v: 0).distance(to: curved.scene(u: -s, v: 0))
        #expect(abs(flatWidth - 2 * s * 4) < 1e-9)
        #expect(abs(curvedWidth - 2 * r * SceneMath.sin(s / r) * 4) < 1e-9)
        // The column direction runs along the cylinder's axis: no foreshortening.
        #expect(abs(curved.scene(u: 0, v: s).distance(to: curved.scene(u: 0, v: -s)) - 2 * s * 4) < 1e-9)
    }
}
