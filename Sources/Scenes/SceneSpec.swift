import QRCode

/// Everything that determines one rendered scene: the same spec (and seed) always gives the same
/// pixels. Lengths are scene pixels unless a name says "modules"; grey levels are 0 (black) …
/// 255 (white) and may be exceeded before the sensor clips them (glare).
public struct SceneSpec: Sendable {
    public var width: Int
    public var height: Int
    public var background: Background
    public var clutter: Clutter
    public var codes: [PlacedCode]
    public var glare: Glare?
    public var shadow: Shadow?
    /// Gaussian defocus blur, sigma in modules of the first code (pixels when there is no code).
    public var blurSigma: Double
    public var motionBlur: MotionBlur?
    /// Sensor noise: standard deviation in grey levels.
    public var noise: Double
    public var seed: UInt64

    public init(
        width: Int, height: Int, background: Background = Background(), clutter: Clutter = Clutter(),
        codes: [PlacedCode] = [], glare: Glare? = nil, shadow: Shadow? = nil, blurSigma: Double = 0,
        motionBlur: MotionBlur? = nil, noise: Double = 0, seed: UInt64
    ) {
        self.width = width
        self.height = height
        self.background = background
        self.clutter = clutter
        self.codes = codes
        self.glare = glare
        self.shadow = shadow
        self.blurSigma = blurSigma
        self.motionBlur = motionBlur
        self.noise = noise
        self.seed = seed
    }

    /// Pixels per module of the first code, the unit of `blurSigma` and `MotionBlur.length`.
    public var moduleUnit: Double { codes.first?.moduleSize ?? 1 }
}

/// The tin's printed label behind the code: a base tone, a linear gradient and a soft mottled texture.
public struct Background: Sendable {
    /// Mean grey level.
    public var level: Double
    /// Difference between the ends of the gradient, in grey levels.
    public var gradient: Double
    /// Direction of the gradient, degrees.
    public var gradientAngle: Double
    /// Amplitude of the low-frequency texture, grey levels.
    public var texture: Double

    public init(level: Double = 190, gradient: Double = 40, gradientAngle: Double = 30, texture: Double = 12) {
        self.level = level
        self.gradient = gradient
        self.gradientAngle = gradientAngle
        self.texture = texture
    }
}

/// Printed matter around the code, placed at random from the scene seed.
public struct Clutter: Sendable {
    /// Lines of text-like glyph strokes.
    public var textLines: Int
    /// Rectangle outlines (panels, tables, logos).
    public var boxes: Int
    /// Squares with the 1:1:3:1:1 ring structure of QR finder patterns.
    public var finderLikes: Int
    /// The finder-like squares' module size in pixels (each drawn at 0.7–1.6 times it); nil: the
    /// first code's module size, or a 150th of the frame's short side in a scene without a code.
    /// Set apart from the code's, the print can be far coarser than a small code in the frame.
    public var finderModule: Double?

    public init(textLines: Int = 0, boxes: Int = 0, finderLikes: Int = 0, finderModule: Double? = nil) {
        self.textLines = textLines
        self.boxes = boxes
        self.finderLikes = finderLikes
        self.finderModule = finderModule
    }
}

/// A QR symbol printed on the label and photographed: placement, view geometry and print quality.
public struct PlacedCode: Sendable {
    /// The modules (no quiet zone); `true` is dark.
    public var symbol: BitMatrix
    /// Where the symbol's centre lands in the scene, pixels.
    public var center: Point
    /// Pixels per module at the centre of the symbol.
    public var moduleSize: Double
    /// In-plane rotation, degrees, clockwise on screen.
    public var rotation: Double
    /// Perspective: the label plane turned away from the camera.
    public var tilt: Tilt
    /// Radius of the tin the label is wrapped on, in code widths (the cylinder axis runs along the
    /// symbol's columns); nil for a flat label.
    public var cylinderRadius: Double?
    /// Printed mirror-image (read through the back of a transparent film).
    public var mirrored: Bool
    /// Light modules on a dark ground.
    public var inverted: Bool
    /// Grey level of the ink and of the label (before lighting).
    public var dark: Double
    public var light: Double
    /// Light margin around the symbol, modules.
    public var quietZone: Int
    /// Share of the symbol's modules covered by scuffs and blotches (0…1).
    public var damageFraction: Double

    public init(
        symbol: BitMatrix, center: Point, moduleSize: Double, rotation: Double = 0, tilt: Tilt = Tilt(),
        cylinderRadius: Double? = nil, mirrored: Bool = false, inverted: Bool = false,
        dark: Double = 25, light: Double = 235, quietZone: Int = 4, damageFraction: Double = 0
    ) {
        self.symbol = symbol
        self.center = center
        self.moduleSize = moduleSize
        self.rotation = rotation
        self.tilt = tilt
        self.cylinderRadius = cylinderRadius
        self.mirrored = mirrored
        self.inverted = inverted
        self.dark = dark
        self.light = light
        self.quietZone = quietZone
        self.damageFraction = damageFraction
    }
}

/// The label plane turned by `angle` degrees about an in-plane axis at `axis` degrees, seen by a
/// pinhole camera `viewDistance` code widths away (smaller distances give stronger keystone).
public struct Tilt: Sendable {
    public var angle: Double
    public var axis: Double
    public var viewDistance: Double

    public init(angle: Double = 0, axis: Double = 0, viewDistance: Double = 4) {
        self.angle = angle
        self.axis = axis
        self.viewDistance = viewDistance
    }
}

/// A specular highlight: a Gaussian spot added to the light falling on the scene; the sensor clips it.
public struct Glare: Sendable {
    public var center: Point
    /// Standard deviation of the spot, pixels.
    public var radius: Double
    /// Grey levels added at the centre of the spot.
    public var strength: Double

    public init(center: Point, radius: Double, strength: Double) {
        self.center = center
        self.radius = radius
        self.strength = strength
    }
}

/// A hard shadow: everything on one side of a line is darkened by `factor`.
public struct Shadow: Sendable {
    /// A point on the shadow's edge, pixels.
    public var through: Point
    /// Direction, degrees, pointing from the edge into the shadow.
    public var angle: Double
    /// Brightness remaining in the shadow (0 = black, 1 = no shadow).
    public var factor: Double
    /// Width of the soft transition, pixels.
    public var penumbra: Double

    public init(through: Point, angle: Double, factor: Double, penumbra: Double = 1.5) {
        self.through = through
        self.angle = angle
        self.factor = factor
        self.penumbra = penumbra
    }
}

/// Camera shake: a straight streak `length` modules long (of the first code) at `angle` degrees.
public struct MotionBlur: Sendable {
    public var length: Double
    public var angle: Double

    public init(length: Double, angle: Double) {
        self.length = length
        self.angle = angle
    }
}
