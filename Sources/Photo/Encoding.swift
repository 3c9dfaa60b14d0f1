import CImageCodecs

/// Copies what a shim encoder malloc'ed into an array and frees it.
private func takeEncoded(_ encoded: ic_encoded) -> [UInt8] {
    defer { ic_free(encoded.bytes) }
    guard let bytes = encoded.bytes else { return [] }
    return Array(UnsafeBufferPointer(start: bytes, count: encoded.count))
}

/// Checks what both encoders require of an image's size.
private func validateEncodable(width: Int, height: Int, sampleCount: Int, samplesPerPixel: Int, format: ImageFormat) throws(PhotoError) {
    guard width > 0, height > 0 else {
        throw .unsupported(format: format, detail: "cannot encode an empty \(width)×\(height) image")
    }
    let (pixels, pixelsOverflow) = width.multipliedReportingOverflow(by: height)
    let (samples, samplesOverflow) = pixels.multipliedReportingOverflow(by: samplesPerPixel)
    guard width <= Int(Int32.max), height <= Int(Int32.max), !pixelsOverflow, !samplesOverflow,
          samples == sampleCount else {
        throw .unsupported(format: format, detail: "\(sampleCount) samples do not fill \(width)×\(height) pixels")
    }
}

/// The general PNG encoder: any colour type and bit depth, palette, transparency, interlacing.
/// `PhotoWriter` uses only 8-bit gray; tests use the rest to produce every kind of input.
enum PNGEncoding {
    enum ColorType: Int32 {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        var channels: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }
    }

    /// The tRNS colour for gray or RGB images: pixels equal to it are fully transparent.
    struct TransparentColor {
        var gray: UInt16 = 0
        var red: UInt16 = 0
        var green: UInt16 = 0
        var blue: UInt16 = 0
    }

    /// `samples` hold one value per channel per pixel, each below `1 << bitDepth` (for a
    /// palette, the index); they are packed into PNG's row layout here.
    static func encode(
        samples: [UInt16], width: Int, height: Int, colorType: ColorType, bitDepth: Int,
        interlaced: Bool = false, palette: [UInt8] = [], paletteAlpha: [UInt8] = [],
        transparentColor: TransparentColor? = nil
    ) throws(PhotoError) -> [UInt8] {
        try validateEncodable(width: width, height: height, sampleCount: samples.count,
                              samplesPerPixel: colorType.channels, format: .png)
        guard [1, 2, 4, 8, 16].contains(bitDepth) else {
            throw .unsupported(format: .png, detail: "bit depth \(bitDepth) does not exist in PNG")
        }
        let rowSamples = width * colorType.channels
        let rowBytes = (rowSamples * bitDepth + 7) / 8
        let rows = pack(samples, rowSamples: rowSamples, rows: height, bitDepth: bitDepth, rowBytes: rowBytes)
        return try encode(rows: rows, rowBytes: rowBytes, width: width, height: height, colorType: colorType,
                          bitDepth: bitDepth, interlaced: interlaced, palette: palette,
                          paletteAlpha: paletteAlpha, transparentColor: transparentColor)
    }

    /// 8-bit gray pixels are already PNG rows: no packing, no copy.
    static func encodeGray(_ pixels: [UInt8], width: Int, height: Int) throws(PhotoError) -> [UInt8] {
        try validateEncodable(width: width, height: height, sampleCount: pixels.count, samplesPerPixel: 1, format: .png)
        return try encode(rows: pixels, rowBytes: width, width: width, height: height, colorType: .gray, bitDepth: 8)
    }

    /// `rows` in PNG layout, `rowBytes` apart; the caller has validated the size.
    private static func encode(
        rows: [UInt8], rowBytes: Int, width: Int, height: Int, colorType: ColorType, bitDepth: Int,
        interlaced: Bool = false, palette: [UInt8] = [], paletteAlpha: [UInt8] = [],
        transparentColor: TransparentColor? = nil
    ) throws(PhotoError) -> [UInt8] {
        var encoded = ic_encoded()
        var message = [CChar](repeating: 0, count: Int(IC_MESSAGE_CAPACITY))
        let status = rows.withUnsafeBufferPointer { rowBuffer in
            palette.withUnsafeBufferPointer { paletteBuffer in
                paletteAlpha.withUnsafeBufferPointer { alphaBuffer in
                    var description = ic_png_description(
                        width: UInt32(width), height: UInt32(height),
                        color_type: colorType.rawValue, bit_depth: Int32(bitDepth),
                        interlaced: interlaced ? 1 : 0,
                        palette: paletteBuffer.baseAddress, palette_count: Int32(palette.count / 3),
                        palette_alpha: alphaBuffer.baseAddress, palette_alpha_count: Int32(paletteAlpha.count),
                        has_transparent_color: transparentColor == nil ? 0 : 1,
                        transparent_gray: transparentColor?.gray ?? 0,
                        transparent_red: transparentColor?.red ?? 0,
                        transparent_green: transparentColor?.green ?? 0,
                        transparent_blue: transparentColor?.blue ?? 0)
                    return ic_png_encode(&description, rowBuffer.baseAddress, rowBytes, &encoded, &message, message.count)
                }
            }
        }
        guard status == IC_OK else {
            let detail = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw PhotoError(status: status, format: .png, detail: detail)
        }
        return takeEncoded(encoded)
    }

    /// PNG rows: samples below 8 bits packed most significant first, 16 bits big-endian.
    private static func pack(_ samples: [UInt16], rowSamples: Int, rows: Int, bitDepth: Int, rowBytes: Int) -> [UInt8] {
        var packed = [UInt8](repeating: 0, count: rowBytes * rows)
        for y in 0..<rows {
            for i in 0..<rowSamples {
                let value = samples[y * rowSamples + i]
                switch bitDepth {
                case 16:
                    packed[y * rowBytes + 2 * i] = UInt8(value >> 8)
                    packed[y * rowBytes + 2 * i + 1] = UInt8(truncatingIfNeeded: value)
                case 8:
                    packed[y * rowBytes + i] = UInt8(truncatingIfNeeded: value)
                default:
                    let bit = i * bitDepth
                    let mask = UInt16(1 << bitDepth - 1)
                    packed[y * rowBytes + bit / 8] |= UInt8((value & mask) << (8 - bitDepth - bit % 8))
                }
            }
        }
        return packed
    }
}

