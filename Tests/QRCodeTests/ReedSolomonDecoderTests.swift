import Testing
@testable import QRCode

/// Deterministic generator so every run corrupts the same positions with the same values.
private struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (the modulo bias is irrelevant for picking test positions).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }

    mutating func nonzeroByte() -> UInt8 { UInt8(1 + below(255)) }

    /// `count` distinct indices from 0..<range (partial Fisher–Yates).
    mutating func distinct(_ count: Int, below range: Int) -> [Int] {
        var pool = Array(0..<range)
        for i in 0..<count { pool.swapAt(i, i + below(range - i)) }
        return Array(pool.prefix(count))
    }
}

private func codeword(dataCount: Int, errorCorrection: Int, rng: inout SplitMix64) -> [UInt8] {
    let data = (0..<dataCount).map { _ in rng.byte() }
    return data + ReedSolomonEncoder(errorCorrectionCodewords: errorCorrection).errorCorrection(for: data)
}

private func decode(_ block: inout [UInt8], _ ec: Int, erasures: [Int] = [])
    -> Result<ReedSolomonCorrection, ReedSolomonError> {
    do {
        return .success(try ReedSolomonDecoder.correct(&block, errorCorrectionCodewords: ec, erasures: erasures))
    } catch {
        return .failure(error)
    }
}

/// (error-correction codewords, data codewords): QR block shapes, plus full-length 255 blocks.
private let shapes: [(ec: Int, data: Int)] = [
    (7, 19), (10, 16), (13, 13), (17, 9), (22, 13), (26, 108), (28, 45), (30, 118),
    (30, 225), (10, 245),
]

@Suite struct ReedSolomonDecoderTests {
    @Test func cleanBlockTakesFastPathWithZeroCounts() {
        var rng = SplitMix64(state: 1)
        for shape in shapes {
            let original = codeword(dataCount: shape.data, errorCorrection: shape.ec, rng: &rng)
            var block = original
            #expect(decode(&block, shape.ec) == .success(ReedSolomonCorrection(errors: 0, erasures: 0)))
            #expect(block == original)
        }
    }

