/// What one block's correction did.
public struct ReedSolomonCorrection: Sendable, Equatable {
    /// Corrected positions that were not flagged as erasures.
    public var errors: Int
    /// Erasure positions flagged (after de-duplication and dropping out-of-range indices),
    /// whether or not their value turned out to be wrong.
    public var erasures: Int

    public init(errors: Int, erasures: Int) {
        self.errors = errors
        self.erasures = erasures
    }
}

/// Why a Reed–Solomon block could not be corrected.
public enum ReedSolomonError: Error, Equatable, Sendable, CustomStringConvertible {
    /// More codewords were flagged unreliable than the block has error-correction codewords.
    case tooManyErasures(erasures: Int, capacity: Int)
    /// The block holds more errors than its error-correction codewords can repair
    /// (2·errors + erasures > n − k), or its length and error-correction count do not describe
    /// a Reed–Solomon code over GF(256).
    case uncorrectable

    public var description: String {
        switch self {
        case let .tooManyErasures(erasures, capacity):
            return "\(erasures) codewords of a Reed–Solomon block were flagged unreadable, but its "
                + "\(capacity) error-correction codewords can restore at most \(capacity); "
                + "the symbol is too damaged here — retake the photo closer, in focus and without glare"
        case .uncorrectable:
            return "a Reed–Solomon block has more errors than its error-correction codewords can repair; "
                + "the symbol is damaged or was misread — retake the photo with the code flat, in focus and evenly lit"
        }
    }
}

/// Errors-and-erasures decoder for the QR code's Reed–Solomon blocks over GF(256)
/// (primitive polynomial 0x11D, generator roots α⁰ … α^(n−k−1)), the inverse of `ReedSolomonEncoder`.
///
/// Codeword index i of a block of length N is the coefficient of x^(N−1−i), so its error
/// locator is X = α^(N−1−i). Blocks shorter than 255 are shortened codes: only the powers
/// 0..<N exist, and a solution that places an error outside them is rejected.
public enum ReedSolomonDecoder {
    /// `block`: data codewords followed by `errorCorrectionCodewords` EC codewords, as transmitted
    /// (index 0 = first codeword = highest-degree coefficient). `erasures`: indices into block whose
    /// values are unreliable. Corrects in place when 2·errors + erasures ≤ n − k; otherwise throws
    /// and leaves `block` unchanged. Never returns success with a block that is not a codeword.
    ///
    /// Erasure indices outside the block are ignored and repeated ones count once.
    /// Beyond 2·errors + erasures ≤ n − k no decoder can be sure: a heavily damaged block may,
    /// rarely, lie within reach of a different codeword and be "corrected" to it.
    public static func correct(_ block: inout [UInt8], errorCorrectionCodewords: Int,
                               erasures: [Int] = []) throws(ReedSolomonError) -> ReedSolomonCorrection {
        let length = block.count
        let parity = errorCorrectionCodewords
        // GF(256) has 255 distinct locators, so no RS block is longer; fewer codewords than
        // parity symbols cannot be a block either. Callers get these from the version tables,
        // so reaching here means a misread version rather than a programming error.
        guard parity >= 0, parity <= length, length <= 255 else { throw .uncorrectable }

        var syndromes = [UInt8](repeating: 0, count: parity)
        let clean = computeSyndromes(of: block, into: &syndromes)
        if clean && erasures.isEmpty { return ReedSolomonCorrection(errors: 0, erasures: 0) }

        let erasurePositions = distinctPositions(erasures, length: length)
        if erasurePositions.count > parity {
            throw .tooManyErasures(erasures: erasurePositions.count, capacity: parity)
        }
        // A codeword that agrees with the true one everywhere except at ≤ n − k flagged places
        // is the true one (the code's distance is n − k + 1), so a zero syndrome settles it.
        if clean { return ReedSolomonCorrection(errors: 0, erasures: erasurePositions.count) }

        // Polynomials below are stored lowest degree first.
        let erasureLocator = locator(for: erasurePositions, length: length)
        let forney = forneySyndromes(syndromes, erasureLocator: erasureLocator)
        let (errorLocator, errorCount) = berlekampMassey(forney)
        // Only (n − k − f) / 2 errors can be located next to f erasures.
        guard 2 * errorCount <= forney.count else { throw .uncorrectable }

        var errorPositions: [Int] = []
        if errorCount > 0 {
            errorPositions = chienSearch(errorLocator, length: length)
            // Fewer roots inside the block than the locator's degree: the rest lie outside the
            // (shortened) block or are repeated, so no error pattern here explains the syndromes.
            guard errorPositions.count == errorCount else { throw .uncorrectable }
            for p in errorPositions where erasurePositions.contains(p) { throw .uncorrectable }
        }

        let errataPositions = erasurePositions + errorPositions
        let errataLocator = multiply(errorLocator, erasureLocator)
        let magnitudes = try forneyMagnitudes(syndromes: syndromes, errataLocator: errataLocator,
                                              positions: errataPositions, length: length)

        // Erasure magnitudes come first; an erasure whose value was right simply gets zero.
        let correctedErrors = magnitudes.dropFirst(erasurePositions.count).filter { $0 != 0 }.count
        guard 2 * correctedErrors + erasurePositions.count <= parity else { throw .uncorrectable }

        applyXor(magnitudes, at: errataPositions, to: &block)
        // The algebra above assumes the errors are within reach; check the result instead of
        // trusting it, and undo (XOR is its own inverse) if it is not a codeword.
        guard computeSyndromes(of: block, into: &syndromes) else {
            applyXor(magnitudes, at: errataPositions, to: &block)
            throw .uncorrectable
        }
        return ReedSolomonCorrection(errors: correctedErrors, erasures: erasurePositions.count)
    }

