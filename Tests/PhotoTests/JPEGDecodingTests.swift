import Testing
import QRCode
@testable import Photo

/// JPEG flavours written with libjpeg from known pixels and read back within JPEG's loss.
@Suite struct JPEGDecodingTests {
    /// Flat 16×16 colour tiles (4:2:0 chroma subsampling keeps them intact), as RGB samples.
    private func colourTiles(width: Int, height: Int) -> [UInt8] {
        let colours: [[UInt8]] = [[230, 30, 30], [20, 160, 40], [40, 60, 220], [250, 240, 200], [15, 15, 15], [120, 200, 210]]
        var samples: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { samples += colours[(x / 16 + 2 * (y / 16)) % colours.count] }
        }
        return samples
    }

    @Test(arguments: [false, true])
    func gray(progressive: Bool) throws {
        let original = smoothGray(width: 48, height: 40)
        let jpeg = try PhotoWriter.jpegData(original, quality: 95, progressive: progressive)
        #expect(PhotoLoader.detectFormat(jpeg) == .jpeg)
        #expect(try PhotoLoader.info(jpeg) == PhotoInfo(width: 48, height: 40, format: .jpeg))
        let image = try PhotoLoader.decode(jpeg)
        #expect(image.width == 48 && image.height == 40)
        let expected = original.pixels.map(Double.init)
        #expect(maxDifference(image, expected) <= 4)
        #expect(meanDifference(image, expected) <= 1)
    }

    @Test(arguments: [false, true])
    func colour(progressive: Bool) throws {
        let samples = colourTiles(width: 64, height: 48)
        let jpeg = try JPEGEncoding.encode(samples: samples, width: 64, height: 48, components: .rgb,
                                           quality: 95, progressive: progressive)
        let image = try PhotoLoader.decode(jpeg)
        let expected = stride(from: 0, to: samples.count, by: 3).map {
            Reference.luma(Double(samples[$0]), Double(samples[$0 + 1]), Double(samples[$0 + 2]))
        }
        #expect(meanDifference(image, expected) <= 1.5)
        #expect(maxDifference(image, expected) <= 12) // ringing at tile edges
    }

    /// Photoshop-style CMYK: an Adobe marker and inverted samples (255 = no ink), stored as
    /// plain CMYK or as YCCK.
    @Test(arguments: [false, true])
    func adobeCMYK(asYCCK: Bool) throws {
        let inks: [[UInt8]] = [[0, 0, 0, 0], [255, 0, 0, 0], [0, 200, 200, 0], [0, 0, 0, 255], [30, 80, 0, 60], [0, 0, 255, 128]]
        let width = 48, height = 32
        var samples: [UInt8] = []
        var expected: [Double] = []
        for y in 0..<height {
            for x in 0..<width {
                let ink = inks[(x / 16 + 3 * (y / 16)) % inks.count]
                samples += ink.map { 255 - $0 }
                // Ink c of C and k of K leaves (1 - c)(1 - k) of the red light, and so on.
                let k = 1 - Double(ink[3]) / 255
                let rgb = ink.prefix(3).map { 255 * (1 - Double($0) / 255) * k }
                expected.append(Reference.luma(rgb[0], rgb[1], rgb[2]))
            }
        }
        let jpeg = try JPEGEncoding.encode(samples: samples, width: width, height: height, components: .cmyk,
                                           quality: 95, cmykAsYCCK: asYCCK)
        let image = try PhotoLoader.decode(jpeg)
        #expect(image.width == width && image.height == height)
        #expect(meanDifference(image, expected) <= 1.5)
        #expect(maxDifference(image, expected) <= 16) // ringing at tile edges, chroma subsampled
    }

    /// 8×8 flat blocks: scaled by 1/8 each block becomes exactly one pixel of its value.
    @Test(arguments: [1, 2, 4, 8])
    func dctScaling(denominator: Int) throws {
        let blocksAcross = 9, blocksDown = 5
        var original = GrayImage(width: blocksAcross * 8, height: blocksDown * 8)
        for y in 0..<original.height {
            for x in 0..<original.width { original[x, y] = UInt8(20 + ((x / 8) * 23 + (y / 8) * 41) % 210) }
        }
        let jpeg = try PhotoWriter.jpegData(original, quality: 100)
        let image = try PhotoLoader.decode(jpeg, options: .init(jpegScaleDenominator: denominator))
        #expect(image.width == original.width / denominator && image.height == original.height / denominator)
        var worst = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let source = Int(original[x * denominator, y * denominator])
                worst = max(worst, abs(Int(image[x, y]) - source))
            }
        }
        #expect(worst <= 3)
    }

    @Test func scaledSizeRoundsUp() throws {
        let jpeg = try PhotoWriter.jpegData(smoothGray(width: 65, height: 49), quality: 80)
        let eighth = try PhotoLoader.decode(jpeg, options: .init(jpegScaleDenominator: 8))
        #expect(eighth.width == 9 && eighth.height == 7)
        // 3 is not a scale libjpeg does exactly; it rounds down to 2.
        let half = try PhotoLoader.decode(jpeg, options: .init(jpegScaleDenominator: 3))
        #expect(half.width == 33 && half.height == 25)
    }
}

/// libpng and libjpeg keep all state per decoder, so decodes may run in parallel (a server
/// handling several uploads does).
@Suite struct ConcurrentDecodingTests {
    @Test func parallelDecodesMatchSerialOnes() async throws {
        let sources = [noiseGray(width: 40, height: 24), smoothGray(width: 33, height: 21)]
        let files = try sources.flatMap { image in
            [try PhotoWriter.pngData(image), try PhotoWriter.jpegData(image, quality: 85, progressive: true)]
        }
        let serial = try files.map { try PhotoLoader.decode($0) }
        let parallel = try await withThrowingTaskGroup(of: (Int, GrayImage).self) { group in
            for _ in 0..<4 {
                for (index, file) in files.enumerated() {
                    group.addTask { (index, try PhotoLoader.decode(file)) }
                }
            }
            var results: [(Int, GrayImage)] = []
            for try await result in group { results.append(result) }
            return results
        }
        #expect(parallel.count == files.count * 4)
        for (index, image) in parallel { #expect(image == serial[index]) }
    }
}
