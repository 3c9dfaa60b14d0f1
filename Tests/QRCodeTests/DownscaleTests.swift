import Testing
@testable import QRCode

/// The pyramid's downscaling against its definition: each output pixel the rounded mean of its
/// factor×factor box (the factors the pyramid uses add their bytes word-wise).
@Suite struct DownscaleTests {
    static func reference(_ image: GrayImage, factor f: Int) -> [UInt8] {
        let ow = image.width / f, oh = image.height / f
        var out = [UInt8](repeating: 0, count: ow * oh)
        for oy in 0..<oh {
            for ox in 0..<ow {
                var sum = 0
                for y in (oy * f)..<(oy * f + f) {
                    for x in (ox * f)..<(ox * f + f) { sum += Int(image.pixels[y * image.width + x]) }
                }
                out[oy * ow + ox] = UInt8((sum + f * f / 2) / (f * f))
            }
        }
        return out
    }

    @Test(arguments: [2, 3, 4, 8], [(64, 48), (67, 35), (17, 130), (9, 9)] as [(Int, Int)])
    func meansOfEachBox(factor: Int, size: (width: Int, height: Int)) {
        for seed in [1, 2] as [UInt64] {
            let image = BinarizerTests.noise(width: size.width, height: size.height, seed: seed &* 31 &+ UInt64(factor))
            let small = image.downscaled(by: factor)
            #expect(small.width == size.width / factor && small.height == size.height / factor)
            #expect(small.pixels == Self.reference(image, factor: factor), "factor \(factor), \(size.width)×\(size.height)")
        }
        // Extremes: every byte 255 (no carry between lanes may leak) and every byte 0.
        for fill in [0, 255] as [UInt8] {
            let flat = GrayImage(width: size.width, height: size.height, fill: fill)
            #expect(flat.downscaled(by: factor).pixels.allSatisfy { $0 == fill })
        }
    }
}
