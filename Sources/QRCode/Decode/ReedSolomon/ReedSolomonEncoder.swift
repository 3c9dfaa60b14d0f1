/// Computes QR error-correction codewords: the remainder of data(x)·x^n divided by the
/// generator polynomial g(x) = (x − α⁰)(x − α¹)…(x − α^(n−1)).
public struct ReedSolomonEncoder: Sendable {
    /// Generator coefficients, highest degree first, leading 1 omitted (n values).
    public let generator: [UInt8]

    public init(errorCorrectionCodewords n: Int) {
        precondition(n > 0 && n < 255)
        var g: [UInt8] = [1]
        for i in 0..<n {
            // g(x) · (x − αⁱ); in GF(2ᵐ) subtraction is addition.
            var next = [UInt8](repeating: 0, count: g.count + 1)
            let root = GaloisField.power(i)
            for (j, c) in g.enumerated() {
                next[j] ^= c
                next[j + 1] ^= GaloisField.multiply(c, root)
            }
            g = next
        }
        generator = Array(g.dropFirst())
    }

    /// The error-correction codewords for one block of data codewords.
    public func errorCorrection(for data: [UInt8]) -> [UInt8] {
        let n = generator.count
        var remainder = [UInt8](repeating: 0, count: n)
        for d in data {
            let factor = d ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            if factor != 0 {
                for j in 0..<n { remainder[j] ^= GaloisField.multiply(generator[j], factor) }
            }
        }
        return remainder
    }
}
