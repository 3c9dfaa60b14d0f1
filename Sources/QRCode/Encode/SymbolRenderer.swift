/// Draws a module matrix as a grey image, for tests and for producing printable symbols.
public enum SymbolRenderer {
    /// Each module becomes a `moduleSize`² square; a light margin of `quietZone` modules
    /// surrounds the symbol (the standard asks for at least 4).
    public static func render(_ matrix: BitMatrix, moduleSize: Int = 8, quietZone: Int = 4, dark: UInt8 = 0, light: UInt8 = 255) -> GrayImage {
        let scale = max(1, moduleSize)
        let margin = max(0, quietZone)
        let width = (matrix.width + 2 * margin) * scale
        let height = (matrix.height + 2 * margin) * scale
        var pixels = [UInt8](repeating: light, count: width * height)
        pixels.withUnsafeMutableBufferPointer { p in
            for my in 0..<matrix.height {
                for mx in 0..<matrix.width where matrix[mx, my] {
                    let x0 = (mx + margin) &* scale
                    for y in ((my + margin) &* scale)..<((my + margin + 1) &* scale) {
                        let row = y &* width
                        for x in x0..<(x0 &+ scale) { p[row &+ x] = dark }
                    }
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }
}
