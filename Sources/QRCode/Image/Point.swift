/// A point in image coordinates (pixels; x to the right, y down) or in module coordinates.
public struct Point: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }
    public static func - (a: Point, b: Point) -> Point { Point(x: a.x - b.x, y: a.y - b.y) }
    public static func * (a: Point, s: Double) -> Point { Point(x: a.x * s, y: a.y * s) }

    public func distance(to p: Point) -> Double { (self - p).length }
    public var length: Double { (x * x + y * y).squareRoot() }

    /// z component of the cross product of two vectors.
    public static func cross(_ a: Point, _ b: Point) -> Double { a.x * b.y - a.y * b.x }
    public static func dot(_ a: Point, _ b: Point) -> Double { a.x * b.x + a.y * b.y }

    public var description: String { "(\(Self.rounded(x)), \(Self.rounded(y)))" }

    static func rounded(_ v: Double) -> Double { (v * 10).rounded() / 10 }
}
