import Testing
import QRCode
@testable import Scenes

/// Every diagnosis reason on an image made to show it: these reasons pick the retake advice
/// and the mail-in case, so each must come out right, not merely some reason.
@Suite struct DiagnosisTests {
    static func reason(_ image: GrayImage) -> DiagnosisReason? {
        let result = QRReader.read(image)
        #expect(result.symbols.isEmpty, "this image must not read")
        return result.diagnosis?.reason
    }

    static func scene(size: Int = 300, moduleSize: Double = 4, configure: (inout SceneSpec) -> Void = { _ in }) throws -> GrayImage {
        var spec = try SceneRendererTests().scene(seed: 7, size: size, moduleSize: moduleSize)
        configure(&spec)
        return SceneRenderer.render(spec)
    }

    @Test func clutterWithoutCodeIsNoCodeFound() {
        let spec = SceneSpec(width: 320, height: 320, clutter: Clutter(textLines: 6, boxes: 3, finderLikes: 6), blurSigma: 0.1, noise: 2, seed: 11)
        #expect(Self.reason(SceneRenderer.render(spec)) == .noCodeFound)
    }

    /// Large finder-like squares with random cells between them in a sharp 3 MP photo: their
    /// half-alternating "timing lines" look like blur of most of a module (16 pixels), yet the
    /// photo's edges are 2 pixels wide. No code, not a blurred one.
    @Test func largeClutterInASharpPhotoIsNoCodeFound() throws {
        let scene = try #require(StressSet.clutterLadder(megapixels: [3]).first)
        #expect(Self.reason(SceneRenderer.render(scene.spec)) == .noCodeFound)
    }

    @Test func codeRunningOffTheFrameIsPartial() throws {
        let image = try Self.scene { $0.codes[0].center = Point(x: 20, y: 150) }
        #expect(Self.reason(image) == .partialCode)
    }

    @Test func tinyModulesAreTooSmall() throws {
        let image = try Self.scene(size: 900, moduleSize: 1.1)
        #expect(Self.reason(image) == .codeTooSmall)
    }

    @Test func heavyBlurIsTooBlurry() throws {
        let image = try Self.scene(moduleSize: 5) { $0.blurSigma = 1.1 }
        #expect(Self.reason(image) == .tooBlurry)
    }

    /// Shake smears edges along its path and leaves those across it crisp: the photo's edges
    /// taken together look sharp, along the smear they are more than twice as wide.
    @Test(arguments: [20.0, 65, 110, 155])
    func shakenPhotoIsTooBlurry(angle: Double) throws {
        let image = try Self.scene(moduleSize: 5) {
            $0.blurSigma = 0.1
            $0.motionBlur = MotionBlur(length: 3, angle: angle)
        }
        #expect(Self.reason(image) == .tooBlurry)
    }

    @Test func glareSpotOverTheCodeIsGlare() throws {
        let image = try Self.scene(moduleSize: 5) { $0.glare = Glare(center: Point(x: 160, y: 150), radius: 46, strength: 500) }
        #expect(Self.reason(image) == .glareOverCode)
    }

    /// A reflection so large that no part of the code is left: nothing to sample, but the
    /// photo itself shows the clipped spot.
    @Test func glareHidingTheWholeCodeIsGlare() throws {
        let image = try Self.scene(size: 500, moduleSize: 4) { $0.glare = Glare(center: $0.codes[0].center, radius: 60, strength: 600) }
        #expect(Self.reason(image) == .glareOverCode)
    }

    /// The scene squeezed into `divisor`-times fewer grey levels above `floor`, under ±4 levels
    /// of sensor noise.
    static func squeezed(divisor: UInt8, floor: UInt8) throws -> GrayImage {
        var image = try scene(moduleSize: 5)
        var state: UInt32 = 3
        for i in image.pixels.indices {
            state = state &* 1_103_515_245 &+ 12345
            image.pixels[i] = floor + image.pixels[i] / divisor + UInt8((state >> 16) % 9)
        }
        return image
    }

    @Test func dimPhotoIsTooDark() throws {
        #expect(Self.reason(try Self.squeezed(divisor: 40, floor: 0)) == .tooDark)
    }

    @Test func flatPhotoIsLowContrast() throws {
        let image = try Self.squeezed(divisor: 64, floor: 124)
        #expect(Self.reason(image) == .lowContrast)
    }

    /// Finders, timing and alignment intact, a third of the data modules inside flipped: the grid
    /// is found and sampled, and the error correction cannot repair it.
    @Test func scratchedBeyondCapacityIsDamaged() throws {
        let image = try Self.scene(moduleSize: 5) { spec in
            var m = spec.codes[0].symbol
            let n = m.width
            for y in 9..<(n - 9) { for x in 9..<(n - 9) where (x * 7 + y * 13) % 3 == 0 { m[x, y].toggle() } }
            spec.codes[0].symbol = m
        }
        #expect(Self.reason(image) == .damagedBeyondCorrection)
    }

    /// A Micro QR symbol (one finder, timing along two outer edges), drawn module by module.
    @Test func microQRIsUnsupported() {
        var m = BitMatrix(size: 11)
        for y in 0..<7 { for x in 0..<7 { m[x, y] = max(abs(x - 3), abs(y - 3)) != 2 } }
        for i in 8..<11 { m[i, 0] = i % 2 == 0; m[0, i] = i % 2 == 0 }
        var state: UInt32 = 99
        for y in 1..<11 { for x in 1..<11 where x > 7 || y > 7 {
            state = state &* 1_103_515_245 &+ 12345
            m[x, y] = (state >> 16) & 1 == 1
        } }
        #expect(Self.reason(SymbolRenderer.render(m, moduleSize: 8, quietZone: 2)) == .unsupportedSymbol)
    }
}
