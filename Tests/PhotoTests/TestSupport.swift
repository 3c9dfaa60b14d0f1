import QRCode
import Testing
@testable import Photo

/// Reference conversions written independently of the C shim, in floating point.
enum Reference {
    static func luma(_ r: Double, _ g: Double, _ b: Double) -> Double {
        0.299 * r + 0.587 * g + 0.114 * b
    }

    /// A value seen through coverage `alpha` (0...1) over white.
    static func overWhite(_ value: Double, alpha: Double) -> Double {
        value * alpha + 255 * (1 - alpha)
    }

    /// A sample of `bitDepth` bits stretched to 0...255.
    static func to8Bit(_ sample: UInt16, bitDepth: Int) -> Double {
        Double(sample) * 255 / Double((1 << bitDepth) - 1)
    }
}

/// The largest difference between decoded pixels and expected values.
func maxDifference(_ image: GrayImage, _ expected: [Double]) -> Double {
    zip(image.pixels, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
}

func meanDifference(_ image: GrayImage, _ expected: [Double]) -> Double {
    zip(image.pixels, expected).map { abs(Double($0) - $1) }.reduce(0, +) / Double(max(expected.count, 1))
}

/// A deterministic sample in 0..<(1 << bitDepth) that varies quickly in x and y.
func patternSample(x: Int, y: Int, channel: Int, bitDepth: Int) -> UInt16 {
    let spread = (x &* 37 &+ y &* 101 &+ channel &* 59) &* 2_654_435_761
    return UInt16(truncatingIfNeeded: (spread >> 7) & ((1 << bitDepth) - 1))
}

/// A gray image with content JPEG keeps well: smooth ramps plus flat 8×8 blocks.
func smoothGray(width: Int, height: Int) -> GrayImage {
    var image = GrayImage(width: width, height: height)
    for y in 0..<height {
        for x in 0..<width {
            image[x, y] = UInt8(truncatingIfNeeded: 40 + (x * 150) / max(width, 1) + (y * 50) / max(height, 1))
        }
    }
    return image
}

/// Noise, so encoded files are long and a cut lands in the middle of the image data.
func noiseGray(width: Int, height: Int) -> GrayImage {
    var state: UInt32 = 0x1234_5678
    var image = GrayImage(width: width, height: height)
    for i in 0..<image.pixelCount {
        state = state &* 1_664_525 &+ 1_013_904_223
        image.pixels[i] = UInt8(truncatingIfNeeded: state >> 24)
    }
    return image
}

/// CRC-32 as PNG chunks use it (polynomial 0xEDB88320), for crafting headers in tests.
func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

func bigEndianBytes(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
}

/// The offset of the first `FF xx` marker of the given kind after `start`.
func markerOffset(_ bytes: [UInt8], marker: UInt8, from start: Int = 2) -> Int? {
    guard bytes.count >= 2 else { return nil }
    return (start..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == marker }
}

/// Runs `body` and returns the PhotoError it threw, or nil if it returned. (Closures do not yet
/// infer typed throws, so the error is cast; anything but a PhotoError is a test failure.)
func photoError(_ body: () throws -> Void) -> PhotoError? {
    do {
        try body()
        return nil
    } catch let error as PhotoError {
        return error
    } catch {
        Issue.record("threw \(error), not a PhotoError")
        return nil
    }
}
