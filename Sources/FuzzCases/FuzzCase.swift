import Photo
import QRCode
import Scenes

/// Hostile inputs for the reader and the photo loader, each fully determined by a seed, so a
/// crash found by a long run (`make fuzz`, address sanitizer) is kept as one number and replayed
/// by the test suite.
///
/// Five kinds, chosen by the seed: random luminance; a rendered symbol with pixels, rows and
/// blocks overwritten; a module matrix with valid finders and timing but random format, version
/// and data bits; mutated PNG and JPEG files through the loader; random bytes through the
/// Reed–Solomon decoder and the bit-stream decoder.
public struct FuzzCase: Sendable {
    public let seed: UInt64
    public init(seed: UInt64) { self.seed = seed }

    /// Which input family the seed selects.
    public var kind: String { ["luminance", "damaged symbol", "module matrix", "image file", "codewords"][Int(seed % 5)] }

    /// Runs the case. Returns normally whatever the input does to the reader (errors and empty
    /// reads are fine); a crash, hang or sanitizer report is the failure.
    public func run() {
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        var options = ReaderOptions()
        options.timeBudget = .milliseconds(300)
        switch seed % 5 {
        case 0:
            let w = rng.int(1...160), h = rng.int(1...160)
            let pixels = (0..<(w * h)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = QRReader.read(GrayImage(width: w, height: h, pixels: pixels), options: options)
        case 1:
            guard var image = renderedSymbol(&rng) else { return }
            for _ in 0..<rng.int(1...40) {
                let x = rng.int(0...image.width - 1), y = rng.int(0...image.height - 1)
                let bw = rng.int(1...30), bh = rng.int(1...30), v = UInt8(truncatingIfNeeded: rng.next())
                for yy in y..<min(image.height, y + bh) { for xx in x..<min(image.width, x + bw) { image.pixels[yy * image.width + xx] = v } }
            }
            _ = QRReader.read(image.rotated(quarterTurns: rng.int(0...3)), options: options)
        case 2:
            let version = rng.int(1...40)
            var m = BitMatrix(size: 17 + 4 * version)
            SymbolLayout(version: QRVersion(version)!).drawFunctionPatterns(into: &m)
            let layout = SymbolLayout(version: QRVersion(version)!)
            for y in 0..<m.height { for x in 0..<m.width where !layout.isFunctionModule(x: x, y: y) || rng.int(0...9) == 0 {
                m[x, y] = rng.next() & 1 == 1
            } }
            _ = QRReader.read(SymbolRenderer.render(m, moduleSize: 2, quietZone: 2), options: options)
        case 3:
            guard let image = renderedSymbol(&rng) else { return }
            let small = image.downscaled(by: max(1, image.width / 64))
            let encoded = rng.next() & 1 == 0 ? try? PhotoWriter.pngData(small) : try? PhotoWriter.jpegData(small, quality: 75, progressive: rng.next() & 1 == 0)
            guard var bytes = encoded, !bytes.isEmpty else { return }
            for _ in 0..<rng.int(1...12) {
                let i = rng.int(0...bytes.count - 1)
                switch rng.int(0...2) {
                case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.removeSubrange(i..<min(bytes.count, i + rng.int(1...64)))
                default: bytes.insert(contentsOf: (0..<rng.int(1...16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: i)
                }
                if bytes.isEmpty { return }
            }
            if let decoded = try? PhotoLoader.decode(bytes) { _ = QRReader.read(decoded, options: options) }
        default:
            let n = rng.int(2...255), ec = rng.int(0...n - 1)
            var block = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let erasures = (0..<rng.int(0...ec)).map { _ in rng.int(0...n - 1) }
            _ = try? ReedSolomonDecoder.correct(&block, errorCorrectionCodewords: ec, erasures: erasures)
            _ = try? BitstreamDecoder.decode(block, version: rng.int(1...40))
        }
    }

    private func renderedSymbol(_ rng: inout SplitMix64) -> GrayImage? {
        let text = String((0..<rng.int(1...120)).map { _ in Character(Unicode.Scalar(UInt8(rng.int(32...126)))) })
        let level = ErrorCorrectionLevel.allCases[rng.int(0...3)]
        guard let symbol = try? QREncoder.encode(text, options: EncodeOptions(level: level)) else { return nil }
        return SymbolRenderer.render(symbol.matrix, moduleSize: rng.int(1...5), quietZone: rng.int(0...4))
    }
}
