import QRCode

/// One generated stress image: what to render, how to store it, and what a reader should find.
public struct StressCase: Sendable {
    /// The difficulty family, e.g. "perspective".
    public var category: String
    /// 1 = easy; the highest grades go beyond what a reader can be expected to read.
    public var grade: Int
    /// A file-name-safe identifier, unique in the set.
    public var name: String
    public var spec: SceneSpec
    /// The texts of every code in the scene (empty for the no-code category: any result is wrong).
    public var expectedTexts: [String]
    /// Store as JPEG at this quality (the compression is part of the case), or nil for PNG.
    public var jpegQuality: Int?
    /// What the grade varies, for tables ("tilt 45°").
    public var parameter: String
}

/// The project's reproducible stress set: fixed seeds, categories graded from easy to beyond
/// the limit, payloads shaped like our product URIs.
public enum StressSet {
    /// Every case, in a fixed order; calling twice gives identical specs.
    public static func cases() -> [StressCase] {
        var all: [StressCase] = []
        func add(_ category: String, _ grades: [(parameter: String, adjust: (inout CaseBuilder) -> Void)], perGrade: Int = 3) {
            for (g, grade) in grades.enumerated() {
                for index in 0..<perGrade {
                    var builder = CaseBuilder(category: category, grade: g + 1, index: index)
                    grade.adjust(&builder)
                    all.append(builder.finish(parameter: grade.parameter))
                }
            }
        }
        add("perspective", [0.0, 20, 35, 45, 55, 62, 70, 78].map { tilt in
            ("tilt \(Int(tilt))°", { b in
                b.addCode()
                b.spec.codes[0].tilt = Tilt(angle: tilt, axis: b.rng.uniform(0, 180), viewDistance: 3)
            })
        })
        add("curved", [3.0, 1.5, 1, 0.75, 0.6, 0.5, 0.42, 0.35].map { radius in
            ("radius \(fmt(radius)) code widths", { b in
                b.addCode()
                b.spec.codes[0].cylinderRadius = radius
            })
        })
        add("glare", [(0.1, 150.0, 0.3), (0.12, 250, 0.25), (0.15, 300, 0.2), (0.18, 350, 0.15),
                      (0.2, 400, 0.1), (0.25, 500, 0.1), (0.3, 600, 0.05), (0.4, 800, 0)].map { radius, strength, offset in
            ("spot \(fmt(radius)) W, +\(Int(strength))", { b in
                b.addCode()
                let code = b.spec.codes[0]
                let width = Double(code.symbol.width) * code.moduleSize
                let angle = b.rng.uniform(0, 360), r = SceneMath.sinCos(SceneMath.radians(angle))
                let center = Point(x: code.center.x + offset * width * r.cos, y: code.center.y + offset * width * r.sin)
                b.spec.glare = Glare(center: center, radius: radius * width, strength: strength)
            })
        })
        add("shadow", [0.8, 0.6, 0.45, 0.3, 0.2, 0.12, 0.07, 0.04].map { factor in
            ("factor \(fmt(factor))", { b in
                b.addCode()
                let code = b.spec.codes[0]
                let width = Double(code.symbol.width) * code.moduleSize
                let through = Point(x: code.center.x + b.rng.uniform(-0.2, 0.2) * width,
                                    y: code.center.y + b.rng.uniform(-0.2, 0.2) * width)
                b.spec.shadow = Shadow(through: through, angle: b.rng.uniform(0, 360), factor: factor)
            })
        })
        add("low-contrast", [150.0, 80, 50, 30, 20, 13, 8, 5].map { delta in
            ("Δ \(Int(delta)) grey levels", { b in
                b.addCode()
                let mid = b.rng.uniform(110, 160)
                b.spec.codes[0].dark = mid - delta / 2
                b.spec.codes[0].light = mid + delta / 2
                b.spec.background = Background(level: mid, gradient: delta / 2, gradientAngle: b.rng.uniform(0, 360), texture: delta / 10)
                b.spec.noise = 1.5
            })
        })
        add("blur", [0.2, 0.3, 0.38, 0.45, 0.52, 0.6, 0.75, 1.0].map { sigma in
            ("σ \(fmt(sigma)) modules", { b in
                b.addCode()
                b.spec.blurSigma = sigma
            })
        })
        add("motion-blur", [0.5, 1, 1.5, 2, 2.5, 3, 4, 5.5].map { length in
            ("\(fmt(length)) modules", { b in
                b.addCode()
                b.spec.blurSigma = 0.1
                b.spec.motionBlur = MotionBlur(length: length, angle: b.rng.uniform(0, 180))
            })
        })
        add("jpeg-noise", [(80, 3.0, 3.5), (50, 6, 3), (30, 8, 2.5), (20, 10, 2.5), (15, 12, 2.2), (10, 14, 2),
                           (7, 16, 2), (5, 20, 1.8)].map { quality, noise, module in
            ("q\(quality), noise \(Int(noise)), \(fmt(module)) px/module", { b in
                b.addCode(moduleSize: module)
                b.spec.noise = noise
                b.jpegQuality = quality
            })
        })
        add("small-12mp", [6.0, 4, 3, 2.5, 2, 1.7, 1.5, 1.2].map { module in
            ("\(fmt(module)) px/module", { b in b.addSmallCodeIn12MP(moduleSize: module) })
        }, perGrade: 2)
        // The same small codes among finder-like print as coarse as a full-frame code's (20 px
        // per module): the print shows at every pyramid level and can keep a search busy there
        // while the code is left unsearched at full resolution.
        add("small-in-clutter", [3.0, 2.5, 2, 1.7, 1.5, 1.2].map { module in
            ("\(fmt(module)) px/module, 48 finder-likes", { b in
                b.addSmallCodeIn12MP(moduleSize: module, finderLikes: 48, finderModule: 20)
            })
        }, perGrade: 2)
        add("high-version", [(10, 4.0), (20, 3.5), (25, 3), (30, 2.8), (35, 2.5), (40, 2.5), (40, 2.2), (40, 1.9)].map { version, module in
            ("v\(version), \(fmt(module)) px/module", { b in
                b.spec.width = 1000
                b.spec.height = 1000
                let text = Payload.filling(version: version, level: .M, &b.rng)
                b.addCode(text: text, moduleSize: module, minimumVersion: version)
                b.spec.codes[0].tilt = Tilt(angle: b.rng.uniform(5, 15), axis: b.rng.uniform(0, 180))
            })
        })
        add("damage", [0.02, 0.05, 0.08, 0.12, 0.16, 0.2, 0.28, 0.36].map { fraction in
            ("\(Int(fraction * 100)) % of modules, EC Q", { b in
                b.addCode(level: .Q)
                b.spec.codes[0].damageFraction = fraction
            })
        })
        let variants: [(String, (inout CaseBuilder) -> Void)] = [
            ("flat", { _ in }),
            ("tilt 30°", { b in b.spec.codes[0].tilt = Tilt(angle: 30, axis: b.rng.uniform(0, 180)) }),
            ("curved r 0.8", { b in b.spec.codes[0].cylinderRadius = 0.8 }),
            ("blur σ 0.4", { b in b.spec.blurSigma = 0.4 }),
            ("tilt 45°, Δ 40", { b in
                b.spec.codes[0].tilt = Tilt(angle: 45, axis: b.rng.uniform(0, 180))
                b.spec.codes[0].dark = 110
                b.spec.codes[0].light = 150
            }),
        ]
        add("inverted", variants.map { name, variant in
            (name, { b in
                b.addCode()
                b.spec.codes[0].inverted = true
                b.spec.background.level = b.rng.uniform(30, 70)
                variant(&b)
                if b.spec.codes[0].dark == 110 { b.spec.background.level = 130 }
            })
        })
        add("mirrored", variants.map { name, variant in
            (name, { b in
                b.addCode()
                b.spec.codes[0].mirrored = true
                variant(&b)
            })
        })
        add("multiple", [(2, 0.0), (3, 0), (4, 10), (6, 20), (9, 25), (12, 30), (16, 35), (20, 40)].map { count, tilt in
            ("\(count) codes, tilt ≤ \(Int(tilt))°", { b in
                b.spec.width = 1600
                b.spec.height = 1200
                b.addGrid(count: count)
                for i in b.spec.codes.indices {
                    b.spec.codes[i].tilt = Tilt(angle: b.rng.uniform(0, tilt), axis: b.rng.uniform(0, 180))
                }
            })
        }, perGrade: 2)
        add("no-code", [2, 4, 8, 16, 32, 64].map { finders in
            ("\(finders) finder-like squares", { b in
                b.spec.clutter.finderLikes = finders
            })
        })
        return all
    }

