import Benchmark
import Glibc
import QRCode
import Scenes

// Microbenchmarks of the reader's hot kernels on fixed inputs, so that a regression in one stage
// shows by itself. Run: `swift package benchmark --target QRKernels` (or `make bench`).
// QRKERNELS_ITERATIONS=N caps the iterations per benchmark (the `make test` smoke uses 2).

/// The 1-megapixel scene of the benchmark's size ladder: a product code at 3.7 px per module among
/// printed clutter, the input of every image kernel below.
let scene: GrayImage = SceneRenderer.render(StressSet.sizeLadder(megapixels: [1])[0].spec)

/// The reader's first window hypothesis for this image (an eighth of the shorter side, odd).
let firstWindow = max(15, min(scene.width, scene.height) / 8) | 1

let thresholded = ReaderKernels.localMeanThreshold(scene, window: firstWindow)

/// A 255-codeword block (the longest RS block: worst-case syndrome and Chien search length) with
/// 30 parity codewords, and the same block with 10 codeword errors and 8 erasures (2·10 + 8 ≤ 30).
struct DamagedBlock {
    let clean: [UInt8]
    let damaged: [UInt8]
    let erasures: [Int]
    static let parity = 30

    init() {
        var state: UInt32 = 0x2545_F491
        func next() -> UInt8 {
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        let data = (0..<(255 - Self.parity)).map { _ in next() }
        clean = data + ReedSolomonEncoder(errorCorrectionCodewords: Self.parity).errorCorrection(for: data)
        var broken = clean
        for i in 0..<10 { broken[7 + i * 23] ^= 0x5A &+ UInt8(i) }
        erasures = (0..<8).map { 3 + $0 * 31 }
        for p in erasures { broken[p] = 0 }
        damaged = broken
    }
}

let block = DamagedBlock()

let benchmarks: @Sendable () -> Void = {
    var iterationCap = 10_000
    if let raw = getenv("QRKERNELS_ITERATIONS"), let n = Int(String(cString: raw)), n > 0 { iterationCap = n }
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: min(3, iterationCap),
        maxDuration: .seconds(3),
        maxIterations: iterationCap
    )

    Benchmark("threshold.localMean 1MP") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ReaderKernels.localMeanThreshold(scene, window: firstWindow))
        }
    }
    Benchmark("threshold.otsu 1MP") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ReaderKernels.otsuThreshold(scene))
        }
    }
    Benchmark("locate.finderSearch 1MP") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ReaderKernels.finderPatterns(in: thresholded))
        }
    }
    Benchmark("reedSolomon.decode 255/30 clean") { benchmark in
        for _ in benchmark.scaledIterations {
            var codewords = block.clean
            blackHole(try? ReedSolomonDecoder.correct(&codewords, errorCorrectionCodewords: DamagedBlock.parity))
        }
    }
    Benchmark("reedSolomon.decode 255/30 10 errors 8 erasures") { benchmark in
        for _ in benchmark.scaledIterations {
            var codewords = block.damaged
            let result = try? ReedSolomonDecoder.correct(&codewords, errorCorrectionCodewords: DamagedBlock.parity,
                                                         erasures: block.erasures)
            // A kernel that stopped correcting would look fast: fail loudly instead.
            precondition(result != nil && codewords == block.clean, "Reed–Solomon benchmark block no longer corrects")
            blackHole(result)
        }
    }
    Benchmark("reader.read 1MP (whole pipeline)") { benchmark in
        for _ in benchmark.scaledIterations {
            let result = QRReader.read(scene)
            precondition(result.symbols.count == 1, "the benchmark scene no longer reads")
            blackHole(result)
        }
    }
}