    // MARK: - Steps

    /// S_j = r(αʲ) for j in 0..<syndromes.count; returns whether all are zero.
    static func computeSyndromes(of block: [UInt8], into syndromes: inout [UInt8]) -> Bool {
        var allZero = true
        GaloisField.exp.withUnsafeBufferPointer { exp in
            GaloisField.log.withUnsafeBufferPointer { log in
                block.withUnsafeBufferPointer { received in
                    syndromes.withUnsafeMutableBufferPointer { out in
                        for j in 0..<out.count {
                            // Horner from the highest-degree coefficient (index 0); multiplying by αʲ
                            // is adding j to the logarithm, which stays inside the doubled exp table.
                            var s: UInt8 = 0
                            for c in received {
                                s = (s == 0 ? 0 : exp[log[Int(s)] &+ j]) ^ c
                            }
                            out[j] = s
                            if s != 0 { allZero = false }
                        }
                    }
                }
            }
        }
        return allZero
    }

    /// In-range erasure indices, each once, in first-seen order.
    static func distinctPositions(_ indices: [Int], length: Int) -> [Int] {
        var seen = [Bool](repeating: false, count: length)
        var positions: [Int] = []
        for i in indices where i >= 0 && i < length && !seen[i] {
            seen[i] = true
            positions.append(i)
        }
        return positions
    }

    /// log_α of the locator of codeword index `position`: X = α^(length−1−position).
    @inline(__always)
    static func locatorPower(_ position: Int, length: Int) -> Int { length - 1 - position }

    /// Π (1 + X·x) over the given positions.
    static func locator(for positions: [Int], length: Int) -> [UInt8] {
        var poly: [UInt8] = [1]
        poly.reserveCapacity(positions.count + 1)
        for p in positions {
            let x = GaloisField.power(locatorPower(p, length: length))
            poly.append(0)
            for d in stride(from: poly.count - 1, through: 1, by: -1) {
                poly[d] ^= GaloisField.multiply(poly[d - 1], x)
            }
        }
        return poly
    }

    /// Coefficients f…n−k−1 of Γ(x)·S(x): syndromes with the erasures' contribution cancelled,
    /// which obey the recurrence of the error locator alone.
    static func forneySyndromes(_ syndromes: [UInt8], erasureLocator gamma: [UInt8]) -> [UInt8] {
        let f = gamma.count - 1
        var result = [UInt8](repeating: 0, count: syndromes.count - f)
        for m in 0..<result.count {
            var t: UInt8 = 0
            for i in 0...f { t ^= GaloisField.multiply(gamma[i], syndromes[f + m - i]) }
            result[m] = t
        }
        return result
    }

