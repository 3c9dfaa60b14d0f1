/// An 8-bit luminance image, row-major, one byte per pixel (0 = black, 255 = white).
///
/// This is the only image type the QR library knows: photo loaders convert to it, the
/// renderer produces it, and every detector stage reads it.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height` luminance values, row after row.
    public var pixels: [UInt8]

    /// Creates an image from existing pixels. `pixels.count` must equal `width * height`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height,
                     "GrayImage: pixel count does not match \(width)×\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Creates an image filled with one value.
    public init(width: Int, height: Int, fill: UInt8 = 255) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: fill, count: width * height))
    }

    @inlinable
    public subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// The pixel at (x, y), or `outside` when the point lies off the image.
    @inlinable
    public func value(atX x: Int, y: Int, outside: UInt8 = 255) -> UInt8 {
        guard x >= 0, y >= 0, x < width, y < height else { return outside }
        return pixels[y * width + x]
    }

    public var pixelCount: Int { width * height }
}