    static func fmt(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Assembles one case: a photo-like default scene that each grade then makes harder.
struct CaseBuilder {
    let category: String
    let grade: Int
    let index: Int
    var rng: SplitMix64
    var spec: SceneSpec
    var texts: [String] = []
    var jpegQuality: Int?

    init(category: String, grade: Int, index: Int) {
        self.category = category
        self.grade = grade
        self.index = index
        // FNV-1a of the category, so inserting a category does not reseed the others.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in category.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let seed = SplitMix64.mix(hash ^ UInt64(grade) << 32 ^ UInt64(index))
        rng = SplitMix64(seed: seed)
        var setup = rng.derived(7)
        spec = SceneSpec(
            width: 800, height: 600,
            background: Background(level: setup.uniform(150, 210), gradient: setup.uniform(15, 60),
                                   gradientAngle: setup.uniform(0, 360), texture: setup.uniform(6, 15)),
            clutter: Clutter(textLines: setup.int(6...12), boxes: setup.int(1...4)),
            blurSigma: 0.15, noise: 2, seed: seed)
    }

    /// Adds a code with a fresh product URI (or `text`), randomly turned, near the scene centre.
    mutating func addCode(text: String? = nil, moduleSize: Double = 4.5, center: Point? = nil,
                          level: ErrorCorrectionLevel = .M, minimumVersion: Int = 1) {
        let payload = text ?? Payload.productURI(&rng)
        // A seeded mask instead of the penalty search: every mask occurs, and building the set
        // stays cheap (scoring eight masks of a version-40 symbol is not).
        let options = EncodeOptions(level: level, minimumVersion: minimumVersion, mask: rng.int(0...7))
        // The payloads are built to fit; a failure here is a bug in the set, not an input error.
        guard let symbol = try? QREncoder.encode(payload, options: options) else {
            preconditionFailure("stress set payload does not encode: \(payload)")
        }
        let place = center ?? Point(x: Double(spec.width) / 2 + rng.uniform(-40, 40),
                                    y: Double(spec.height) / 2 + rng.uniform(-30, 30))
        spec.codes.append(PlacedCode(symbol: symbol.matrix, center: place, moduleSize: moduleSize,
                                     rotation: rng.uniform(0, 360), dark: rng.uniform(15, 45), light: rng.uniform(215, 240)))
        texts.append(payload)
    }

    /// A 4000×3000 photo of a label (printed text, boxes and `finderLikes` finder-like squares of
    /// `finderModule` pixels) with one code of `moduleSize` pixels per module somewhere in its
    /// middle; a phone's optics blur by about 0.6 px whatever the code's size; JPEG quality 92.
    mutating func addSmallCodeIn12MP(moduleSize: Double, finderLikes: Int = 0, finderModule: Double? = nil) {
        spec.width = 4000
        spec.height = 3000
        spec.clutter = Clutter(textLines: rng.int(25...40), boxes: rng.int(4...8), finderLikes: finderLikes,
                               finderModule: finderModule)
        let center = Point(x: rng.uniform(800, 3200), y: rng.uniform(600, 2400))
        addCode(moduleSize: moduleSize, center: center)
        spec.blurSigma = 0.6 / moduleSize
        spec.noise = 3
        jpegQuality = 92
    }

    /// Several codes on a grid of cells, each smaller than its cell so quiet zones stay clear.
    mutating func addGrid(count: Int) {
        let columns = Int(Double(count).squareRoot().rounded(.up)) + (count > 4 ? 1 : 0)
        let rows = (count + columns - 1) / columns
        let cellW = Double(spec.width) / Double(columns), cellH = Double(spec.height) / Double(rows)
        for i in 0..<count {
            let cx = (Double(i % columns) + 0.5) * cellW, cy = (Double(i / columns) + 0.5) * cellH
            // A version-6 symbol with its quiet zone is 49 modules wide; turned, up to √2 more.
            let module = min(5, min(cellW, cellH) / (49 * 1.45))
            addCode(moduleSize: module, center: Point(x: cx + rng.uniform(-5, 5), y: cy + rng.uniform(-5, 5)))
        }
    }

    func finish(parameter: String) -> StressCase {
        StressCase(category: category, grade: grade, name: "\(category)-g\(grade)-\(index + 1)", spec: spec,
                   expectedTexts: texts, jpegQuality: jpegQuality, parameter: parameter)
    }
}