    /// The shortest linear recurrence C(x) (C₀ = 1) generating `sequence`, and its length L.
    static func berlekampMassey(_ sequence: [UInt8]) -> (locator: [UInt8], length: Int) {
        let count = sequence.count
        // deg C ≤ L ≤ count throughout, so count + 1 coefficients hold every intermediate C.
        var current = [UInt8](repeating: 0, count: count + 1)
        var previous = current
        current[0] = 1
        previous[0] = 1
        var length = 0
        var shift = 1
        var previousDiscrepancy: UInt8 = 1

        for r in 0..<count {
            var discrepancy = sequence[r]
            if length > 0 {
                for i in 1...min(length, r) { discrepancy ^= GaloisField.multiply(current[i], sequence[r - i]) }
            }
            if discrepancy == 0 {
                shift += 1
                continue
            }
            let scale = GaloisField.divide(discrepancy, previousDiscrepancy)
            let before = current
            // C(x) −= (d / b) · x^shift · B(x)
            if shift <= count {
                for i in shift...count { current[i] ^= GaloisField.multiply(scale, previous[i - shift]) }
            }
            if 2 * length <= r {
                length = r + 1 - length
                previous = before
                previousDiscrepancy = discrepancy
                shift = 1
            } else {
                shift += 1
            }
        }
        return (current, length)
    }

    /// Codeword indices i (0..<length) where the locator vanishes at X⁻¹ = α^−(length−1−i).
    /// Powers ≥ length are not part of a shortened block and are never tried.
    static func chienSearch(_ locator: [UInt8], length: Int) -> [Int] {
        var positions: [Int] = []
        GaloisField.exp.withUnsafeBufferPointer { exp in
            GaloisField.log.withUnsafeBufferPointer { log in
                locator.withUnsafeBufferPointer { coefficients in
                    for position in 0..<length {
                        let inversePower = (255 &- locatorPower(position, length: length)) % 255
                        var value: UInt8 = 0
                        for c in coefficients.reversed() {
                            value = (value == 0 ? 0 : exp[log[Int(value)] &+ inversePower]) ^ c
                        }
                        if value == 0 { positions.append(position) }
                    }
                }
            }
        }
        return positions
    }

    static func multiply(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var product = [UInt8](repeating: 0, count: a.count + b.count - 1)
        for (i, x) in a.enumerated() where x != 0 {
            for (j, y) in b.enumerated() { product[i + j] ^= GaloisField.multiply(x, y) }
        }
        return product
    }

    /// Evaluates a polynomial (lowest degree first) at x.
    static func evaluate(_ poly: [UInt8], at x: UInt8) -> UInt8 {
        var value: UInt8 = 0
        for c in poly.reversed() { value = GaloisField.multiply(value, x) ^ c }
        return value
    }

    /// Forney's formula for first root α⁰: Y = X · Ω(X⁻¹) / Ψ′(X⁻¹), Ω = S·Ψ mod x^(n−k).
    static func forneyMagnitudes(syndromes: [UInt8], errataLocator psi: [UInt8], positions: [Int],
                                 length: Int) throws(ReedSolomonError) -> [UInt8] {
        var omega = [UInt8](repeating: 0, count: syndromes.count)
        for (i, s) in syndromes.enumerated() where s != 0 {
            for j in 0..<min(psi.count, omega.count - i) { omega[i + j] ^= GaloisField.multiply(s, psi[j]) }
        }
        // In characteristic 2 the formal derivative keeps only the odd-degree terms.
        var derivative = [UInt8](repeating: 0, count: max(psi.count - 1, 1))
        for d in stride(from: 1, to: psi.count, by: 2) { derivative[d - 1] = psi[d] }

        var magnitudes = [UInt8](repeating: 0, count: positions.count)
        for (k, p) in positions.enumerated() {
            let power = locatorPower(p, length: length)
            let inverse = GaloisField.power(-power)
            let denominator = evaluate(derivative, at: inverse)
            // A repeated root: the locator does not describe distinct errata.
            guard denominator != 0 else { throw .uncorrectable }
            magnitudes[k] = GaloisField.multiply(GaloisField.power(power),
                                                 GaloisField.divide(evaluate(omega, at: inverse), denominator))
        }
        return magnitudes
    }

    static func applyXor(_ magnitudes: [UInt8], at positions: [Int], to block: inout [UInt8]) {
        for (k, p) in positions.enumerated() { block[p] ^= magnitudes[k] }
    }
}
