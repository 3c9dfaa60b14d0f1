import Testing
@testable import QRCode

/// QR Code Model 1 symbols (ISO/IEC 18004:2000 Annex M) built here module by module — no
/// Model 1 encoder exists in the library — and read back through the whole reader.
/// The real Model 1 prints in the shared corpus (qrcode-2/#940.png, qr-model-1.png) check the
/// layout against symbols made by other software.
@Suite struct Model1Tests {
    /// A Model 1 symbol carrying `text` in byte mode.
    static func symbol(_ text: String, version: Int, level: ErrorCorrectionLevel, mask: Int) -> BitMatrix? {
        let dimension = 17 + 4 * version
        guard let layout = Model1Layout(dimension: dimension) else { return nil }
        let blocks = layout.blocks(level)
        // Four zero bits, byte mode, count, bytes, terminator, then pad codewords.
        var bits: [Bool] = Array(repeating: false, count: 4)
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append(value >> i & 1 == 1) } }
        let bytes = Array(text.utf8)
        append(0b0100, 4)
        append(bytes.count, version <= 9 ? 8 : 16)
        for b in bytes { append(Int(b), 8) }
        let capacity = blocks.totalDataCodewords * 8
        guard bits.count + 4 <= capacity else { return nil }
        append(0, 4)
        while bits.count % 8 != 0 { bits.append(false) }
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { i in
            (0..<8).reduce(UInt8(0)) { $0 << 1 | (bits[i + $1] ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while data.count < blocks.totalDataCodewords { data.append(pad); pad = pad == 0xEC ? 0x11 : 0xEC }
        // Model 1 stores every block's data, then every block's error correction.
        let encoder = ReedSolomonEncoder(errorCorrectionCodewords: blocks.ecCodewordsPerBlock)
        var start = 0
        var ec: [UInt8] = []
        for count in blocks.dataCodewordsPerBlock {
            ec += encoder.errorCorrection(for: Array(data[start..<start + count]))
            start += count
        }
        // Some versions and levels leave a codeword or two of the layout unused.
        let unused = layout.codewordModules.count / 8 - data.count - ec.count
        guard unused >= 0 else { return nil }
        let codewords = data + ec + Array(repeating: 0, count: unused)
        var m = BitMatrix(size: dimension)
        // Model 2's function patterns; its alignment and version areas are overwritten by data.
        SymbolLayout(version: QRVersion(version)!).drawFunctionPatterns(into: &m)
        for (k, index) in layout.codewordModules.enumerated() {
            let x = Int(index) % dimension, y = Int(index) / dimension
            let bit = codewords[k / 8] >> (7 - k % 8) & 1 == 1
            m[x, y] = bit != DataMask.isFlipped(mask, x: x, y: y)
        }
        let format = FormatInformation(level: level, mask: mask).bits ^ 0x5412 ^ Model1Layout.formatMask
        let positions = SymbolLayout.formatInformationPositions(dimension: dimension)
        for (k, p) in positions.first.enumerated() {
            m[p.x, p.y] = format >> (14 - k) & 1 == 1
            m[positions.second[k].x, positions.second[k].y] = format >> (14 - k) & 1 == 1
        }
        return m
    }

    @Test(arguments: 1...14)
    func everyVersionAndLevelReadsBack(version: Int) throws {
        for (k, level) in ErrorCorrectionLevel.allCases.enumerated() {
            let text = "M1 v\(version)"
            let matrix = try #require(Self.symbol(text, version: version, level: level, mask: (version + k) % 8))
            let found = QRReader.read(SymbolRenderer.render(matrix, moduleSize: 3)).symbols
            #expect(found.map(\.text) == [text], "Model 1 v\(version)-\(level)")
            #expect(found.first?.symbologyIdentifier == "]Q0")
            #expect(found.first?.version == version)
            #expect(found.first?.level == level)
        }
    }

    /// Every module of a Model 1 symbol belongs to at most one codeword, and the block table fills
    /// the layout but for at most four remainder codewords.
    @Test(arguments: 1...14)
    func layoutCoversTheTable(version: Int) throws {
        let layout = try #require(Model1Layout(dimension: 17 + 4 * version))
        #expect(Set(layout.codewordModules).count == layout.codewordModules.count)
        for level in ErrorCorrectionLevel.allCases {
            let spare = layout.codewordModules.count / 8 - layout.blocks(level).totalCodewords
            #expect((0...4).contains(spare), "v\(version)-\(level): \(spare) codewords to spare")
        }
    }
}
