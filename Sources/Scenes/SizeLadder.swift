import QRCode

extension StressSet {
    /// The sizes of the benchmark's size ladder, megapixels.
    public static let ladderMegapixels: [Double] = [0.3, 1, 3, 12, 24, 48]

    /// One scene rendered at each size: same seed, payload, layout and code placement, scaled so
    /// the code covers the same share of the frame (as the same shot from cameras of different
    /// resolution). 4:3 frames, JPEG quality 90, 0.6 px of optical blur at every size.
    public static func sizeLadder(megapixels: [Double] = ladderMegapixels) -> [StressCase] {
        megapixels.enumerated().map { step, mp in
            // Every step starts from the same seed, so the random draws (payload, turn, clutter) agree.
            var builder = CaseBuilder(category: "size-ladder", grade: 1, index: 0)
            let width = max(32, Int((max(0, mp) * 1e6 * 4 / 3).squareRoot().rounded()))
            let height = width * 3 / 4
            // The base case is 800×600 with 4.5 px per module; everything in pixels scales with it.
            let scale = Double(height) / 600
            builder.spec.width = width
            builder.spec.height = height
            let moduleSize = 4.5 * scale
            builder.addCode(moduleSize: moduleSize, center: Point(x: 0.52 * Double(width), y: 0.48 * Double(height)))
            builder.spec.codes[0].tilt = Tilt(angle: 12, axis: 30)
            builder.spec.blurSigma = 0.6 / moduleSize
            builder.spec.noise = 3
            builder.jpegQuality = 90
            var built = builder.finish(parameter: "\(fmt(mp)) MP (\(width)×\(height))")
            built.grade = step + 1
            built.name = "size-ladder-\(fmt(mp))mp"
            return built
        }
    }
}
