import Testing
@testable import QRCode

/// `GridSampler.pixelValue` reads points well inside the image through `interior`, which skips
/// `bilinear`'s clamps: the pattern and timing checks rely on getting exactly `bilinear`'s value.
@Suite struct PixelValueTests {
    @Test(arguments: [(2, 2), (3, 5), (17, 11), (64, 48)])
    func equalsBilinearEverywhereOnTheImage(width: Int, height: Int) {
        let image = BinarizerTests.noise(width: width, height: height, seed: UInt64(width * 100 + height))
        var points: [Double] = []
        // Steps of 1/16 hit half-integers (pixel centres), the 0.5 and size − 0.5 bounds and
        // fractions on both sides of them; 0.137 steps hit fractions that are not binary ones.
        for k in 0...(16 * max(width, height)) { points.append(Double(k) / 16) }
        for k in 0...Int(Double(max(width, height)) / 0.137) { points.append(Double(k) * 0.137) }
        var interior = 0
        image.pixels.withUnsafeBufferPointer { px in
            for x in points where x < Double(width) {
                for y in points where y < Double(height) {
                    let expected = GridSampler.bilinear(px, width: width, height: height, x: x, y: y)
                    let value = GridSampler.pixelValue(px, width: width, height: height, x: x, y: y)
                    if value != expected { Issue.record("(\(x), \(y)) on \(width)×\(height): \(value), bilinear \(expected)") }
                    if x >= 0.5 && y >= 0.5 && x < Double(width) - 0.5 && y < Double(height) - 0.5 { interior += 1 }
                }
            }
        }
        // Some of the points took the interior path (even on 2×2: 0.5 ≤ x < 1.5).
        #expect(interior > 0)
    }
}
