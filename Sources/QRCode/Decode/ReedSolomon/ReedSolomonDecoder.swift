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
    /// Erasure indices outside the block are ignored and repeated ones count once. A clean block
    /// with no erasures costs one pass of syndromes and no other allocation.
    ///
    /// Damage of 2·errors + erasures = n − k + 1 is always detected. From n − k + 2 on, no
    /// decoder can be sure: the block may, rarely, lie within reach of a different codeword and be
    /// "corrected" to it (about C(n, t)·255ᵗ / 256^(n−k) for t = ⌊(n − k)/2⌋ and no erasures:
    /// under 10⁻⁷ for QR's block sizes, more for few parity codewords beside many erasures).
    /// The result is still a genuine codeword within the stated counts.
    public static func correct(_ block: inout [UInt8], errorCorrectionCodewords: Int,
                               erasures: [Int] = []) throws(ReedSolomonError) -> ReedSolomonCorrection {
        guard let syndromes = Syndromes(of: block, errorCorrectionCodewords: errorCorrectionCodewords) else {
            throw .uncorrectable
        }
        let solution = try solve(syndromes, erasures: erasures)
        solution.apply(to: &block)
        return solution.correction
    }

    /// The syndromes of one received block. A caller that tries several erasure sets on the same
    /// block (`SymbolDecoder.correct`) computes them once: they cost a pass over the whole block
    /// per error-correction codeword, more than the rest of a failed attempt.
    struct Syndromes {
        /// S_j = r(αʲ) for j in 0..<n − k.
        let values: [UInt8]
        /// Whether every syndrome is zero, i.e. the block is a codeword.
        let isZero: Bool
        /// Codewords in the block.
        let length: Int

        /// Nil when the block and its error-correction count describe no Reed–Solomon code over GF(256).
        init?(of block: [UInt8], errorCorrectionCodewords parity: Int) {
            // GF(256) has 255 distinct locators, so no RS block is longer; fewer codewords than
            // parity symbols cannot be a block either. Callers get these from the version tables,
            // so reaching here means a misread version rather than a programming error.
            guard parity >= 0, parity <= block.count, block.count <= 255 else { return nil }
            var values = [UInt8](repeating: 0, count: parity)
            isZero = computeSyndromes(of: block, into: &values)
            self.values = values
            length = block.count
        }
    }

    /// What to change in a block, and what that correction counts as.
    struct Solution {
        var correction: ReedSolomonCorrection
        var positions: [Int] = []
        var magnitudes: [UInt8] = []

        func apply(to block: inout [UInt8]) {
            for (k, p) in positions.enumerated() { block[p] ^= magnitudes[k] }
        }
    }

    /// The correction of the block `syndromes` were computed from, with `erasures` flagged
    /// (same rules as `correct`); the block itself is not needed, so a failed attempt changes nothing.
    /// `spare`: check symbols to leave unused (2·errors + erasures ≤ n − k − spare), tested before
    /// the errors are searched for: a caller that would reject such a correction anyway spares the
    /// search, the costliest step of an attempt that fails.
    static func solve(_ syndromes: Syndromes, erasures: [Int] = [], spare: Int = 0) throws(ReedSolomonError) -> Solution {
        let length = syndromes.length
        let parity = syndromes.values.count
        let clean = syndromes.isZero
        if clean && erasures.isEmpty { return Solution(correction: ReedSolomonCorrection(errors: 0, erasures: 0)) }

        let erasurePositions = distinctPositions(erasures, length: length)
        if erasurePositions.count > parity {
            throw .tooManyErasures(erasures: erasurePositions.count, capacity: parity)
        }
        // A codeword that agrees with the true one everywhere except at ≤ n − k flagged places
        // is the true one (the code's distance is n − k + 1), so a zero syndrome settles it.
        if clean { return Solution(correction: ReedSolomonCorrection(errors: 0, erasures: erasurePositions.count)) }

        let solved = withField { field in
            locateErrata(syndromes: syndromes.values, erasures: erasurePositions, length: length, spare: spare, field: field)
        }
        let (errataPositions, magnitudes) = try solved.get()

        // Erasure magnitudes come first; an erasure whose value was right simply gets zero.
        let correctedErrors = magnitudes.dropFirst(erasurePositions.count).filter { $0 != 0 }.count
        guard 2 * correctedErrors + erasurePositions.count <= parity else { throw .uncorrectable }

        // The algebra above assumes the errors are within reach; check the result instead of
        // trusting it. The corrected block's syndromes are the received ones plus those of the
        // correction (syndromes are linear), which needs the errata only, not the whole block.
        let corrected = withField { field in
            correctedSyndromesVanish(syndromes.values, positions: errataPositions, magnitudes: magnitudes,
                                     length: length, field: field)
        }
        guard corrected else { throw .uncorrectable }
        return Solution(correction: ReedSolomonCorrection(errors: correctedErrors, erasures: erasurePositions.count),
                        positions: errataPositions, magnitudes: magnitudes)
    }

    // MARK: - Steps

    /// Erasure positions first, then error positions, with the value to XOR into each.
    typealias Errata = (positions: [Int], magnitudes: [UInt8])

    /// Everything between the syndromes and the correction. Polynomials are stored lowest degree first.
    static func locateErrata(syndromes: [UInt8], erasures: [Int], length: Int, spare: Int,
                             field: Field) -> Result<Errata, ReedSolomonError> {
        let erasureLocator = locator(for: erasures, length: length, field: field)
        let forney = forneySyndromes(syndromes, erasureLocator: erasureLocator, field: field)
        let (errorLocator, errorCount) = berlekampMassey(forney, field: field)
        // Only (n − k − f) / 2 errors can be located next to f erasures. Every root found below
        // has a nonzero magnitude (BM's locator is the shortest), so the errors corrected are
        // errorCount exactly and `spare` can be checked here.
        guard 2 * errorCount + spare <= forney.count else { return .failure(.uncorrectable) }

        var errorPositions: [Int] = []
        if errorCount > 0 {
            errorPositions = chienSearch(errorLocator, length: length, field: field)
            // Fewer roots inside the block than the locator's degree: the rest lie outside the
            // (shortened) block or are repeated, so no error pattern here explains the syndromes.
            guard errorPositions.count == errorCount else { return .failure(.uncorrectable) }
            for p in errorPositions where erasures.contains(p) { return .failure(.uncorrectable) }
        }

        let positions = erasures + errorPositions
        let errataLocator = multiply(errorLocator, erasureLocator, field: field)
        guard let magnitudes = forneyMagnitudes(syndromes: syndromes, errataLocator: errataLocator,
                                                positions: positions, length: length, field: field)
        else { return .failure(.uncorrectable) }
        return .success((positions, magnitudes))
    }

    /// S_j = r(αʲ) for j in 0..<syndromes.count; returns whether all are zero.
    static func computeSyndromes(of block: [UInt8], into syndromes: inout [UInt8]) -> Bool {
        withField { field in
            block.withUnsafeBufferPointer { received in
                syndromes.withUnsafeMutableBufferPointer { out in
                    // Eight syndromes per pass, each by Horner from the highest-degree coefficient
                    // (index 0): the chains are independent, so the CPU overlaps their table lookups
                    // instead of waiting on each. Lanes past the end are computed and dropped; their
                    // exponent is capped so every lookup stays inside the exp table.
                    var j = 0
                    while j < out.count {
                        let e1 = min(j &+ 1, 254), e2 = min(j &+ 2, 254), e3 = min(j &+ 3, 254)
                        let e4 = min(j &+ 4, 254), e5 = min(j &+ 5, 254), e6 = min(j &+ 6, 254)
                        let e7 = min(j &+ 7, 254)
                        var s0: UInt8 = 0, s1: UInt8 = 0, s2: UInt8 = 0, s3: UInt8 = 0
                        var s4: UInt8 = 0, s5: UInt8 = 0, s6: UInt8 = 0, s7: UInt8 = 0
                        for c in received {
                            s0 = field.timesAlphaPower(s0, j) ^ c
                            s1 = field.timesAlphaPower(s1, e1) ^ c
                            s2 = field.timesAlphaPower(s2, e2) ^ c
                            s3 = field.timesAlphaPower(s3, e3) ^ c
                            s4 = field.timesAlphaPower(s4, e4) ^ c
                            s5 = field.timesAlphaPower(s5, e5) ^ c
                            s6 = field.timesAlphaPower(s6, e6) ^ c
                            s7 = field.timesAlphaPower(s7, e7) ^ c
                        }
                        func keep(_ lane: Int, _ s: UInt8) { if j &+ lane < out.count { out[j &+ lane] = s } }
                        keep(0, s0); keep(1, s1); keep(2, s2); keep(3, s3)
                        keep(4, s4); keep(5, s5); keep(6, s6); keep(7, s7)
                        j &+= 8
                    }
                    return out.allSatisfy { $0 == 0 }
                }
            }
        }
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

    /// log_α of the locator of codeword index `position`: X = α^(length−1−position), in 0...254.
    @inline(__always)
    static func locatorPower(_ position: Int, length: Int) -> Int { length - 1 - position }

    /// Π (1 + X·x) over the given positions.
    static func locator(for positions: [Int], length: Int, field: Field) -> [UInt8] {
        var poly = [UInt8](repeating: 0, count: positions.count + 1)
        poly[0] = 1
        for (done, p) in positions.enumerated() {
            let x = field.exp[locatorPower(p, length: length)]
            for d in stride(from: done + 1, through: 1, by: -1) { poly[d] ^= field.multiply(poly[d - 1], x) }
        }
        return poly
    }

    /// Coefficients f…n−k−1 of Γ(x)·S(x): syndromes with the erasures' contribution cancelled,
    /// which obey the recurrence of the error locator alone.
    static func forneySyndromes(_ syndromes: [UInt8], erasureLocator gamma: [UInt8], field: Field) -> [UInt8] {
        let f = gamma.count - 1
        var result = [UInt8](repeating: 0, count: syndromes.count - f)
        for m in 0..<result.count {
            var t: UInt8 = 0
            for i in 0...f { t ^= field.multiply(gamma[i], syndromes[f + m - i]) }
            result[m] = t
        }
        return result
    }

    /// The shortest linear recurrence C(x) (C₀ = 1) generating `sequence`, and its length L.
    static func berlekampMassey(_ sequence: [UInt8], field: Field) -> (locator: [UInt8], length: Int) {
        let count = sequence.count
        // deg C ≤ L ≤ count throughout, so count + 1 coefficients hold every intermediate C.
        var current = [UInt8](repeating: 0, count: count + 1)
        var previous = current
        var saved = current
        current[0] = 1
        previous[0] = 1
        var length = 0
        var shift = 1
        var previousDiscrepancy: UInt8 = 1   // never zero: only nonzero discrepancies are kept

        for r in 0..<count {
            var discrepancy = sequence[r]
            if length > 0 {
                for i in 1...min(length, r) { discrepancy ^= field.multiply(current[i], sequence[r - i]) }
            }
            if discrepancy == 0 {
                shift += 1
                continue
            }
            let lengthens = 2 * length <= r
            if lengthens { for i in 0...count { saved[i] = current[i] } }
            // C(x) −= (d / b) · x^shift · B(x)
            let scale = field.divide(discrepancy, previousDiscrepancy)
            // deg C ≤ L and deg(x^shift · B) ≤ r + 1 − L at every step (B is C from before the
            // last lengthening, at most `shift` steps back), so the update ends there: past it B's
            // coefficients are zero and each term would add nothing.
            let last = min(count, r + 1 - length)
            if shift <= last {
                for i in shift...last { current[i] ^= field.multiply(scale, previous[i - shift]) }
            }
            if lengthens {
                length = r + 1 - length
                swap(&previous, &saved)
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
    static func chienSearch(_ locator: [UInt8], length: Int, field: Field) -> [Int] {
        var positions: [Int] = []
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(length, 1)) { values in
            values.initialize(repeating: 0)
            // Λ(X⁻¹) = Σ Λ_k·X⁻ᵏ. Stepping from index i to i + 1 lowers X's power by one, which
            // multiplies term k by αᵏ: one addition of logarithms per term and position. Term by
            // term over all positions (addition is XOR, so the order of the terms is free), four
            // positions apart in four registers, so the positions do not wait on each other.
            @inline(__always) func advance(_ log: inout Int, by step: Int) {
                log &+= step
                if log >= 255 { log &-= 255 }
            }
            for (k, c) in locator.enumerated() where c != 0 {
                let start = (field.log[Int(c)] - (k * locatorPower(0, length: length)) % 255) % 255
                let step = k % 255, step4 = (4 * step) % 255
                var l0 = start < 0 ? start + 255 : start
                var l1 = l0, l2 = l0, l3 = l0
                advance(&l1, by: step)
                l2 = l1; advance(&l2, by: step)
                l3 = l2; advance(&l3, by: step)
                var position = 0
                while position &+ 4 <= length {
                    values[position] ^= field.exp[l0]
                    values[position &+ 1] ^= field.exp[l1]
                    values[position &+ 2] ^= field.exp[l2]
                    values[position &+ 3] ^= field.exp[l3]
                    advance(&l0, by: step4); advance(&l1, by: step4); advance(&l2, by: step4); advance(&l3, by: step4)
                    position &+= 4
                }
                while position < length {
                    values[position] ^= field.exp[l0]
                    advance(&l0, by: step)
                    position &+= 1
                }
            }
            for position in 0..<length where values[position] == 0 { positions.append(position) }
        }
        return positions
    }

    static func multiply(_ a: [UInt8], _ b: [UInt8], field: Field) -> [UInt8] {
        var product = [UInt8](repeating: 0, count: a.count + b.count - 1)
        for (i, x) in a.enumerated() where x != 0 {
            for (j, y) in b.enumerated() { product[i + j] ^= field.multiply(x, y) }
        }
        return product
    }

    /// Forney's formula for first root α⁰: Y = X · Ω(X⁻¹) / Ψ′(X⁻¹), Ω = S·Ψ mod x^(n−k).
    /// Nil when Ψ′ vanishes at a root, i.e. the roots are not distinct.
    static func forneyMagnitudes(syndromes: [UInt8], errataLocator psi: [UInt8], positions: [Int],
                                 length: Int, field: Field) -> [UInt8]? {
        var omega = [UInt8](repeating: 0, count: syndromes.count)
        for (i, s) in syndromes.enumerated() where s != 0 {
            for j in 0..<min(psi.count, omega.count - i) { omega[i + j] ^= field.multiply(s, psi[j]) }
        }
        // In characteristic 2 the formal derivative keeps only the odd-degree terms.
        var derivative = [UInt8](repeating: 0, count: max(psi.count - 1, 1))
        for d in stride(from: 1, to: psi.count, by: 2) { derivative[d - 1] = psi[d] }

        var magnitudes = [UInt8](repeating: 0, count: positions.count)
        for (k, p) in positions.enumerated() {
            let power = locatorPower(p, length: length)
            let inversePower = (255 - power) % 255
            let denominator = field.evaluate(derivative, atAlphaPower: inversePower)
            guard denominator != 0 else { return nil }
            let quotient = field.divide(field.evaluate(omega, atAlphaPower: inversePower), denominator)
            magnitudes[k] = field.timesAlphaPower(quotient, power)
        }
        return magnitudes
    }

    /// Whether S_j + Σ Y_k·X_kʲ is zero for every j: the syndromes of the received block with
    /// magnitude Y_k added at each errata position (locator X_k).
    static func correctedSyndromesVanish(_ syndromes: [UInt8], positions: [Int], magnitudes: [UInt8],
                                         length: Int, field: Field) -> Bool {
        var s = syndromes
        for (k, p) in positions.enumerated() where magnitudes[k] != 0 {
            let power = locatorPower(p, length: length)
            // log(Y_k·X_kʲ), stepped by log X_k from j = 0.
            var e = field.log[Int(magnitudes[k])]
            for j in 0..<s.count {
                s[j] ^= field.exp[e]
                e &+= power
                if e >= 255 { e &-= 255 }
            }
        }
        return s.allSatisfy { $0 == 0 }
    }

    // MARK: - Field

    /// GF(256) arithmetic on tables borrowed for one call, so inner loops pay neither the
    /// lazy-global check nor array bounds checks.
    ///
    /// The tables give zero a logarithm (511) past every sum of two real logarithms (≤ 508), and
    /// `exp` is zero from 511 on: a product with a zero factor lands there without a branch.
    /// Coefficients are zero often and unpredictably; the zero test was the hottest instruction
    /// of `berlekampMassey` in profiles.
    struct Field {
        /// αⁱ for i < 511 (doubled, so sums of logarithms need no reduction), then 0 up to 1023.
        let exp: UnsafeBufferPointer<UInt8>
        /// logₐ(x) for x in 1...255, and 511 for 0.
        let log: UnsafeBufferPointer<Int>

        static let zeroLog = 511

        static let expTable: [UInt8] = Array(GaloisField.exp[0..<zeroLog]) + [UInt8](repeating: 0, count: 1024 - zeroLog)

        static let logTable: [Int] = {
            var t = GaloisField.log
            t[0] = zeroLog
            return t
        }()

        @inline(__always)
        func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            exp[log[Int(a)] &+ log[Int(b)]]
        }

        /// a · αⁿ for 0 ≤ n ≤ 254.
        @inline(__always)
        func timesAlphaPower(_ a: UInt8, _ n: Int) -> UInt8 {
            exp[log[Int(a)] &+ n]
        }

        /// a / b; callers make sure b ≠ 0.
        @inline(__always)
        func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
            exp[log[Int(a)] &+ 255 &- log[Int(b)]]
        }

        /// Evaluates a polynomial stored lowest degree first at αⁿ, 0 ≤ n ≤ 254.
        func evaluate(_ poly: [UInt8], atAlphaPower n: Int) -> UInt8 {
            var value: UInt8 = 0
            for c in poly.reversed() { value = timesAlphaPower(value, n) ^ c }
            return value
        }
    }

    static func withField<Value>(_ body: (Field) -> Value) -> Value {
        Field.expTable.withUnsafeBufferPointer { exp in
            Field.logTable.withUnsafeBufferPointer { log in body(Field(exp: exp, log: log)) }
        }
    }
}
