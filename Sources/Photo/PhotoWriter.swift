import QRCode

/// Writes gray images as PNG or JPEG (for rendered QR codes, debugging output and test inputs).
public enum PhotoWriter {
    /// Lossless 8-bit gray PNG.
    public static func pngData(_ image: GrayImage) throws(PhotoError) -> [UInt8] {
        try PNGEncoding.encodeGray(image.pixels, width: image.width, height: image.height)
    }

    /// Gray JPEG at `quality` 1...100; `progressive` writes several refining scans.
    public static func jpegData(_ image: GrayImage, quality: Int, progressive: Bool = false) throws(PhotoError) -> [UInt8] {
        try JPEGEncoding.encode(
            samples: image.pixels, width: image.width, height: image.height,
            components: .gray, quality: quality, progressive: progressive)
    }

    public static func writePNG(_ image: GrayImage, to path: String) throws(PhotoError) {
        try FileAccess.write(pngData(image), to: path)
    }

    /// Raw bytes, for files that accompany written images (a manifest, a listing).
    public static func write(bytes: [UInt8], to path: String) throws(PhotoError) {
        try FileAccess.write(bytes, to: path)
    }

    public static func writeJPEG(_ image: GrayImage, to path: String, quality: Int = 90) throws(PhotoError) {
        try FileAccess.write(jpegData(image, quality: quality), to: path)
    }
}
