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
            let (width, height) = frame(megapixels: mp)
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

    /// Photos without a code at the given sizes: the no-code category's densest grade (64
    /// finder-like squares, many in L-shaped triples with random cells between them, over printed
    /// text and boxes), the clutter scaled with the frame; JPEG quality 90, 0.6 px of optical blur.
    /// A reader's search runs to its end on these: the costliest photos of a given size.
    public static func clutterLadder(megapixels: [Double]) -> [StressCase] {
        megapixels.enumerated().map { step, mp in
            var builder = CaseBuilder(category: "size-ladder-no-code", grade: 1, index: 0)
            let (width, height) = frame(megapixels: mp)
            builder.spec.width = width
            builder.spec.height = height
            builder.spec.clutter.finderLikes = 64
            // Without a code the scene's unit is a pixel.
            builder.spec.blurSigma = 0.6
            builder.spec.noise = 3
            builder.jpegQuality = 90
            var built = builder.finish(parameter: "no code, \(fmt(mp)) MP (\(width)×\(height))")
            built.grade = step + 1
            built.name = "size-ladder-no-code-\(fmt(mp))mp"
            return built
        }
    }

    /// A 4:3 frame of about `megapixels`.
    static func frame(megapixels mp: Double) -> (width: Int, height: Int) {
        let width = max(32, Int((max(0, mp) * 1e6 * 4 / 3).squareRoot().rounded()))
        return (width, width * 3 / 4)
    }
}
