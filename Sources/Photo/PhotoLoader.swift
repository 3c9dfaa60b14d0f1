import QRCode

/// Reads PNG and JPEG photos into 8-bit gray images for the QR detector.
///
/// The format is decided by the file's first bytes, never by its name. Colour becomes ITU-R
/// BT.601 luma, transparency is composited over white (so a QR code on a transparent background
/// stays dark on light), and a file that is damaged or cut short fails rather than yielding a
/// partly decoded image.
public enum PhotoLoader {
    /// PNG or JPEG by magic bytes; nil for anything else. A few bytes that are the start of a
    /// signature count too, so that such a stub is reported as a truncated file.
    public static func detectFormat(_ bytes: [UInt8]) -> ImageFormat? {
        ImageHeader.format(of: bytes)
    }

    /// Size and format from the header alone, without decoding pixels.
    public static func info(_ bytes: [UInt8]) throws(PhotoError) -> PhotoInfo {
        try ImageHeader.info(bytes)
    }

    /// The whole file at `path`, for callers that also hash or store the bytes they decode.
    public static func fileBytes(path: String) throws(PhotoError) -> [UInt8] {
        try FileAccess.read(path: path)
    }

    /// Reads and decodes the file at `path`.
    public static func load(path: String, options: PhotoLoadOptions = .init()) throws(PhotoError) -> GrayImage {
        try decode(FileAccess.read(path: path), options: options)
    }

    /// Decodes PNG or JPEG bytes to gray. The size limit is checked from the header before any
    /// pixel memory is allocated.
    public static func decode(_ bytes: [UInt8], options: PhotoLoadOptions = .init()) throws(PhotoError) -> GrayImage {
        let header = try ImageHeader.info(bytes)
        let (pixelCount, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        guard !overflow, pixelCount <= options.maxPixels else {
            throw .tooLarge(width: header.width, height: header.height, limit: options.maxPixels)
        }
        return try GrayDecoding.decode(
            bytes, format: header.format, jpegScaleDenominator: options.effectiveJPEGScaleDenominator)
    }
}
