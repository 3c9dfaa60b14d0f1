/// The image file formats the photo loader reads and writes.
public enum ImageFormat: String, Sendable {
    case png
    case jpeg

    /// How the format is called in messages for people.
    var displayName: String {
        switch self {
        case .png: "PNG"
        case .jpeg: "JPEG"
        }
    }
}

/// What a loader may do with a photo.
public struct PhotoLoadOptions: Sendable {
    /// The largest `width * height` accepted, checked from the file header before any pixel
    /// memory is allocated. The default, 100 megapixels, admits any phone photo. It applies to
    /// the full size in the header even when `jpegScaleDenominator` shrinks the output, because
    /// libjpeg holds a full-size coefficient buffer for progressive files.
    public var maxPixels: Int = 100_000_000
    /// JPEG only: decode at 1/1, 1/2, 1/4 or 1/8 of the size, scaled in the DCT domain (cheaper
    /// than decoding fully and shrinking). Other values round down to one of these. PNG ignores it.
    public var jpegScaleDenominator: Int = 1

    public init(maxPixels: Int = 100_000_000, jpegScaleDenominator: Int = 1) {
        self.maxPixels = maxPixels
        self.jpegScaleDenominator = jpegScaleDenominator
    }

    /// `jpegScaleDenominator` rounded down to a denominator libjpeg scales by exactly.
    var effectiveJPEGScaleDenominator: Int {
        switch jpegScaleDenominator {
        case ..<2: 1
        case 2..<4: 2
        case 4..<8: 4
        default: 8
        }
    }
}

/// What a file's header says about its image.
public struct PhotoInfo: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var format: ImageFormat

    public init(width: Int, height: Int, format: ImageFormat) {
        self.width = width
        self.height = height
        self.format = format
    }
}
