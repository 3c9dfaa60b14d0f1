/// A QR symbol read from an image: its content and how it was read.
public struct DecodedSymbol: Sendable {
    /// Text, raw bytes, segments, ECI, FNC1 and structured-append facts.
    public var content: DecodedContent
    public var version: Int
    public var level: ErrorCorrectionLevel
    public var mask: Int
    /// Codewords corrected per Reed–Solomon block (errors, not counting erasures).
    public var errorsCorrected: [Int]
    /// Codewords handed to Reed–Solomon as erasures per block.
    public var erasuresUsed: [Int]
    /// Outer corners in image pixels: top-left, top-right, bottom-right, bottom-left of the symbol.
    public var corners: [Point]
    /// The symbol was printed or photographed mirror-imaged.
    public var isMirrored: Bool
    /// The symbol was light modules on a dark ground.
    public var isInverted: Bool

    public var text: String { content.text }
    public var bytes: [UInt8] { content.bytes }
    public var symbologyIdentifier: String { content.symbologyIdentifier }
    /// Total codewords corrected over all blocks.
    public var correctedErrors: Int { errorsCorrected.reduce(0, +) }

    /// Centre of the symbol in pixels.
    public var center: Point {
        corners.reduce(Point(x: 0, y: 0), +) * (1 / Double(max(1, corners.count)))
    }

    /// Mean module size in pixels, from the side lengths of the corner quadrilateral.
    public var moduleSize: Double {
        guard corners.count == 4 else { return 0 }
        var sides = 0.0
        for i in 0..<4 { sides += corners[i].distance(to: corners[(i + 1) % 4]) }
        return sides / 4 / Double(17 + 4 * version)
    }
}