    /// Every (errors, erasures) with 2e + f ≤ n − k, at random places; about half the flagged
    /// erasures really hold a wrong value, the rest were right all along.
    @Test func correctsEveryCombinationWithinCapacity() {
        var rng = SplitMix64(state: 0x5EED)
        for shape in shapes {
            let original = codeword(dataCount: shape.data, errorCorrection: shape.ec, rng: &rng)
            let length = original.count
            for errors in 0...(shape.ec / 2) {
                for erasures in 0...(shape.ec - 2 * errors) {
                    let places = rng.distinct(errors + erasures, below: length)
                    let errorPlaces = places.prefix(errors)
                    let erasurePlaces = Array(places.dropFirst(errors))
                    var block = original
                    for p in errorPlaces { block[p] ^= rng.nonzeroByte() }
                    for p in erasurePlaces where rng.below(2) == 0 { block[p] ^= rng.nonzeroByte() }

                    let result = decode(&block, shape.ec, erasures: erasurePlaces)
                    #expect(result == .success(ReedSolomonCorrection(errors: errors, erasures: erasures)),
                            "ec \(shape.ec), n \(length), e \(errors), f \(erasures)")
                    #expect(block == original, "ec \(shape.ec), n \(length), e \(errors), f \(erasures)")
                }
            }
        }
    }

    /// 2e + f just past n − k. A bounded-distance decoder can in principle land on another
    /// codeword here; with these seeds it must detect the damage and leave the block alone.
    @Test func beyondCapacityThrowsAndLeavesBlockUnchanged() {
        var rng = SplitMix64(state: 0xBAD)
        for shape in shapes {
            let original = codeword(dataCount: shape.data, errorCorrection: shape.ec, rng: &rng)
            let length = original.count
            for trial in 0..<8 {
                // Alternate pure errors (e = ⌊ec/2⌋ + 1) with errors plus erasures at 2e + f = ec + 1 or + 2.
                let erasures = trial % 2 == 0 ? 0 : 1 + rng.below(shape.ec - 1)
                let errors = (shape.ec - erasures) / 2 + 1
                let places = rng.distinct(errors + erasures, below: length)
                var block = original
                for p in places { block[p] ^= rng.nonzeroByte() }
                let damaged = block

                let result = decode(&block, shape.ec, erasures: Array(places.suffix(erasures)))
                #expect(result == .failure(.uncorrectable), "ec \(shape.ec), n \(length), e \(errors), f \(erasures)")
                #expect(block == damaged)
            }
        }
    }

    @Test func moreErasuresThanParityAreRefused() {
        var rng = SplitMix64(state: 7)
        for shape in shapes {
            let original = codeword(dataCount: shape.data, errorCorrection: shape.ec, rng: &rng)
            let places = rng.distinct(shape.ec + 1, below: original.count)
            var block = original
            for p in places.prefix(2) { block[p] ^= rng.nonzeroByte() }
            let damaged = block
            #expect(decode(&block, shape.ec, erasures: places)
                == .failure(.tooManyErasures(erasures: shape.ec + 1, capacity: shape.ec)))
            #expect(block == damaged)

            // Even an intact block cannot vouch for more flagged codewords than it has parity.
            var clean = original
            #expect(decode(&clean, shape.ec, erasures: places)
                == .failure(.tooManyErasures(erasures: shape.ec + 1, capacity: shape.ec)))
        }
    }

    @Test func repeatedAndOutOfRangeErasuresAreIgnored() {
        var rng = SplitMix64(state: 99)
        let original = codeword(dataCount: 16, errorCorrection: 10, rng: &rng)
        var block = original
        block[3] ^= 0x55
        block[20] ^= 0x01
        block[7] ^= 0xFF   // an unflagged error
        // 10 indices given, but only 3, 20 and 11 are distinct and inside the 26-codeword block.
        let flagged = [3, 20, 3, -1, 26, 1000, 20, 11, Int.min, Int.max]
        #expect(decode(&block, 10, erasures: flagged) == .success(ReedSolomonCorrection(errors: 1, erasures: 3)))
        #expect(block == original)

        var clean = original
        #expect(decode(&clean, 10, erasures: flagged) == .success(ReedSolomonCorrection(errors: 0, erasures: 3)))
        #expect(clean == original)
    }

    /// ISO/IEC 18004 Annex I block ("01234567", 1-M) with three errors in data and parity.
    @Test func annexIBlockWithErrors() {
        let original: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55,
        ]
        var block = original
        block[0] = 0x00
        block[15] = 0x42
        block[25] = 0xAA
        #expect(decode(&block, 10) == .success(ReedSolomonCorrection(errors: 3, erasures: 0)))
        #expect(block == original)
    }

    /// In a shortened block the only explanation for these syndromes within capacity puts the
    /// errors at powers ≥ n, before the block's first codeword. The full-length code would accept
    /// that; the shortened one must not.
    @Test func errorsLocatedOutsideShortenedBlockAreRejected() {
        let ec = 10, length = 26, outside = 3
        // x^m·g(x), a codeword of the longer code, straddling the shortened block's start.
        let generator: [UInt8] = [1] + ReedSolomonEncoder(errorCorrectionCodewords: ec).generator
        var lengthened = generator + [UInt8](repeating: 0, count: length + outside - generator.count)
        var block = Array(lengthened.dropFirst(outside))
        let received = block
        #expect(decode(&block, ec) == .failure(.uncorrectable))
        #expect(block == received)

        // Seen in the longer block, the same inside values are just `outside` missing codewords.
        for i in 0..<outside { lengthened[i] = 0 }
        #expect(decode(&lengthened, ec) == .success(ReedSolomonCorrection(errors: outside, erasures: 0)))
        #expect(lengthened == generator + [UInt8](repeating: 0, count: length + outside - generator.count))
    }

    @Test func blockShapesThatAreNotReedSolomonCodesAreRejected() {
        var tooLong = [UInt8](repeating: 0, count: 256)
        #expect(decode(&tooLong, 10) == .failure(.uncorrectable))
        var tooShort = [UInt8](repeating: 0, count: 5)
        #expect(decode(&tooShort, 6) == .failure(.uncorrectable))
        #expect(decode(&tooShort, -1) == .failure(.uncorrectable))
        // No parity at all: any block is a codeword, but nothing can be restored.
        var noParity: [UInt8] = [1, 2, 3]
        #expect(decode(&noParity, 0) == .success(ReedSolomonCorrection(errors: 0, erasures: 0)))
        #expect(decode(&noParity, 0, erasures: [1]) == .failure(.tooManyErasures(erasures: 1, capacity: 0)))
    }

    @Test func errorMessagesNameTheNumbers() {
        let message = ReedSolomonError.tooManyErasures(erasures: 12, capacity: 10).description
        #expect(message.contains("12") && message.contains("10"))
        #expect(!ReedSolomonError.uncorrectable.description.isEmpty)
    }
}
