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

/// (error-correction codewords, data codewords): block shapes across QR's range (every EC count
/// QR uses from 7 to 30), plus two full-length 255-codeword blocks.
private let shapes: [(ec: Int, data: Int)] = [
    (7, 19), (10, 16), (13, 13), (15, 55), (16, 27), (17, 9), (18, 15), (20, 78), (22, 13),
    (24, 24), (26, 108), (28, 16), (28, 45), (30, 15), (30, 118), (30, 225), (10, 245),
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

    /// 2e + f = n − k + 1. Any codeword the decoder could return (2e′ + f ≤ n − k from the
    /// received block) would differ from the original in at most e + e′ + f ≤ n − k places, less
    /// than the code's distance n − k + 1; so detection is guaranteed, whatever the seed.
    @Test func oneStepPastCapacityIsAlwaysDetected() {
        var rng = SplitMix64(state: 0xBAD)
        for shape in shapes {
            let original = codeword(dataCount: shape.data, errorCorrection: shape.ec, rng: &rng)
            let length = original.count
            for erasures in stride(from: (shape.ec + 1) % 2, to: shape.ec, by: 2) {
                let errors = (shape.ec - erasures + 1) / 2
                let places = rng.distinct(errors + erasures, below: length)
                var block = original
                for p in places.prefix(errors) { block[p] ^= rng.nonzeroByte() }
                for p in places.dropFirst(errors) where rng.below(2) == 0 { block[p] ^= rng.nonzeroByte() }
                let damaged = block

                let result = decode(&block, shape.ec, erasures: Array(places.dropFirst(errors)))
                #expect(result == .failure(.uncorrectable), "ec \(shape.ec), n \(length), e \(errors), f \(erasures)")
                #expect(block == damaged)
            }
        }
    }

    /// ⌊(n − k)/2⌋ + 1 errors, a step further when n − k is even. Here a bounded-distance decoder
    /// can land on another codeword (probability about C(n, t)·255ᵗ / 256^(n−k), largest for the
    /// full-length ec-10 block at ~0.8 % per trial, below 10⁻⁷ for the QR-sized ones); with these
    /// seeds every case must be detected and the block left as it was.
    @Test func pastCapacityErrorsAreDetectedForTheseSeeds() {
        var rng = SplitMix64(state: 0xC0FFEE)
        for shape in shapes {
            let original = codeword(dataCount: shape.data, errorCorrection: shape.ec, rng: &rng)
            let length = original.count
            for trial in 0..<6 {
                let errors = shape.ec / 2 + 1 + trial % 2
                var block = original
                for p in rng.distinct(errors, below: length) { block[p] ^= rng.nonzeroByte() }
                let damaged = block
                #expect(decode(&block, shape.ec) == .failure(.uncorrectable), "ec \(shape.ec), n \(length), e \(errors)")
                #expect(block == damaged)
            }
        }
    }

    /// Random junk with random erasure flags, mostly far beyond capacity: the decoder must either
    /// refuse and leave the block alone, or return a true codeword whose distance from the junk
    /// matches the counts it reports and lies within capacity. Little parity beside many erasures
    /// makes the second outcome common, so both branches are exercised.
    @Test func junkIsRefusedOrTurnedIntoAGenuineCodeword() {
        var rng = SplitMix64(state: 0x1234)
        var refused = 0, accepted = 0
        for shape in shapes {
            let length = shape.data + shape.ec
            for _ in 0..<12 {
                let junk = (0..<length).map { _ in rng.byte() }
                let flagged = rng.distinct(shape.ec - rng.below(4), below: length)
                var block = junk
                switch decode(&block, shape.ec, erasures: flagged) {
                case .failure(let error):
                    refused += 1
                    #expect(error == .uncorrectable)
                    #expect(block == junk)
                case .success(let correction):
                    accepted += 1
                    let data = Array(block.prefix(shape.data))
                    let parity = ReedSolomonEncoder(errorCorrectionCodewords: shape.ec).errorCorrection(for: data)
                    #expect(Array(block.suffix(shape.ec)) == parity, "not a codeword: ec \(shape.ec), n \(length)")
                    let changedUnflagged = (0..<length).filter { block[$0] != junk[$0] && !flagged.contains($0) }
                    #expect(correction == ReedSolomonCorrection(errors: changedUnflagged.count, erasures: flagged.count))
                    #expect(2 * correction.errors + correction.erasures <= shape.ec)
                }
            }
        }
        #expect(refused > 0 && accepted > 0, "refused \(refused), accepted \(accepted)")
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

    /// `solve(_:erasures:spare:)` turns down before the error search exactly the corrections that
    /// would leave fewer than `spare` check symbols unused, and returns the others unchanged:
    /// damage from none to past capacity, erasures that hit errors and ones that do not.
    @Test func spareCheckSymbolsMatchTheCorrectionsCounts() throws {
        var rng = SplitMix64(state: 11)
        var refusedForSpare = 0
        for shape in shapes where shape.ec >= 4 {
            for _ in 0..<60 {
                let original = codeword(dataCount: shape.data, errorCorrection: shape.ec, rng: &rng)
                let n = original.count
                let errors = rng.below(shape.ec / 2 + 2), erased = 2 * rng.below(shape.ec / 2)
                var block = original
                let wrong = rng.distinct(errors, below: n)
                for p in wrong { block[p] ^= rng.nonzeroByte() }
                // Half the erasures on wrong codewords, the rest anywhere.
                var erasures = Array(wrong.prefix(erased / 2))
                for p in rng.distinct(n, below: n) where erasures.count < erased && !erasures.contains(p) { erasures.append(p) }
                let syndromes = try #require(ReedSolomonDecoder.Syndromes(of: block, errorCorrectionCodewords: shape.ec))
                for spare in [0, 2] {
                    let plain = try? ReedSolomonDecoder.solve(syndromes, erasures: erasures)
                    let spared = try? ReedSolomonDecoder.solve(syndromes, erasures: erasures, spare: spare)
                    let fits = plain.map { 2 * $0.correction.errors + $0.correction.erasures <= shape.ec - spare } ?? false
                    #expect((spared != nil) == fits, "ec \(shape.ec) errors \(errors) erasures \(erased) spare \(spare)")
                    if let spared, let plain {
                        #expect(spared.correction == plain.correction)
                        var a = block, b = block
                        spared.apply(to: &a); plain.apply(to: &b)
                        #expect(a == b)
                    }
                    if plain != nil && spared == nil { refusedForSpare += 1 }
                }
            }
        }
        #expect(refusedForSpare > 0)
    }

    @Test func errorMessagesNameTheNumbers() {
        let message = ReedSolomonError.tooManyErasures(erasures: 12, capacity: 10).description
        #expect(message.contains("12") && message.contains("10"))
        #expect(!ReedSolomonError.uncorrectable.description.isEmpty)
    }
}
