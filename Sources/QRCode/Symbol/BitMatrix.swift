/// A square (or rectangular) grid of modules; `true` is a dark module.
///
/// Used for the module grid of a symbol: the encoder builds one, the sampler reads one
/// out of an image, the symbol decoder parses one.
public struct BitMatrix: Sendable, Equatable, Hashable {
    public let width: Int
    public let height: Int
    @usableFromInline var storage: [Bool]

    public init(width: Int, height: Int) {
        precondition(width >= 0 && height >= 0)
        self.width = width
        self.height = height
        self.storage = [Bool](repeating: false, count: width * height)
    }

    public init(size: Int) { self.init(width: size, height: size) }

    /// Builds a matrix from rows of characters: `#`, `X` or `1` are dark, anything else light.
    public init(rows: [String]) {
        let h = rows.count
        let w = rows.first?.count ?? 0
        self.init(width: w, height: h)
        for (y, row) in rows.enumerated() {
            precondition(row.count == w, "BitMatrix(rows:): rows differ in length")
            for (x, c) in row.enumerated() where c == "#" || c == "X" || c == "1" {
                self[x, y] = true
            }
        }
    }

    @inlinable
    public subscript(x: Int, y: Int) -> Bool {
        get { storage[y * width + x] }
        set { storage[y * width + x] = newValue }
    }

    public mutating func flip(x: Int, y: Int) { self[x, y].toggle() }

    /// The matrix mirrored about its main diagonal (x and y exchanged): how a symbol read
    /// from the back of a transparent sheet, or a mirrored photo, appears.
    public func transposed() -> BitMatrix {
        var t = BitMatrix(width: height, height: width)
        for y in 0..<height { for x in 0..<width { t[y, x] = self[x, y] } }
        return t
    }

    /// Number of dark modules.
    public var darkCount: Int { storage.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Rows of `#` (dark) and `.` (light), for fixtures and debugging.
    public var rows: [String] {
        (0..<height).map { y in String((0..<width).map { self[$0, y] ? "#" : "." }) }
    }
}
