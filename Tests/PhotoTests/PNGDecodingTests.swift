import Testing
import QRCode
@testable import Photo

/// Every PNG colour type and bit depth, written with libpng from known samples and read back.
@Suite struct PNGDecodingTests {
    let width = 13 // odd sizes exercise bit packing and Adam7's partial blocks
    let height = 9

    private func samples(channels: Int, bitDepth: Int) -> [UInt16] {
        var samples: [UInt16] = []
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<channels { samples.append(patternSample(x: x, y: y, channel: channel, bitDepth: bitDepth)) }
            }
        }
        return samples
    }

    /// Every colour type without a palette at every bit depth PNG allows for it.
    static let directLayouts: [(PNGEncoding.ColorType, Int)] = [
        (.gray, 1), (.gray, 2), (.gray, 4), (.gray, 8), (.gray, 16), (.rgb, 8), (.rgb, 16),
        (.grayAlpha, 8), (.grayAlpha, 16), (.rgba, 8), (.rgba, 16),
    ]

    @Test(arguments: directLayouts, [false, true])
    func direct(layout: (colorType: PNGEncoding.ColorType, bitDepth: Int), interlaced: Bool) throws {
        let (colorType, bitDepth) = layout
        let channels = colorType.channels
        let samples = samples(channels: channels, bitDepth: bitDepth)
        let png = try PNGEncoding.encode(samples: samples, width: width, height: height,
                                         colorType: colorType, bitDepth: bitDepth, interlaced: interlaced)
        let image = try PhotoLoader.decode(png)
        #expect(image.width == width && image.height == height)
        let expected = stride(from: 0, to: samples.count, by: channels).map { i in
            let value = { (k: Int) in Reference.to8Bit(samples[i + k], bitDepth: bitDepth) }
            let gray = channels < 3 ? value(0) : Reference.luma(value(0), value(1), value(2))
            let hasAlpha = channels % 2 == 0
            return hasAlpha ? Reference.overWhite(gray, alpha: value(channels - 1) / 255) : gray
        }
        // Gray up to 8 bits expands exactly; otherwise 16 bits round to 8, then luma and
        // compositing each round once more.
        let tolerance = colorType == .gray && bitDepth <= 8 ? 0 : 1.51
        #expect(maxDifference(image, expected) <= tolerance)
    }

    @Test(arguments: [1, 2, 4, 8])
    func palette(bitDepth: Int) throws {
        let entries = 1 << bitDepth
        let palette = (0..<entries * 3).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 31) }
        let indices = samples(channels: 1, bitDepth: bitDepth)
        let png = try PNGEncoding.encode(samples: indices, width: width, height: height,
                                         colorType: .palette, bitDepth: bitDepth, palette: palette)
        let image = try PhotoLoader.decode(png)
        let expected = indices.map { index in
            let i = Int(index) * 3
            return Reference.luma(Double(palette[i]), Double(palette[i + 1]), Double(palette[i + 2]))
        }
        #expect(maxDifference(image, expected) <= 0.51)
    }

    @Test(arguments: [false, true])
    func paletteWithTransparency(interlaced: Bool) throws {
        let palette: [UInt8] = [0, 0, 0, 200, 30, 30, 10, 90, 250, 0, 0, 0]
        let alpha: [UInt8] = [255, 128, 40, 0] // the last entry: transparent black
        let indices = samples(channels: 1, bitDepth: 2)
        let png = try PNGEncoding.encode(samples: indices, width: width, height: height, colorType: .palette,
                                         bitDepth: 2, interlaced: interlaced, palette: palette, paletteAlpha: alpha)
        let image = try PhotoLoader.decode(png)
        let expected = indices.map { index in
            let i = Int(index)
            let luma = Reference.luma(Double(palette[3 * i]), Double(palette[3 * i + 1]), Double(palette[3 * i + 2]))
            return Reference.overWhite(luma, alpha: Double(alpha[i]) / 255)
        }
        #expect(maxDifference(image, expected) <= 1)
    }

    @Test func grayTransparentColourBecomesWhite() throws {
        let samples = samples(channels: 1, bitDepth: 4)
        let key: UInt16 = 3
        let png = try PNGEncoding.encode(samples: samples, width: width, height: height, colorType: .gray,
                                         bitDepth: 4, transparentColor: .init(gray: key))
        let image = try PhotoLoader.decode(png)
        let expected = samples.map { $0 == key ? 255 : Reference.to8Bit($0, bitDepth: 4) }
        #expect(samples.contains(key))
        #expect(maxDifference(image, expected) == 0)
    }

    @Test func rgbTransparentColourBecomesWhite() throws {
        // Two colours: dark red and a keyed-out green.
        let samples: [UInt16] = (0..<width * height).flatMap { $0 % 3 == 0 ? [0, 200, 0] : [120, 0, 0] as [UInt16] }
        let png = try PNGEncoding.encode(samples: samples, width: width, height: height, colorType: .rgb,
                                         bitDepth: 8, transparentColor: .init(red: 0, green: 200, blue: 0))
        let image = try PhotoLoader.decode(png)
        let expected = (0..<width * height).map { $0 % 3 == 0 ? 255 : Reference.luma(120, 0, 0) }
        #expect(maxDifference(image, expected) <= 0.51)
    }

    /// A QR code exported on a transparent background: its background pixels are often
    /// transparent *black*, which must come out white, or the code turns into a black square.
    @Test func qrOnTransparentBackgroundStaysReadable() throws {
        var samples: [UInt16] = []
        for y in 0..<height {
            for x in 0..<width {
                let dark = (x / 3 + y / 3) % 2 == 0
                samples += dark ? [0, 0, 0, 255] : [0, 0, 0, 0]
            }
        }
        let png = try PNGEncoding.encode(samples: samples, width: width, height: height, colorType: .rgba, bitDepth: 8)
        let expected: [UInt8] = (0..<height).flatMap { y in (0..<width).map { x in (x / 3 + y / 3) % 2 == 0 ? 0 : 255 } }
        #expect(try PhotoLoader.decode(png).pixels == expected)
    }

    @Test func grayWriterRoundTripsExactly() throws {
        let original = noiseGray(width: 31, height: 17)
        let png = try PhotoWriter.pngData(original)
        #expect(PhotoLoader.detectFormat(png) == .png)
        #expect(try PhotoLoader.info(png) == PhotoInfo(width: 31, height: 17, format: .png))
        #expect(try PhotoLoader.decode(png) == original)
    }

    @Test func scaleOptionDoesNotApplyToPNG() throws {
        let original = smoothGray(width: 16, height: 8)
        let png = try PhotoWriter.pngData(original)
        #expect(try PhotoLoader.decode(png, options: .init(jpegScaleDenominator: 4)) == original)
    }
}