/// The general JPEG encoder: gray, RGB (stored as YCbCr) or CMYK (stored as CMYK or YCCK).
enum JPEGEncoding {
    enum Components: Int32 {
        case gray = 1, rgb = 3, cmyk = 4
    }

    /// `samples` interleave the components of each pixel. CMYK samples are written as given,
    /// with an Adobe marker, whose convention is inverted ink (255 = no ink).
    static func encode(
        samples: [UInt8], width: Int, height: Int, components: Components, quality: Int,
        progressive: Bool = false, cmykAsYCCK: Bool = false
    ) throws(PhotoError) -> [UInt8] {
        try validateEncodable(width: width, height: height, sampleCount: samples.count,
                              samplesPerPixel: Int(components.rawValue), format: .jpeg)
        guard (1...100).contains(quality) else {
            throw .unsupported(format: .jpeg, detail: "quality \(quality) is outside 1…100")
        }
        var description = ic_jpeg_description(
            width: UInt32(width), height: UInt32(height), components: components.rawValue,
            quality: Int32(quality), progressive: progressive ? 1 : 0, cmyk_as_ycck: cmykAsYCCK ? 1 : 0)
        var encoded = ic_encoded()
        var message = [CChar](repeating: 0, count: Int(IC_MESSAGE_CAPACITY))
        let status = samples.withUnsafeBufferPointer {
            ic_jpeg_encode(&description, $0.baseAddress, &encoded, &message, message.count)
        }
        guard status == IC_OK else {
            let detail = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw PhotoError(status: status, format: .jpeg, detail: detail)
        }
        return takeEncoded(encoded)
    }
}
